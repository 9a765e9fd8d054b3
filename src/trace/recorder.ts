import type { Simulation } from '../../sim/index.ts';
import type { Subsystem } from './record.ts';

/** Writes one subsystem's records, typed by its record map (`NodeRecordData`, ...). */
export class Recorder<M> {
  constructor(
    private readonly sim: Simulation,
    readonly subsystem: Subsystem,
  ) {}

  emit<K extends keyof M & string>(kind: K, data: M[K]): void {
    if (this.sim.trace.enabled) this.sim.trace.emit(this.subsystem, kind, data);
  }
}
