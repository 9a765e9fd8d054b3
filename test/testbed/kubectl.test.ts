// Real kubectl against the testbed (issue 14, deliverable 1): discovery, tables, the scale
// subresource, merge patches of annotations, `get vmi -A`; watches from a resourceVersion through
// @kubernetes/client-node; the power endpoint. Needs /usr/bin/kubectl and Debian's etcd-server.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/adapter/kube-client.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { etcdBinary } from '../../src/testbed/etcd-members.ts';
import { startTestbed, type Testbed } from '../../src/testbed/testbed.ts';

/** The repository root: paths below resolve from this file, not the working directory. */
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const kubectlPath = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
const missing = [
  kubectlPath === undefined ? 'kubectl' : null,
  existsSync(etcdBinary) ? null : 'etcd (etcd-server)',
].filter((m) => m !== null);
if (missing.length > 0)
  console.warn(`skipping the kubectl testbed tests: ${missing.join(' and ')} not installed`);

function kubectl(kubeconfig: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      kubectlPath as string,
      ['--kubeconfig', kubeconfig, '--request-timeout=20s', ...args],
      { timeout: 40_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

describe.skipIf(missing.length > 0)('the testbed serves a Kubernetes API that real kubectl uses', () => {
  let bed: Testbed;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'testbed-kubectl-'));
    kubeconfig = join(dir, 'kubeconfig');
    bed = await startTestbed(loadScenario(`${REPO}scenarios/seed-witness.yaml`), {
      speed: 10,
      kubeconfigOut: kubeconfig,
    });
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('kubectl get nodes lists the scenario nodes with their roles, Ready', async () => {
    const out = await kubectl(kubeconfig, 'get', 'nodes');
    // seed-witness.yaml: harv41, harv42 management; harv43 witness; harv2 worker.
    expect(out).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    expect(out).toMatch(/harv41\s+Ready\s+control-plane,etcd,master/);
    expect(out).toMatch(/harv43\s+Ready\s+etcd\s/);
    expect(out).toMatch(/harv2\s+Ready\s+<none>/);
  }, 60_000);

  it('kubectl get vmi -A lists the running VMIs with their nodes', async () => {
    const out = await kubectl(kubeconfig, 'get', 'vmi', '-A');
    expect(out).toMatch(/NAMESPACE\s+NAME\s+AGE\s+PHASE/);
    // seed-witness.yaml places vm1 on harv41 and db1 on harv42.
    expect(out).toMatch(/default\s+vm1\s+\S+\s+Running\s+harv41/);
    expect(out).toMatch(/default\s+db1\s+\S+\s+Running\s+harv42/);
  }, 60_000);

  it('kubectl annotate clears scale-available and kubectl scale scales rancher to 0 (KB step 2)', async () => {
    await kubectl(
      kubeconfig,
      '-n',
      'cattle-system',
      'annotate',
      'deployment',
      'rancher',
      'management.cattle.io/scale-available=',
      '--overwrite',
    );
    expect(
      await kubectl(kubeconfig, '-n', 'cattle-system', 'scale', 'deployment', 'rancher', '--replicas=0'),
    ).toContain('scaled');
    const json = JSON.parse(
      await kubectl(kubeconfig, '-n', 'cattle-system', 'get', 'deployment', 'rancher', '-o', 'json'),
    );
    expect(json.metadata.annotations['management.cattle.io/scale-available']).toBe('');
    expect(json.spec.replicas).toBe(0);
    expect(bed.cluster.world.rancher.rancherReplicas).toBe(0);
  }, 60_000);

  it('a watch from a resourceVersion sees the change a write makes (virtctl stop via the subresource)', async () => {
    const client = KubeClient.load({ kubeconfig });
    const before = await client.get<{ metadata: { resourceVersion: string } }>(
      '/apis/kubevirt.io/v1/virtualmachineinstances',
    );
    expect(Number(before.metadata.resourceVersion)).toBeGreaterThan(0);
    await client.put('/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/vm1/stop', {});
    // vm1 shuts down; its VMI goes away (the watch sees a DELETED or the list empties of vm1).
    await client.watchUntil<{ metadata: { name: string } }>(
      '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances',
      (objects) => !objects.some((o) => o.metadata.name === 'vm1'),
      30_000,
    );
    const vm = await client.get<{ spec: { runStrategy: string } }>(
      '/apis/kubevirt.io/v1/namespaces/default/virtualmachines/vm1',
    );
    expect(vm.spec.runStrategy).toBe('Halted');
  }, 60_000);

  it('refuses requests without the token', async () => {
    const out = await kubectl(kubeconfig, '--token', 'wrong', 'get', 'nodes').catch((e: Error) => e.message);
    expect(out).toMatch(/Unauthorized|must be logged in/);
  }, 60_000);

  it("the runbook's maintenance-mode commands work with kubectl: drain-requested → maintain-status completed; annotate- and uncordon undo it", async () => {
    // What Harvester's enableMaintenanceMode node action writes (harvester/harvester:pkg/api/node/handler.go).
    await kubectl(kubeconfig, 'annotate', 'node', 'harv2', 'harvesterhci.io/drain-requested=true');
    const status = () =>
      kubectl(
        kubeconfig,
        'get',
        'node',
        'harv2',
        '-o',
        'jsonpath={.metadata.annotations.harvesterhci\\.io/maintain-status} {.spec.unschedulable}',
      );
    const deadline = Date.now() + 45_000;
    let seen = await status();
    while (!seen.startsWith('completed') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      seen = await status();
    }
    expect(seen).toBe('completed true');
    await kubectl(
      kubeconfig,
      'annotate',
      'node',
      'harv2',
      'harvesterhci.io/maintain-status-',
      'harvesterhci.io/drain-requested-',
      'harvesterhci.io/drain-forced-',
    );
    await kubectl(kubeconfig, 'uncordon', 'harv2');
    expect(await status()).toBe(' false');
  }, 60_000);

  it("kubectl get --raw reads virt-handler's migration gauges through the pod proxy; kubectl get sb lists support bundles", async () => {
    const metrics = await kubectl(
      kubeconfig,
      'get',
      '--raw',
      '/api/v1/namespaces/harvester-system/pods/https:virt-handler-harv41:8443/proxy/metrics',
    );
    expect(metrics).toContain('# TYPE kubevirt_vmi_migration_data_remaining_bytes gauge');
    expect(metrics).toContain('# TYPE kubevirt_vmi_migration_memory_transfer_rate_bytes gauge');
    const bundles = await kubectl(kubeconfig, '-n', 'harvester-system', 'get', 'sb');
    expect(bundles).toBe('');
  }, 60_000);

  it('powers a node through the power endpoint; the real etcd member stops with it', async () => {
    const client = KubeClient.load({ kubeconfig });
    await client.post('/testbed/v1/nodes/harv2/power', { action: 'off', mode: 'graceful' });
    await client.watchUntil<{
      metadata: { name: string };
      status: { conditions: { type: string; status: string }[] };
    }>(
      '/api/v1/nodes',
      (nodes) =>
        nodes.some(
          (n) =>
            n.metadata.name === 'harv2' &&
            n.status.conditions.some((c) => c.type === 'Ready' && c.status !== 'True'),
        ),
      45_000,
    );
    expect((await client.get<{ state: string }>('/testbed/v1/nodes/harv2/power')).state).toMatch(
      /off|shutting-down/,
    );
  }, 60_000);
});
