/**
 * Guest-side defaults for filesystem trim and for how KubeVirt resumes a VM paused on an IO error.
 * Typed tables, each entry with its source: `guestDefaults(kubevirtVersion)` selects one release;
 * `WEEKLY_CALENDAR` is systemd's `weekly`; `GUEST_SIMULATOR_LIMITS` bounds the model's loops.
 */
import type { SourcedFields } from '../profiles/sourced.ts';
import { isAtLeast } from '../profiles/version.ts';

/** KubeVirt virt-handler's `FailRetryManager` for IO-error pauses. */
export interface IoErrorRetry {
  /** First wait before unpausing again; doubled after each retry. */
  readonly initialWaitSeconds: number;
  readonly maxWaitSeconds: number;
  /** A failure within this long after an unpause belongs to the same cycle. */
  readonly maxFailResponseSeconds: number;
}

export interface GuestDefaultValues {
  /** util-linux sys-utils/fstrim.timer: `OnCalendar=weekly` = Monday 00:00. */
  readonly fstrimOnCalendar: 'weekly';
  readonly fstrimAccuracySeconds: number;
  readonly fstrimRandomizedDelaySeconds: number;
  readonly fstrimPersistent: boolean;
  /** The KB's mitigation: `RandomizedDelaySec=6000`. */
  readonly mitigationRandomizedDelaySeconds: number;
  /** null: no backoff; virt-handler unpauses at once and the VM flips "multiple times per second". */
  readonly ioErrorRetry: IoErrorRetry | null;
  /** From a pause to virt-handler acting on it. */
  readonly unpauseReactionSeconds: number;
  /** With the `discard` mount option (or Windows delete notifications): one discard per this many seconds of deletes. */
  readonly discardIntervalSeconds: number;
  /** Unix time of simulated second 0 (the calendar timer needs a weekday). */
  readonly startEpochSeconds: number;
}

/** The table: every value with its source. */
export type GuestDefaults = SourcedFields<GuestDefaultValues>;

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
      source: `${FSTRIM_TIMER}: no RandomizedDelaySec in the unit the KB shows; newer util-linux adds RandomizedDelaySec=100min`,
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

/** systemd's `OnCalendar=weekly` on the Unix time line (UTC). */
export interface WeeklyCalendar {
  /** From one elapse of `weekly` to the next. */
  readonly weekSeconds: number;
  /** The first `Mon 00:00:00` of Unix time. */
  readonly firstMondayEpochSeconds: number;
}

const WEEKLY =
  'systemd/systemd:src/shared/calendarspec.c (calendar_spec_from_string: "weekly" → weekdays_bits = 1 = Mon, 00:00:00; src/test/test-calendarspec.c test_one("weekly", "Mon *-*-* 00:00:00"))';

export const WEEKLY_CALENDAR: SourcedFields<WeeklyCalendar> = {
  weekSeconds: { value: 7 * 24 * 3600, source: `${WEEKLY}: one Monday 00:00 to the next` },
  firstMondayEpochSeconds: {
    value: 4 * 24 * 3600,
    source: `${WEEKLY}; POSIX time (no leap seconds): second 0 is Thursday 1970-01-01 00:00 UTC, so Monday 1970-01-05 00:00 UTC is 4 days later`,
  },
};

/** Bounds on the guest model's loops (STYLE.md, "put a limit on everything"); none is upstream. */
export interface GuestSimulatorLimits {
  /** fstrim.timer or scenario-schedule runs in one VM run (start to stop). */
  readonly maxPeriodicTrimsPerVmRun: number;
  /** Discards (`discard` mount option, Windows delete notifications) in one VM run. */
  readonly maxDiscardsPerVmRun: number;
  /** Pause → unpause → re-issued UNMAP cycles for one IO error. */
  readonly maxFlapsPerIoError: number;
  /** Waits on the IO-error backoff before one unpause. */
  readonly maxRetryWaitsPerPause: number;
}

export const GUEST_SIMULATOR_LIMITS: SourcedFields<GuestSimulatorLimits> = {
  maxPeriodicTrimsPerVmRun: {
    value: 100_000,
    source:
      'simulator limit: weekly, 100,000 runs are ~1,900 years; it ends the loop should a schedule stop advancing time',
  },
  maxDiscardsPerVmRun: {
    value: 10_000_000,
    source: 'simulator limit: at the default discard interval (60 s), 10,000,000 discards are ~19 years',
  },
  maxFlapsPerIoError: {
    value: 1_000_000,
    source:
      'simulator limit: without the backoff (before v0.59) a flap takes unpauseReactionSeconds (1 s), so 1,000,000 flaps are ~11.6 days of one IO error; with it, far longer',
  },
  maxRetryWaitsPerPause: {
    value: 3,
    source:
      'simulator limit: kubevirt/kubevirt:pkg/virt-handler/retry_manager.go ShouldDelay answers one wait (nextRun − now), then no delay once nextRun has passed; 3 leaves room for a float remainder of that wait',
  },
};
