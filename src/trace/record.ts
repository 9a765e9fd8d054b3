/**
 * The trace is the contract between models, evaluation, reports and the real-cluster adapter.
 * Models write typed records; evaluation reads records, never model internals; the adapter writes
 * observed records of the same types, so "predicted vs observed" compares two traces.
 *
 * Each subsystem declares its record kinds in its own file here (`etcd.ts`, `nodes.ts`, ...).
 */
import type { TraceRecord } from '../../sim/index.ts';

export type { TraceRecord };

/** Subsystems that write records. */
export type Subsystem =
  | 'plan'
  | 'nodes'
  | 'etcd'
  | 'kube'
  | 'rancher'
  | 'kubevirt'
  | 'longhorn'
  | 'guest'
  | 'network';

/** Narrows a record list to one subsystem and kind. */
export function recordsOf<D>(
  records: readonly TraceRecord<string, any>[],
  subsystem: Subsystem,
  kind?: string,
) {
  return records.filter(
    (r) => r.subsystem === subsystem && (kind === undefined || r.kind === kind),
  ) as TraceRecord<string, D>[];
}
