import type { Command } from 'commander';

interface ImportOptions {
  kubeconfig?: string;
  context?: string;
  etcdEndpoints?: string;
  name: string;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'read a live cluster (or the testbed) into the scenario format, on stdout; unknowns on stderr',
    )
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option(
      '--etcd-endpoints <urls>',
      'etcd client URLs, comma-separated (default: published by the testbed)',
    )
    .option('--name <name>', 'scenario name', 'imported')
    .option('--json', 'print { scenario, unknowns } as JSON')
    .action(async (options: ImportOptions) => {
      // Loaded only when the command runs: @kubernetes/client-node and etcd3 are slow to load.
      const { scenarioFromSnapshot } = await import('../../adapter/import.ts');
      const { KubeClient } = await import('../../adapter/kube-client.ts');
      const { readSnapshot } = await import('../../adapter/snapshot.ts');
      const client = KubeClient.load({ kubeconfig: options.kubeconfig, context: options.context });
      const snapshot = await readSnapshot(client, {
        etcdEndpoints: options.etcdEndpoints?.split(',').filter((e) => e !== ''),
      });
      const result = scenarioFromSnapshot(snapshot, options.name);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ scenario: result.document, unknowns: result.unknowns }, null, 2)}\n`,
        );
        return;
      }
      process.stdout.write(result.yaml);
      for (const unknown of result.unknowns) process.stderr.write(`import: unknown: ${unknown}\n`);
    });
}
