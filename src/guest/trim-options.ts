/**
 * How a guest trims, and the KB's mitigations, as options the scenario format lacks today
 * (KB harvesterhci.io/kb/the_potential_risk_with_filesystem_trim; research/longhorn.md §4).
 */

/** systemd fstrim.timer. Absent fields take the guest defaults table (util-linux fstrim.timer). */
export interface FstrimTimerOptions {
  /** `systemctl disable fstrim.timer` sets this false (mitigation 1). */
  readonly enabled: boolean;
  readonly accuracySeconds?: number;
  /** Mitigation 3: `RandomizedDelaySec=6000`. */
  readonly randomizedDelaySeconds?: number;
  readonly persistent?: boolean;
}

export interface GuestTrimOptions {
  readonly os: 'linux' | 'windows';
  /**
   * The calendar timer (Monday 00:00 weekly). Absent: the scenario's `guest.fstrim` schedule (period
   * and first run), or no periodic trim when that is null.
   */
  readonly fstrimTimer?: FstrimTimerOptions;
  /** A filesystem mounted with `discard` trims on every delete; removing it is mitigation 2. */
  readonly discardMountOption: boolean;
  /**
   * Windows `fsutil behavior set DisableDeleteNotify 1` (mitigation 4). With 0 (the Windows default)
   * NTFS sends TRIM on deletes, as `discard` does.
   */
  readonly windowsDisableDeleteNotify: boolean;
  /** Overrides the defaults table's discard interval. */
  readonly discardIntervalSeconds?: number;
}

export const LINUX_GUEST: GuestTrimOptions = {
  os: 'linux',
  discardMountOption: false,
  windowsDisableDeleteNotify: false,
};

export interface GuestModelOptions {
  /** For every VM without its own entry. */
  readonly defaults?: Partial<GuestTrimOptions>;
  /** By VM `namespace/name`. */
  readonly perVm?: Readonly<Record<string, Partial<GuestTrimOptions>>>;
  /** Unix time of simulated second 0. */
  readonly startEpochSeconds?: number;
  readonly unpauseReactionSeconds?: number;
  /** KubeVirt release whose IO-error retry applies; `profile.components.kubevirt` otherwise. */
  readonly kubevirtVersion?: string;
}
