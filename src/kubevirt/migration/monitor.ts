/**
 * virt-launcher's migration monitor (`kubevirt/kubevirt:pkg/virt-launcher/virtwrap/live-migration-source.go`,
 * startMonitor / processInflightMigration / handleLegacyConvergence) as a pure state machine: one
 * `pollMonitor` per `GetJobStats` poll (every 400 ms), returning what the launcher does.
 * docs/model/migration.md ("KubeVirt monitor") holds the decision table.
 */
import type { MonitorDecisionTable } from '../defaults.ts';

export interface MonitorConfig {
  readonly decisionTable: MonitorDecisionTable;
  /** completionTimeoutPerGiB × ceil(data in decimal GB). */
  readonly acceptableCompletionSeconds: number;
  /** 0 disables the progress check. */
  readonly progressTimeoutSeconds: number;
  readonly allowPostCopy: boolean;
  /** v1.5+; resolved (unset means allowPostCopy). Ignored by the legacy table. */
  readonly allowWorkloadDisruption: boolean;
}

export type MonitorMode = 'pre-copy' | 'post-copy' | 'paused';

export interface MonitorState {
  readonly mode: MonitorMode;
  readonly acceptableCompletionSeconds: number;
  readonly lastDataRemainingBytes: number | null;
  readonly lastProgressSeconds: number;
}

export type MonitorAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'start-post-copy' }
  /** `dom.Suspend()`: the guest stops running (dirty rate 0); the deadline doubles. */
  | { readonly kind: 'pause-guest' }
  | { readonly kind: 'abort'; readonly reason: 'completion-timeout' | 'progress-timeout' };

export function initialMonitor(config: MonitorConfig, startSeconds: number): MonitorState {
  return {
    mode: 'pre-copy',
    acceptableCompletionSeconds: config.acceptableCompletionSeconds,
    lastDataRemainingBytes: null,
    lastProgressSeconds: startSeconds,
  };
}

export interface PollInput {
  /** Seconds since the monitor started (just before MigrateToURI3). */
  readonly elapsedSeconds: number;
  /** Job `DataRemaining` (RAM and, during block migration, disk). */
  readonly dataRemainingBytes: number;
}

/** One poll; the first matching row of the decision table wins. */
export function pollMonitor(
  state: MonitorState,
  config: MonitorConfig,
  input: PollInput,
): { state: MonitorState; action: MonitorAction } {
  const progressed =
    state.lastDataRemainingBytes === null || input.dataRemainingBytes < state.lastDataRemainingBytes;
  // Field by field rather than a spread: this runs at every poll of every migration.
  const next: MonitorState = {
    mode: state.mode,
    acceptableCompletionSeconds: state.acceptableCompletionSeconds,
    lastDataRemainingBytes: input.dataRemainingBytes,
    lastProgressSeconds: progressed ? input.elapsedSeconds : state.lastProgressSeconds,
  };
  // Row 1: in post-copy nothing is aborted any more.
  if (state.mode === 'post-copy') return { state: next, action: NONE };
  const overdue = input.elapsedSeconds > state.acceptableCompletionSeconds;
  // Row 2.
  if (overdue) {
    if (config.decisionTable === 'legacy-post-copy') {
      if (config.allowPostCopy)
        return { state: { ...next, mode: 'post-copy' }, action: { kind: 'start-post-copy' } };
    } else if (config.allowWorkloadDisruption && state.mode !== 'paused') {
      if (config.allowPostCopy)
        return { state: { ...next, mode: 'post-copy' }, action: { kind: 'start-post-copy' } };
      return {
        state: {
          ...next,
          mode: 'paused',
          acceptableCompletionSeconds: 2 * state.acceptableCompletionSeconds,
        },
        action: { kind: 'pause-guest' },
      };
    }
  }
  // Row 3.
  const stuckSeconds = input.elapsedSeconds - next.lastProgressSeconds;
  if (config.progressTimeoutSeconds > 0 && stuckSeconds > config.progressTimeoutSeconds) {
    return { state: next, action: { kind: 'abort', reason: 'progress-timeout' } };
  }
  // Row 4 (includes the paused case after the deadline doubled).
  if (overdue) return { state: next, action: { kind: 'abort', reason: 'completion-timeout' } };
  return { state: next, action: NONE };
}

/** The answer of nearly every poll, shared. */
const NONE: MonitorAction = Object.freeze({ kind: 'none' });
