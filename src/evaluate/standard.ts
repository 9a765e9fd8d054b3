import { GuestModel } from '../guest/model.ts';
import type { GuestModelOptions, GuestTrimOptions } from '../guest/trim-options.ts';
import { LonghornModel } from '../longhorn/model.ts';
import type { WorldExtension } from '../plan/runner/runner.ts';
import type { Scenario } from '../scenario/types.ts';
import type { World } from '../world/world.ts';
import type { SubsystemEvaluator } from './evaluate.ts';
import { migrationFindings, migrationMetrics } from './migration.ts';
import { storageFindings, storageMetrics } from './storage.ts';

/** The models every evaluation adds to the world: Longhorn first, then the guests that use it. */
export function standardExtensions(world: World): WorldExtension[] {
  const longhorn = new LonghornModel({
    sim: world.sim,
    fabric: world.fabric,
    scenario: world.scenario,
    options: {
      nodeIsRunning: (node) => world.isRunning(node),
      controlPlaneAvailable: () => world.apiAvailable(),
    },
  });
  const guests = new GuestModel({
    sim: world.sim,
    scenario: world.scenario,
    storage: longhorn,
    options: guestOptions(world.scenario),
  });
  return [
    {
      observer: longhorn,
      storage: longhorn,
      start: () => longhorn.recordState(),
      finish: () => longhorn.finish(),
    },
    { observer: guests },
  ];
}

/** The scenario's guest trim settings as the guest model takes them. */
function guestOptions(scenario: Scenario): GuestModelOptions {
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

/** The evaluators every evaluation runs besides the control plane's. */
export const standardEvaluators: readonly SubsystemEvaluator[] = [
  {
    key: 'migration',
    metrics: (run) => migrationMetrics(run.records, run.startSeconds),
    findings: (run) => migrationFindings(run.records, run.startSeconds),
  },
  {
    key: 'storage',
    metrics: (run) => storageMetrics(run.records),
    findings: (run, scenario) =>
      storageFindings(run.records, scenario).map((f) => ({
        ...f,
        timeSeconds: f.timeSeconds - run.startSeconds,
      })),
  },
];
