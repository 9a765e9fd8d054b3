/**
 * Sweeping a MigrationPolicy (issue 13): `--grid 'policy.<name>.<field>=…'` varies a policy of the
 * scenario, the points run with it, and the recommendation adds the MigrationPolicy to apply.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { managementNode } from '../fixtures/management-node.ts';

const vm = (name: string, labels: Record<string, string>) => ({
  namespace: 'default',
  name,
  cpu: 1,
  memory: '1Gi',
  labels,
  evictionStrategy: 'LiveMigrate',
  volumes: [`${name}-root`],
  node: 'node-1',
  guest: { dirtyRate: '0KiB/s' },
});

const scenario = {
  name: 'policy-sweep',
  harvesterVersion: '1.6.1',
  vip: { address: '10.99.0.10' },
  networks: { management: { bandwidth: '10Gbps' } },
  nodes: [managementNode(1), managementNode(2), managementNode(3)],
  vms: [vm('bulk-1', { tier: 'bulk' }), vm('web-1', { app: 'web' })],
  volumes: ['bulk-1', 'web-1'].map((name) => ({ namespace: 'default', name: `${name}-root`, size: '10Gi' })),
  settings: {
    kubevirt: {
      migrationPolicies: [
        {
          name: 'bulk',
          selectors: { virtualMachineInstanceSelector: { tier: 'bulk' } },
          allowAutoConverge: true,
        },
      ],
    },
  },
};

describe('harvester-sim sweep over a MigrationPolicy', () => {
  it('runs each point with the policy value and recommends the MigrationPolicy to apply', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-sweep-'));
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, stringify(scenario));
    const args = ['node', 'harvester-sim', 'sweep', file, '--evacuate', 'node-1', '--threads', '1'];
    const grid = ['--grid', 'policy.bulk.bandwidthPerMigration=64Mi,1Gi'];
    expect(await main([...args, ...grid, '--json', '--output', join(dir, 'out.json')])).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    // bulk-1 (1 GiB) copies at its policy's cap: about 16 s at 64 MiB/s, 1 s at 1 GiB/s.
    const [slow, fast] = result.points;
    expect(slow.makespanSeconds - fast.makespanSeconds).toBeGreaterThan(16 - 1 - 2);
    expect(result.recommended).toBe(1);
    expect(result.recommendation.policyYaml).toBe(
      [
        'apiVersion: migrations.kubevirt.io/v1alpha1',
        'kind: MigrationPolicy',
        'metadata:',
        '  name: bulk',
        'spec:',
        '  selectors:',
        '    virtualMachineInstanceSelector:',
        '      tier: bulk',
        '  allowAutoConverge: true',
        '  bandwidthPerMigration: 1Gi',
        '',
      ].join('\n'),
    );
    // A policy the scenario does not have is refused before anything runs.
    const missing = ['--grid', 'policy.db.allowPostCopy=true,false', '--output', join(dir, 'x')];
    expect(await main([...args, ...missing])).not.toBe(0);
  }, 120_000);
});
