import type { Command } from 'commander';

/**
 * `validate <scenario> [plan]`: the checks `evaluate` makes before it runs anything (the document
 * size, YAML, every field and its bounds, the plan against the scenario), and the scenario's
 * warnings, without running. Exits 0 when valid (warnings included), 1 with one line per problem.
 */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a scenario (and a plan against it) without running; print the warnings')
    .argument('<scenario>', 'scenario YAML')
    .argument('[plan]', 'plan YAML')
    .addHelpText(
      'after',
      '\nExit status:\n  0  valid (warnings are printed, they do not fail)\n  1  invalid: one line per problem on stderr\n',
    )
    .action(async (scenarioPath: string, planPath: string | undefined) => {
      // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10).
      const { checkPlanAgainstScenario } = await import('../../plan/format/check-against-scenario.ts');
      const { loadPlan } = await import('../../plan/format/load.ts');
      const { loadScenario } = await import('../../scenario/load.ts');
      const scenario = loadScenario(scenarioPath);
      const lines = [
        `${scenarioPath}: scenario '${scenario.name}' is valid (Harvester ${scenario.harvesterVersion}, ${count(scenario.nodes.length, 'node')}, ${count(scenario.vms.length, 'VM')}, ${count(scenario.volumes.length, 'volume')})`,
      ];
      if (planPath !== undefined) {
        const plan = loadPlan(planPath);
        checkPlanAgainstScenario(plan, scenario);
        lines.push(`${planPath}: plan '${plan.name}' is valid on it (${count(plan.steps.length, 'step')})`);
      }
      for (const warning of scenario.warnings) lines.push(`warning: ${warning}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
