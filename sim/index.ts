export { Condition, ConditionValue } from './condition.ts';
export { EmptySchedule, Interrupt, LimitExceeded, SimulationError } from './errors.ts';
export { type Callback, Event, NORMAL, URGENT } from './event.ts';
export { solveMaxMin } from './flow/maxmin.ts';
export { Flow, FlowNetwork, type FlowOutcome, type FlowSpec, Link } from './flow/network.ts';
export { EventHeap } from './heap.ts';
export { Process, type ProcessGenerator } from './process.ts';
export { DEFAULT_SEED, RandomStream, RandomStreams } from './random.ts';
export { Container } from './resources/container.ts';
export { Preempted, PreemptiveResource } from './resources/preemptive.ts';
export { Request, Resource } from './resources/resource.ts';
export { Store } from './resources/store.ts';
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
