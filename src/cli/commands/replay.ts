import type { Command } from 'commander';
import type { ReplayOptions } from './replay-run.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'dry-run a plan on a scenario or a live cluster (prediction + runbook); --execute runs it with a journal',
    )
    .argument('[plan]', 'plan YAML (not needed with --resume or --restore)')
    .option('--scenario <file>', 'scenario YAML (default: import the cluster of --kubeconfig)')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (or the testbed)')
    .option('--context <name>', 'kubeconfig context')
    .option(
      '--etcd-endpoints <urls>',
      'etcd client URLs, comma-separated (default: published by the testbed)',
    )
    .option('--execute', 'run the plan against the cluster')
    .option('--journal <file>', 'append-only journal of --execute (required with it)')
    .option('--resume <journal>', 'continue an executed replay without repeating finished steps')
    .option('--restore <journal>', 'put back every value the journal recorded')
    .option('--yes', 'do not ask before destructive steps')
    .option('--power <driver>', 'node power: manual (prompt), testbed, or command', 'manual')
    .option(
      '--power-on-command <template>',
      "with --power command: e.g. 'ipmitool -H bmc-{node} chassis power on'",
    )
    .option('--power-off-command <template>', 'with --power command')
    .option('--power-status-command <template>', 'with --power command: prints on/off')
    .option('--time-scale <x>', 'cluster seconds per real second (default: the testbed speed, else 1)')
    .option('--seed <seed>', 'seed of the prediction')
    .option('--predicted-out <file>', 'write the predicted trace (dry run)')
    .option(
      '--allow-rule <rule...>',
      'waive a preflight gate by its rule name (a check rule, or preflight.node-ready, ...)',
    )
    .option('--skip-preflight', 'run without the preflight gates (values are still journaled first)')
    .option('--json', 'dry run: print { evaluation, runbook } as JSON')
    .action(async (planFile: string | undefined, o: ReplayOptions) => {
      // The adapter (@kubernetes/client-node, etcd3) loads only when the command runs, so it does not
      // slow the start of every other command.
      const { runReplay } = await import('./replay-run.ts');
      await runReplay(planFile, o);
    });
}
