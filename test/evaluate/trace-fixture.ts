import type { TraceRecord } from '../../sim/index.ts';
import { inPlanTime, runSummary } from '../../src/evaluate/run-summary.ts';
import { storageFindings, storageMetrics } from '../../src/evaluate/storage.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import type { AnyRecord, RecordOf, Trace } from '../../src/trace/record.ts';

/** The `run.start` record the plan runner writes for a scenario, at a trace time. */
export function runStartRecord(
  scenario: Scenario,
  timeSeconds = 0,
  plan = 'test',
): RecordOf<'run', 'run.start'> {
  return {
    timeSeconds,
    subsystem: 'run',
    kind: 'run.start',
    data: {
      scenario: scenario.name,
      plan,
      seed: null,
      harvesterVersion: scenario.harvesterVersion,
      components: { ...scenario.profile.components },
      nodes: scenario.nodes.map((n) => ({ name: n.name, role: n.role })),
      vip: scenario.vip.address,
    },
  };
}

/** Records a model test wrote straight to a sink, as a trace that starts at time 0. */
export function traceFrom(records: readonly TraceRecord<string, unknown>[], scenario: Scenario): Trace {
  return [runStartRecord(scenario), ...(records as readonly AnyRecord[])];
}

/** Storage metrics and findings of records a model test wrote (plan time = trace time). */
export function storageOf(records: readonly TraceRecord<string, unknown>[], scenario: Scenario) {
  const trace = traceFrom(records, scenario);
  const run = runSummary(trace);
  const planTime = inPlanTime(trace, run.traceStartSeconds);
  return { metrics: storageMetrics(planTime, run), findings: storageFindings(planTime, run) };
}
