/**
 * `harvester-sim testbed serve`: the simulated cluster served as a Kubernetes API over HTTPS, with
 * a real etcd cluster on loopback for leadership. `startTestbed` returns once it listens.
 */
import { writeFileSync } from 'node:fs';
import type { Scenario } from '../scenario/types.ts';
import { selfSignedCertificate } from './certificate.ts';
import { TestbedCluster } from './cluster.ts';
import { TestbedServer } from './server.ts';

export interface TestbedOptions {
  readonly port?: number;
  /** Simulated seconds per real second (default 1). */
  readonly speed?: number;
  readonly seed?: number | string;
  /** Start a real etcd member per etcd node (default true). */
  readonly realEtcd?: boolean;
  /** Write a kubeconfig for the server here once it listens (mode 0600). */
  readonly kubeconfigOut?: string;
}

export interface Testbed {
  readonly url: string;
  readonly kubeconfig: string;
  readonly cluster: TestbedCluster;
  readonly server: TestbedServer;
  readonly etcdEndpoints: readonly string[];
  close(): Promise<void>;
}

export async function startTestbed(scenario: Scenario, options: TestbedOptions = {}): Promise<Testbed> {
  const certificate = selfSignedCertificate();
  const cluster = await TestbedCluster.start(scenario, {
    speed: options.speed ?? 1,
    seed: options.seed,
    realEtcd: options.realEtcd,
  });
  const server = new TestbedServer(cluster, certificate);
  try {
    await server.listen(options.port ?? 0);
  } catch (error) {
    await cluster.close();
    throw error;
  }
  const kubeconfig = server.kubeconfig();
  if (options.kubeconfigOut !== undefined) writeFileSync(options.kubeconfigOut, kubeconfig, { mode: 0o600 });
  return {
    url: server.url,
    kubeconfig,
    cluster,
    server,
    etcdEndpoints: cluster.etcd?.clientUrls() ?? [],
    async close() {
      await server.close();
      await cluster.close();
    },
  };
}
