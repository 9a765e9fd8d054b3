/**
 * harvester-sim's public entry point: load a scenario and a plan, run the plan on the simulated
 * cluster, evaluate the trace, report. The kernel is `harvester-sim/sim`.
 */
export { type Evaluation, evaluate, type SubsystemEvaluator } from './evaluate/evaluate.ts';
export type { Finding, Severity } from './evaluate/finding.ts';
export { standardEvaluators, standardExtensions } from './evaluate/standard.ts';
export { checkPlanAgainstScenario } from './plan/format/check-against-scenario.ts';
export { loadPlan, parsePlan, planFromData } from './plan/format/load.ts';
export type { Plan, PlanStep } from './plan/format/types.ts';
export { type PlanRun, type PlanRunOptions, runPlan, type WorldExtension } from './plan/runner/runner.ts';
export { profileFor } from './profiles/profile.ts';
export { terminalReport } from './report/terminal.ts';
export { DocumentError } from './scenario/document-error.ts';
export { loadScenario, parseScenario, scenarioFromData } from './scenario/load.ts';
export type { Scenario } from './scenario/types.ts';
export type { WorldObserver } from './world/observer.ts';
export { World } from './world/world.ts';
