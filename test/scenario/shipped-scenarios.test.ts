import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.ts';

const dir = 'scenarios';
const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));

describe('shipped scenarios', () => {
  it('ships the three scenarios the issue asks for', () => {
    expect(files).toEqual(
      expect.arrayContaining(['seed-witness.yaml', 'harvester-3node.yaml', 'production-12node.yaml']),
    );
  });

  it.each(files)('%s loads without errors or warnings', (file) => {
    const scenario = loadScenario(join(dir, file));
    expect(scenario.nodes.length).toBeGreaterThan(0);
    expect(scenario.warnings).toEqual([]);
  });

  it('seed-witness is the KB cluster: harv41/harv42 management, harv43 witness, harv2 worker, VIP .144', () => {
    const scenario = loadScenario(join(dir, 'seed-witness.yaml'));
    expect(scenario.nodes.map((node) => [node.name, node.role])).toEqual([
      ['harv41', 'management'],
      ['harv42', 'management'],
      ['harv43', 'witness'],
      ['harv2', 'worker'],
    ]);
    expect(scenario.vip.address).toBe('192.168.122.144');
    expect(scenario.harvesterVersion).toBe('1.3.0');
    expect(scenario.rancher.importedIntoRancherManager).toBe(true);
    expect(scenario.rancher.scaleAvailable).toBe(2); // controlplane.md S3: "2" with a witness
    const machines = scenario.rancher.downstreamClusters.flatMap((cluster) =>
      cluster.machines.map((m) => m.name),
    );
    expect(machines.length).toBeGreaterThan(0);
    expect(scenario.vms.some((vm) => !machines.includes(vm.name))).toBe(true); // traditional VMs too
    // KB volume sizes in bytes: 6442450944 = 6 GiB
    expect(scenario.volumes.find((volume) => volume.name === 'vm1-rootdisk')?.sizeBytes).toBe(6 * 1024 ** 3);
  });

  it('production-12node has 3 management + 9 workers, 150 VMs and 300 volumes', () => {
    const scenario = loadScenario(join(dir, 'production-12node.yaml'));
    expect(scenario.nodes.filter((node) => node.role === 'management')).toHaveLength(3);
    expect(scenario.nodes.filter((node) => node.role === 'worker')).toHaveLength(9);
    expect(scenario.vms).toHaveLength(150);
    expect(scenario.volumes).toHaveLength(300);
  });

  it('harvester-3node normalizes units: 25Gbps storage network = 3.125e9 B/s, 3.84T disk = 3.84e12 B', () => {
    const scenario = loadScenario(join(dir, 'harvester-3node.yaml'));
    expect(scenario.networks.storage?.bandwidthBytesPerSecond).toBe(3.125e9);
    expect(scenario.nodes[0].disks[1].sizeBytes).toBe(3.84e12);
    expect(scenario.settings.longhorn.replicaReplenishmentWaitIntervalSeconds).toBe(600);
    expect(scenario.settings.kubevirtMigrations.bandwidthPerMigrationBytesPerSecond).toBe(2 ** 30);
  });
});

describe('generated scenario', () => {
  it('production-12node.yaml is what scenarios/generate-production-12node.ts prints', () => {
    const generated = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scenarios/generate-production-12node.ts'],
      {
        encoding: 'utf8',
      },
    );
    expect(generated).toBe(readFileSync(join(dir, 'production-12node.yaml'), 'utf8'));
  });
});
