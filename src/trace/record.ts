/**
 * The trace is the contract between models, evaluation, reports and the real-cluster adapter.
 * Models write typed records through a `Recorder`; evaluation reads them through `select`, never
 * model internals; the adapter writes observed records of the same types, so "predicted vs
 * observed" compares two traces. Every record type of every subsystem is in `TraceRecordMap`
 * (docs/trace.md lists them with their fields and units).
 */
import type { EtcdRecordData } from './etcd.ts';
import type { KubeRecordData } from './kube.ts';
import type { KubevirtControllerRecordData, VmRecordData } from './kubevirt.ts';
import type { GuestRecordData, LonghornRecordData } from './longhorn.ts';
import type { MigrationRunRecordData } from './migration.ts';
import type { NodeRecordData } from './nodes.ts';
import type { PlanRecordData } from './plan.ts';
import type { RancherRecordData } from './rancher.ts';
import type { RunRecordData } from './run.ts';

/** Subsystem → kind → data: every record a run may contain. */
export interface TraceRecordMap {
  run: RunRecordData;
  plan: PlanRecordData;
  nodes: NodeRecordData;
  etcd: EtcdRecordData;
  kube: KubeRecordData;
  rancher: RancherRecordData;
  kubevirt: VmRecordData & KubevirtControllerRecordData;
  'kubevirt.migration': MigrationRunRecordData;
  longhorn: LonghornRecordData;
  guest: GuestRecordData;
}

export type Subsystem = keyof TraceRecordMap;
export type KindOf<S extends Subsystem> = keyof TraceRecordMap[S] & string;
export type DataOf<S extends Subsystem, K extends KindOf<S>> = TraceRecordMap[S][K];

/** One record of one subsystem and kind. `timeSeconds` is simulated (or observed) time. */
export interface RecordOf<S extends Subsystem, K extends KindOf<S>> {
  readonly timeSeconds: number;
  readonly subsystem: S;
  readonly kind: K;
  readonly data: DataOf<S, K>;
}

/** Any record of one subsystem, discriminated by `kind`. */
export type SubsystemRecord<S extends Subsystem> = { [K in KindOf<S>]: RecordOf<S, K> }[KindOf<S>];

/** Any record of the trace, discriminated by `subsystem` and `kind`. */
export type AnyRecord = { [S in Subsystem]: SubsystemRecord<S> }[Subsystem];

/** A run's records in time order. */
export type Trace = readonly AnyRecord[];

/** The records of one subsystem and kind, typed. */
export function select<S extends Subsystem, K extends KindOf<S>>(
  records: Trace,
  subsystem: S,
  kind: K,
): RecordOf<S, K>[] {
  return records.filter((r) => r.subsystem === subsystem && r.kind === kind) as unknown as RecordOf<S, K>[];
}

/** The records of one subsystem, typed and discriminated by kind. */
export function selectSubsystem<S extends Subsystem>(records: Trace, subsystem: S): SubsystemRecord<S>[] {
  return records.filter((r) => r.subsystem === subsystem) as SubsystemRecord<S>[];
}
