import type { Command } from 'commander';
import type { CheckReport } from '../../check/problem.ts';
import { setExitStatus } from '../exit-status.ts';

interface CheckOptions {
  json?: boolean;
}

/** Exit status when the check finds a problem (0: none; 1: bad input). */
export const CHECK_PROBLEM_EXIT = 2;

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'pre-flight check of a plan on a scenario, before anything runs: KB rules, quorum and VIP at every step, DHCP bindings, maintenance pre-checks; exits 2 on a problem',
    )
    .argument('<scenario>', 'scenario YAML')
    .argument('<plan>', 'plan YAML')
    .option('--json', 'print { scenario, plan, problems, advice, steps } as JSON')
    .action(async (scenarioPath: string, planPath: string, options: CheckOptions) => {
      // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10).
      const { checkPlan } = await import('../../check/check.ts');
      const { resolveInputs } = await import('../../simulate/simulate.ts');
      const { scenario, plan } = resolveInputs(scenarioPath, planPath);
      const report = checkPlan(scenario, plan);
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : checkText(report));
      setExitStatus(report.problems.length > 0 ? CHECK_PROBLEM_EXIT : 0);
    });
}

/** The human report: the quorum at every step, then each problem with its step and sentence. */
export function checkText(report: CheckReport): string {
  const lines = [`check: plan ${report.plan} on scenario ${report.scenario}`, ''];
  const idWidth = Math.max(4, ...report.steps.map((s) => s.stepId.length));
  lines.push(`  ${'step'.padEnd(idWidth)}  etcd on  quorum  API/VIP  leader may be on`);
  for (const s of report.steps)
    lines.push(
      `  ${s.stepId.padEnd(idWidth)}  ${`${s.etcdMembersOn}/${s.etcdMembers}`.padEnd(7)}  ${(s.quorum ? 'yes' : 'no').padEnd(6)}  ${(s.apiAndVip ? 'yes' : 'no').padEnd(7)}  ${s.leaderCandidates.join(', ')}`,
    );
  lines.push('');
  for (const a of report.advice) lines.push(`advice [${a.rule}] ${a.message}\n      source: ${a.source}`);
  if (report.advice.length > 0) lines.push('');
  if (report.problems.length === 0) {
    lines.push('no problems found');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}:`);
  for (const p of report.problems) {
    const where = p.stepId === null ? 'scenario' : `step ${p.stepId}`;
    lines.push(`  ${where}  [${p.rule}] ${p.message}`);
    lines.push(`      source: ${p.source}`);
  }
  return `${lines.join('\n')}\n`;
}
