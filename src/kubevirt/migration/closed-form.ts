/**
 * The closed form of research/migration.md §6a for the default QEMU/KubeVirt path: constant
 * bandwidth B, dirty rate D < B (working-set saturation ignored), λ = D/B, V_i = M·λ^i, stop at the
 * first n with V_n < B·d. A check on the simulation, not the model itself.
 */

export interface ClosedFormInput {
  readonly memoryBytes: number;
  readonly bandwidthBytesPerSecond: number;
  readonly dirtyBytesPerSecond: number;
  readonly downtimeLimitSeconds: number;
  readonly setupSeconds?: number;
  readonly deviceStateBytes?: number;
}

export interface ClosedFormResult {
  readonly converges: boolean;
  /** Index of the last (stop-and-copy) round: V_n < B·d. */
  readonly stopRound: number;
  /** V_0 .. V_n in bytes. */
  readonly roundBytes: readonly number[];
  readonly thresholdBytes: number;
  /** Σ_{i<n} V_i / B + setup: the live part. */
  readonly liveSeconds: number;
  /** V_n / B + device state / B. */
  readonly downtimeSeconds: number;
  /** (M/B)·(1 − λ^(n+1))/(1 − λ) + setup. */
  readonly totalSeconds: number;
}

export function closedFormPrecopy(input: ClosedFormInput): ClosedFormResult {
  const m = input.memoryBytes;
  const b = input.bandwidthBytesPerSecond;
  const lambda = input.dirtyBytesPerSecond / b;
  const threshold = b * input.downtimeLimitSeconds;
  const setup = input.setupSeconds ?? 0;
  const device = input.deviceStateBytes ?? 0;
  if (lambda >= 1 && m >= threshold) {
    return {
      converges: false,
      stopRound: Number.POSITIVE_INFINITY,
      roundBytes: [m],
      thresholdBytes: threshold,
      liveSeconds: Number.POSITIVE_INFINITY,
      downtimeSeconds: Number.NaN,
      totalSeconds: Number.POSITIVE_INFINITY,
    };
  }
  const n = m < threshold ? 0 : Math.ceil(Math.log(threshold / m) / Math.log(lambda));
  const rounds = Array.from({ length: n + 1 }, (_, i) => m * lambda ** i);
  const live = rounds.slice(0, n).reduce((sum, v) => sum + v / b, 0) + setup;
  const total = lambda === 0 ? m / b + setup : ((m / b) * (1 - lambda ** (n + 1))) / (1 - lambda) + setup;
  return {
    converges: true,
    stopRound: n,
    roundBytes: rounds,
    thresholdBytes: threshold,
    liveSeconds: live,
    downtimeSeconds: rounds[n] / b + device / b,
    totalSeconds: total,
  };
}
