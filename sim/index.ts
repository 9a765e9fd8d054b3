export { Condition, type FirstOf } from './condition.ts';
export { EmptySchedule, Interrupt, LimitExceeded, SimulationError } from './errors.ts';
export { type Callback, Event, NORMAL, URGENT } from './event.ts';
export { EventHeap } from './heap.ts';
export { Process, type ProcessGenerator } from './process.ts';
export { DEFAULT_SEED, RandomStream, RandomStreams } from './random.ts';
export {
  type RunOptions,
  type RunOutcome,
  type RunResult,
  Simulation,
  type SimulationOptions,
} from './simulation.ts';
export {
  canonicalJson,
  HashSink,
  JsonLinesSink,
  MemorySink,
  type TraceRecord,
  Tracer,
  type TraceSink,
  traceHash,
} from './trace.ts';
