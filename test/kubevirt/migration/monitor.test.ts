import { describe, expect, it } from 'vitest';
import { initialMonitor, type MonitorConfig, pollMonitor } from '../../../src/kubevirt/migration/monitor.ts';

// kubevirt/kubevirt:pkg/virt-launcher/virtwrap/live-migration-source.go; research/migration.md §3 decision table
const base: MonitorConfig = {
  decisionTable: 'workload-disruption',
  acceptableCompletionSeconds: 150,
  progressTimeoutSeconds: 150,
  allowPostCopy: false,
  allowWorkloadDisruption: false,
};

function pollAt(config: MonitorConfig, samples: [elapsed: number, remaining: number][]) {
  let state = initialMonitor(config, 0);
  const actions: string[] = [];
  for (const [elapsedSeconds, dataRemainingBytes] of samples) {
    const step = pollMonitor(state, config, { elapsedSeconds, dataRemainingBytes });
    state = step.state;
    actions.push(step.action.kind === 'abort' ? `abort:${step.action.reason}` : step.action.kind);
  }
  return { state, actions };
}

describe('KubeVirt migration monitor (default path, v1.5+)', () => {
  it('row 4: without allowWorkloadDisruption a timeout aborts and the VM stays on the source', () => {
    const { actions } = pollAt(base, [
      [150, 100],
      [150.4, 90],
    ]);
    expect(actions).toEqual(['none', 'abort:completion-timeout']);
  });

  it('row 2: allowWorkloadDisruption with allowPostCopy starts post-copy at the completion timeout', () => {
    const config = { ...base, allowPostCopy: true, allowWorkloadDisruption: true };
    const { actions, state } = pollAt(config, [
      [150.4, 90],
      [500, 80],
    ]);
    expect(actions).toEqual(['start-post-copy', 'none']);
    expect(state.mode).toBe('post-copy');
  });

  it('row 1: in post-copy nothing is aborted, not even after 150 s without progress', () => {
    const config = { ...base, allowPostCopy: true, allowWorkloadDisruption: true };
    const { actions } = pollAt(config, [
      [150.4, 90],
      [400, 90],
      [1000, 90],
    ]);
    expect(actions).toEqual(['start-post-copy', 'none', 'none']);
  });

  it('row 2: allowWorkloadDisruption without post-copy pauses the guest and doubles the deadline, then row 4 aborts', () => {
    const config = { ...base, allowWorkloadDisruption: true, progressTimeoutSeconds: 0 };
    const { actions, state } = pollAt(config, [
      [150.4, 90],
      [299.6, 80],
      [300.4, 70],
    ]);
    expect(actions).toEqual(['pause-guest', 'none', 'abort:completion-timeout']);
    expect(state.acceptableCompletionSeconds).toBe(300);
    expect(state.mode).toBe('paused');
  });

  it('row 3: "no progress for > progressTimeout" aborts; remaining that only rises is no progress', () => {
    const config = { ...base, acceptableCompletionSeconds: 10_000 };
    const { actions } = pollAt(config, [
      [0.4, 100],
      [100, 200],
      [150.4, 300],
      [150.8, 300],
    ]);
    expect(actions).toEqual(['none', 'none', 'none', 'abort:progress-timeout']);
  });

  it('"DataRemaining < previous sample" resets the progress clock', () => {
    const config = { ...base, acceptableCompletionSeconds: 10_000 };
    const { actions } = pollAt(config, [
      [0.4, 100],
      [140, 99],
      [289.6, 120],
      [290, 130],
      [290.4, 140],
    ]);
    // Progress last seen at 140 s: 150 s later is not yet "> progressTimeout", 150.4 s is.
    expect(actions).toEqual(['none', 'none', 'none', 'none', 'abort:progress-timeout']);
  });

  it('progressTimeout 0 disables the progress check', () => {
    const config = { ...base, acceptableCompletionSeconds: 10_000, progressTimeoutSeconds: 0 };
    expect(
      pollAt(config, [
        [0.4, 1],
        [5000, 1],
      ]).actions,
    ).toEqual(['none', 'none']);
  });

  it('pre-1.5: row 2 is allowPostCopy && timeout → post-copy; there is no pause path', () => {
    const legacy: MonitorConfig = {
      ...base,
      decisionTable: 'legacy-post-copy',
      acceptableCompletionSeconds: 800,
    };
    expect(pollAt({ ...legacy, allowPostCopy: true }, [[800.4, 5]]).actions).toEqual(['start-post-copy']);
    expect(pollAt({ ...legacy, allowWorkloadDisruption: true }, [[800.4, 5]]).actions).toEqual([
      'abort:completion-timeout',
    ]);
  });
});
