import type { GuestModelOptions, GuestTrimOptions } from '../guest/trim-options.ts';
import type { Scenario } from '../scenario/types.ts';

/** The scenario's guest trim settings as the guest model takes them. */
export function guestOptions(scenario: Scenario): GuestModelOptions {
  const perVm: Record<string, Partial<GuestTrimOptions>> = {};
  for (const vm of scenario.vms) {
    const trim = vm.guest.trim;
    const timer = trim.fstrimTimer;
    perVm[`${vm.namespace}/${vm.name}`] = {
      os: trim.os,
      discardMountOption: trim.discardMount,
      windowsDisableDeleteNotify: trim.disableDeleteNotify,
      ...(timer === null
        ? {}
        : {
            fstrimTimer: {
              enabled: timer.enabled,
              ...(timer.accuracySeconds === null ? {} : { accuracySeconds: timer.accuracySeconds }),
              ...(timer.randomizedDelaySeconds === null
                ? {}
                : { randomizedDelaySeconds: timer.randomizedDelaySeconds }),
              ...(timer.persistent === null ? {} : { persistent: timer.persistent }),
            },
          }),
    };
  }
  return scenario.startEpochSeconds === null
    ? { perVm }
    : { perVm, startEpochSeconds: scenario.startEpochSeconds };
}
