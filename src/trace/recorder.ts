import type { Simulation, TraceRecord, TraceSink } from '../../sim/index.ts';
import type { AnyRecord, DataOf, KindOf, Subsystem } from './record.ts';

/** Writes one subsystem's records, typed by the trace contract: the only way models write records. */
export class Recorder<S extends Subsystem> {
  constructor(
    private readonly sim: Simulation,
    readonly subsystem: S,
  ) {}

  /** Whether anything listens: build costly record data only when true. */
  get enabled(): boolean {
    return this.sim.trace.enabled;
  }

  emit<K extends KindOf<S>>(kind: K, data: DataOf<S, K>): void {
    if (this.sim.trace.enabled) this.sim.trace.emit(this.subsystem, kind, data);
  }
}

/** Keeps a run's records in memory, typed: every record reaches it through a `Recorder`. */
export class RecordSink implements TraceSink {
  readonly records: AnyRecord[] = [];
  write(record: TraceRecord<string, unknown>): void {
    this.records.push(record as AnyRecord);
  }
}
