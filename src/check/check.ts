/**
 * `checkPlan`: a pre-flight check of a plan on a scenario, before anything runs. It walks the plan
 * statically (src/check/static-run.ts) and applies the knowledge base's rules, quorum, VIP and
 * address rules at every step, Harvester's maintenance pre-checks, and the scenario's own facts
 * (src/check/scenario-facts.ts). Each problem names the step and the sentence it comes from.
 */
import type { Plan } from '../plan/format/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { longhornAdvice } from './longhorn-advice.ts';
import { maintenanceRules } from './maintenance-prechecks.ts';
import type { CheckProblem, CheckReport } from './problem.ts';
import {
  leaderRules,
  rancherRules,
  reporter,
  restartRules,
  supportBundleRules,
  workloadRules,
} from './procedure-rules.ts';
import { addressRules, quorumRules, quorumTable } from './quorum-rules.ts';
import { scenarioFactRules } from './scenario-facts.ts';
import { staticRun } from './static-run.ts';

export function checkPlan(scenario: Scenario, plan: Plan): CheckReport {
  const run = staticRun(scenario, plan);
  const problems: CheckProblem[] = [];
  const report = reporter(problems);
  supportBundleRules(run, report);
  rancherRules(run, report);
  workloadRules(run, report);
  leaderRules(run, report);
  restartRules(run, report);
  quorumRules(run, report);
  addressRules(run, report);
  maintenanceRules(run, report);
  scenarioFactRules(run, report);
  problems.sort((a, b) => (a.stepIndex ?? -1) - (b.stepIndex ?? -1));
  const advice: CheckProblem[] = [];
  longhornAdvice(scenario, reporter(advice));
  return { scenario: scenario.name, plan: plan.name, problems, advice, steps: quorumTable(run) };
}
