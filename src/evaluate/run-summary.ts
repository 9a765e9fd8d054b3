/**
 * What evaluation knows of a run, read from its `run.start`, `plan.end` and `run.end` records, and
 * the one place where trace time becomes plan time (seconds from `run.start`).
 */

import { type AnyRecord, select, type Trace } from '../trace/record.ts';
import type { RunRecordData } from '../trace/run.ts';

export interface RunSummary extends Readonly<RunRecordData['run.start']> {
  /** Whether the plan completed; false when it stopped or the trace has no `plan.end`. */
  readonly ok: boolean;
  readonly failedStep: number | null;
  readonly reason: string;
  /** Trace time of `run.start` (plan time 0). */
  readonly traceStartSeconds: number;
  /** Plan time of the end: `run.end`, else `plan.end`, else the last record. */
  readonly endSeconds: number;
}

/** A trace that cannot be evaluated (no `run.start`, records out of order). */
export class TraceError extends Error {}

export function runSummary(trace: Trace): RunSummary {
  const start = select(trace, 'run', 'run.start')[0];
  if (start === undefined) throw new TraceError('the trace has no run.start record');
  const planEnd = select(trace, 'plan', 'plan.end').at(-1);
  const runEnd = select(trace, 'run', 'run.end').at(-1);
  let lastSeconds = start.timeSeconds;
  for (const r of trace) if (r.timeSeconds > lastSeconds) lastSeconds = r.timeSeconds;
  const endTraceSeconds = runEnd?.data.endSeconds ?? planEnd?.timeSeconds ?? lastSeconds;
  return {
    ...start.data,
    ok: planEnd?.data.ok ?? false,
    failedStep: planEnd?.data.failedStep ?? null,
    reason: planEnd?.data.reason ?? 'the trace has no plan.end record',
    traceStartSeconds: start.timeSeconds,
    endSeconds: endTraceSeconds - start.timeSeconds,
  };
}

/**
 * The trace in plan time: every `timeSeconds`, and the data fields that hold trace times
 * (docs/trace.md marks them), minus the time of `run.start`. Records before it are dropped.
 */
export function inPlanTime(trace: Trace, traceStartSeconds: number): AnyRecord[] {
  const out: AnyRecord[] = [];
  for (const r of trace) {
    if (r.timeSeconds < traceStartSeconds) continue;
    out.push({
      ...r,
      timeSeconds: r.timeSeconds - traceStartSeconds,
      data: rebaseData(r, traceStartSeconds),
    } as AnyRecord);
  }
  return out;
}

function rebaseData(r: AnyRecord, offsetSeconds: number): AnyRecord['data'] {
  if (r.subsystem === 'longhorn' && r.kind === 'volume.data-at-risk')
    return {
      ...r.data,
      fromSeconds: r.data.fromSeconds - offsetSeconds,
      toSeconds: r.data.toSeconds - offsetSeconds,
    };
  if (r.subsystem === 'longhorn' && r.kind === 'replenish.waiting')
    return { ...r.data, untilSeconds: r.data.untilSeconds - offsetSeconds };
  if (r.subsystem === 'run' && r.kind === 'run.end') return { endSeconds: r.data.endSeconds - offsetSeconds };
  return r.data;
}
