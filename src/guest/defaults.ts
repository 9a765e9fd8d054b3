/**
 * Guest-side defaults for filesystem trim and for how KubeVirt resumes a VM paused on an IO error.
 * One typed table, each entry with its source; `guestDefaults(kubevirtVersion)` selects one release.
 */
import type { Sourced } from '../profiles/types.ts';
import { isAtLeast } from '../profiles/version.ts';

/** KubeVirt virt-handler's `FailRetryManager` for IO-error pauses. */
export interface IoErrorRetry {
  /** First wait before unpausing again; doubled after each retry. */
  readonly initialWaitSeconds: number;
  readonly maxWaitSeconds: number;
  /** A failure within this long after an unpause belongs to the same cycle. */
  readonly maxFailResponseSeconds: number;
}

export interface GuestDefaults {
  /** util-linux sys-utils/fstrim.timer: `OnCalendar=weekly` = Monday 00:00. */
  readonly fstrimOnCalendar: Sourced<'weekly'>;
  readonly fstrimAccuracySeconds: Sourced<number>;
  readonly fstrimRandomizedDelaySeconds: Sourced<number>;
  readonly fstrimPersistent: Sourced<boolean>;
  /** The KB's mitigation: `RandomizedDelaySec=6000`. */
  readonly mitigationRandomizedDelaySeconds: Sourced<number>;
  /** null: no backoff; virt-handler unpauses at once and the VM flips "multiple times per second". */
  readonly ioErrorRetry: Sourced<IoErrorRetry | null>;
  /** From a pause to virt-handler acting on it. */
  readonly unpauseReactionSeconds: Sourced<number>;
  /** With the `discard` mount option (or Windows delete notifications): one discard per this many seconds of deletes. */
  readonly discardIntervalSeconds: Sourced<number>;
  /** Unix time of simulated second 0 (the calendar timer needs a weekday). */
  readonly startEpochSeconds: Sourced<number>;
}

const FSTRIM_TIMER =
  'util-linux/util-linux:sys-utils/fstrim.timer (OnCalendar=weekly, AccuracySec=1h, Persistent=true)';
const KB_TRIM = 'harvester/harvesterhci.io:kb/2024-01-30/the_potential_risk_with_fstrim.md';

export function guestDefaults(kubevirtVersion: string): GuestDefaults {
  const backoff = isAtLeast(kubevirtVersion, '0.59.0');
  return {
    fstrimOnCalendar: { value: 'weekly', source: FSTRIM_TIMER },
    fstrimAccuracySeconds: { value: 3600, source: FSTRIM_TIMER },
    fstrimRandomizedDelaySeconds: {
      value: 0,
      source: `${FSTRIM_TIMER}: no RandomizedDelaySec in the unit the KB shows; newer util-linux adds 100 min (research §4)`,
    },
    fstrimPersistent: { value: true, source: FSTRIM_TIMER },
    mitigationRandomizedDelaySeconds: {
      value: 6000,
      source: `${KB_TRIM} ([Timer] RandomizedDelaySec=6000)`,
    },
    ioErrorRetry: backoff
      ? {
          value: { initialWaitSeconds: 10, maxWaitSeconds: 180, maxFailResponseSeconds: 30 },
          source:
            'kubevirt/kubevirt:pkg/virt-handler/vm.go (NewFailRetryManager("io-error-retry", 10s, 3m, 30s)), PR #8657',
        }
      : {
          value: null,
          source:
            'kubevirt/kubevirt PR #8657 ("the VM status is flipping between Paused and Running multiple times per second"); unverified: first release with the backoff taken as v0.59',
        },
    unpauseReactionSeconds: {
      value: 1,
      source:
        'unverified: virt-handler resync after the paused event (kubevirt/kubevirt PR #5401: SyncVMI unpauses)',
    },
    discardIntervalSeconds: {
      value: 60,
      source:
        'unverified: longhorn/longhorn#7103 ("root filesystem mounted with the discard option … hit the issue virtually every time"); one delete a minute',
    },
    startEpochSeconds: {
      value: 1_712_102_400,
      source:
        'arbitrary: Wednesday 2024-04-03 00:00 UTC, the week of the KB example "Trigger: Mon 2024-04-01"',
    },
  };
}
