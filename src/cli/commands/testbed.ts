import type { Command } from 'commander';

interface ServeOptions {
  port: string;
  speed: string;
  seed?: string;
  kubeconfigOut?: string;
  etcd: boolean;
  for?: string;
}

function positive(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${option}: expected a number > 0, found '${value}'`);
  return n;
}

export function registerTestbed(program: Command): void {
  const testbed = program
    .command('testbed')
    .description('serve a simulated cluster as a Kubernetes API (the testbed)');
  testbed
    .command('serve')
    .description(
      'serve <scenario> over HTTPS on 127.0.0.1 with a real 3-member etcd for leadership, until Ctrl-C',
    )
    .argument('<scenario>', 'scenario YAML')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free port)', '0')
    .option('--speed <x>', 'simulated seconds per real second', '1')
    .option('--seed <seed>', 'root seed of the simulation')
    .option('--kubeconfig-out <file>', 'write a kubeconfig for the testbed once it listens (mode 0600)')
    .option('--no-etcd', 'serve etcd leadership from the model instead of real etcd members')
    .option('--for <seconds>', 'stop after this many real seconds')
    .action(async (scenarioPath: string, options: ServeOptions) => {
      // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10).
      const { loadScenario } = await import('../../scenario/load.ts');
      const { startTestbed } = await import('../../testbed/testbed.ts');
      const scenario = loadScenario(scenarioPath);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port: expected 0..65535, found '${options.port}'`);
      const bed = await startTestbed(scenario, {
        port,
        speed: positive(options.speed, '--speed'),
        seed: options.seed,
        realEtcd: options.etcd,
        kubeconfigOut: options.kubeconfigOut,
      });
      process.stderr.write(
        `testbed: ${scenario.name} at ${bed.url} (speed ${options.speed}x)` +
          (options.kubeconfigOut === undefined ? '' : `; kubeconfig in ${options.kubeconfigOut}`) +
          (bed.etcdEndpoints.length === 0 ? '' : `; etcd ${bed.etcdEndpoints.join(',')}`) +
          '\n',
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        if (options.for !== undefined) setTimeout(stop, positive(options.for, '--for') * 1000);
      });
      await bed.close();
    });
}
