/**
 * harvester-sim's public entry point: load a scenario and a plan, run the plan on the simulated
 * cluster, evaluate the trace, report. `simulate` does all of it in one call; the kernel is
 * `harvester-sim/sim`. docs/architecture.md shows the parts, docs/trace.md the trace contract.
 */

export { checkPlan } from './check/check.ts';
export type { CheckProblem, CheckReport } from './check/problem.ts';
export type { WorldObserver } from './cluster/observer.ts';
export {
  type CompareOptions,
  type Comparison,
  comparePlans,
  type PlanComparison,
} from './compare/compare.ts';
export { type Evaluation, evaluate, type Metrics, type SubsystemEvaluator } from './evaluate/evaluate.ts';
export type { Finding, Severity } from './evaluate/finding.ts';
export { type RunSummary, TraceError } from './evaluate/run-summary.ts';
export { checkPlanAgainstScenario } from './plan/format/check-against-scenario.ts';
export { loadPlan, parsePlan, planFromData } from './plan/format/load.ts';
export type { Plan, PlanStep } from './plan/format/types.ts';
export { type PlanRun, type PlanRunOptions, runPlan } from './plan/runner/runner.ts';
export { profileFor } from './profiles/profile.ts';
export { terminalReport } from './report/terminal.ts';
export { DocumentError } from './scenario/document-error.ts';
export { loadScenario, parseScenario, scenarioFromData } from './scenario/load.ts';
export type { Scenario } from './scenario/types.ts';
export { type SearchOptions, type SearchResult, searchPlan } from './search/search.ts';
export {
  type SimulateManyOptions,
  type SimulateOptions,
  type SimulationResult,
  simulate,
  simulateMany,
} from './simulate/simulate.ts';
export { TRACE_KINDS } from './trace/catalogue.ts';
export { parseTrace, TraceReadError } from './trace/read.ts';
export type { AnyRecord, RecordOf, Subsystem, Trace, TraceRecordMap } from './trace/record.ts';
export { select, selectSubsystem } from './trace/record.ts';
export { type BuiltWorld, buildWorld, type WorldExtension } from './world/build-world.ts';
export { World } from './world/world.ts';
