/**
 * The seed articles' other facts as `infrastructure:` in a scenario, checked against a plan; each
 * rule cites its seed sentence (src/evaluate/kb-sentences.ts SEED_FACTS).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check.ts';
import { covered } from '../../src/check/ipv4.ts';
import { SEED_FACTS } from '../../src/evaluate/kb-sentences.ts';
import { parsePlan } from '../../src/plan/format/load.ts';
import { parseScenario } from '../../src/scenario/load.ts';

const root = new URL('../../', import.meta.url).pathname;
const witnessText = readFileSync(`${root}scenarios/seed-witness.yaml`, 'utf8');
const kbText = readFileSync(`${root}scenarios/plans/kb-shutdown-restart.yaml`, 'utf8').replace(
  'method: delete-pod',
  'method: etcdctl',
);
const withInfrastructure = (yaml: string) =>
  parseScenario(`${witnessText}\ninfrastructure:\n${yaml}`, 'infra.yaml');
const rules = (yaml: string, plan = kbText) =>
  checkPlan(withInfrastructure(yaml), parsePlan(plan, 'plan.yaml')).problems.map(
    (p) => `${p.stepId}: ${p.rule}`,
  );

describe('RKE2 cluster token', () => {
  it('"Do not attempt to rotate the RKE2 token": a rotated token is flagged at the first etcd member rebooted', () => {
    expect(rules('  rke2TokenRotated: true\n')).toEqual(['power-on-last-shut-down: rke2.token-rotated']);
  });
});

describe('HTTP proxy noProxy', () => {
  it('"the internal IPs and CIDRs are specified in the noProxy field": missing node IPs, VIP and cluster CIDRs are named', () => {
    const scenario = withInfrastructure(
      '  httpProxy:\n    httpProxy: http://proxy:3128\n    noProxy: [localhost, 127.0.0.1, 192.168.122.0/24]\n',
    );
    const problems = checkPlan(scenario, parsePlan(kbText, 'plan.yaml')).problems;
    expect(problems.map((p) => p.rule)).toEqual(['proxy.no-proxy-incomplete']);
    expect(problems[0].message).toContain('the pod CIDR 10.52.0.0/16');
    expect(problems[0].message).toContain('the service CIDR 10.53.0.0/16');
    expect(problems[0].message).not.toContain('VIP');
    expect(problems[0].source).toBe(SEED_FACTS.noProxyWebhook);
  });

  it("Harvester's documented default noProxy (10.0.0.0/8) with the node subnet covers everything", () => {
    expect(
      rules(
        '  httpProxy:\n    noProxy: [localhost, 127.0.0.1, 0.0.0.0, 10.0.0.0/8, 192.168.122.0/24, .svc, .cluster.local]\n',
      ),
    ).toEqual([]);
  });

  it('CIDR cover: 10.0.0.0/8 covers 10.52.0.0/16; 10.52.0.0/24 does not', () => {
    expect(covered(['10.0.0.0/8'], '10.52.0.0/16')).toBe(true);
    expect(covered(['10.52.0.0/24'], '10.52.0.0/16')).toBe(false);
    expect(covered(['192.168.122.144'], '192.168.122.144')).toBe(true);
  });
});

describe('iSCSI-booted nodes', () => {
  const san = (grub: string) =>
    `  externalSystems:\n    - { kind: iscsi-target, name: san-1, bootsNodes: [harv41, harv42], grubParameters: ${grub} }\n`;
  const withSan = (plan: string) =>
    plan
      .replace('  - step: offline\n', '  - step: external.shutdown\n    system: san-1\n  - step: offline\n')
      .replace(
        /( {2}- step: node\.power-on\n {4}id: power-on-last-shut-down)/,
        '  - step: external.power-on\n    system: san-1\n$1',
      );

  it('"the storage devices are attached to a system other than the computers using that storage": nodes powered on before their target', () => {
    const plan = kbText.replace(
      '  - step: offline\n',
      '  - step: external.shutdown\n    system: san-1\n  - step: offline\n',
    );
    expect(rules(san('persisted'), plan)).toEqual([
      'power-on-last-shut-down: iscsi.node-before-target',
      'power-on-etcd-members: iscsi.node-before-target',
    ]);
  });

  it('passes when the target goes down after its nodes and comes back before them', () => {
    expect(rules(san('persisted'), withSan(kbText))).toEqual([]);
  });

  it('"will persist across node reboots but not across system upgrades, which will overwrite the GRUB parameters"', () => {
    const report = checkPlan(
      withInfrastructure(san('lost-by-upgrade')),
      parsePlan(withSan(kbText), 'p.yaml'),
    );
    expect(report.problems.map((p) => p.rule)).toEqual(['iscsi.grub-parameters']);
    expect(report.problems[0].source).toContain(SEED_FACTS.iscsiUpgrade);
  });
});

describe('VM disks on an external Ceph cluster', () => {
  const ceph = (config: string) => `  externalSystems:\n    - { kind: ceph, name: ceph-ext }\n${config}`;
  const cephVolume = (text: string) =>
    text
      .replace('volumes: [vm1-rootdisk]', 'volumes: [vm1-rootdisk, vm1-ceph]')
      .replace(
        'volumes:\n  # Sizes',
        'volumes:\n  - { namespace: default, name: vm1-ceph, size: 10Gi, provisioner: external, driver: rook-ceph.rbd.csi.ceph.com }\n  # Sizes',
      );
  const scenario = (config: string) =>
    parseScenario(`${cephVolume(witnessText)}\ninfrastructure:\n${ceph(config)}`, 'ceph.yaml');
  const config =
    '  csiDriverConfig:\n    rook-ceph.rbd.csi.ceph.com: { volumeSnapshotClassName: csi-rbdplugin-snapclass-external }\n';

  it('"you need to set up some essential configurations through the Harvester csi-driver-config setting"', () => {
    const problems = checkPlan(scenario(''), parsePlan(kbText, 'p.yaml')).problems;
    expect(problems.map((p) => p.rule)).toEqual(['csi.driver-config-missing']);
    expect(checkPlan(scenario(config), parsePlan(kbText, 'p.yaml')).problems).toEqual([]);
  });

  it('VMs with disks on Ceph started while the Ceph cluster is down', () => {
    const plan = kbText.replace(
      '  - step: offline\n',
      '  - step: external.shutdown\n    system: ceph-ext\n  - step: offline\n',
    );
    const problems = checkPlan(scenario(config), parsePlan(plan, 'p.yaml')).problems;
    expect(problems.map((p) => `${p.stepId}: ${p.rule}`)).toEqual(['19-vm.start: ceph.vms-before-cluster']);
    expect(problems[0].source).toContain(SEED_FACTS.cephExternal);
  });
});

describe('Longhorn best practices, as advice', () => {
  it('"Set the default replica count to "2"": the Harvester default of 3 is advice, not a problem', () => {
    const report = checkPlan(withInfrastructure('  rke2TokenRotated: false\n'), parsePlan(kbText, 'p.yaml'));
    expect(report.problems).toEqual([]);
    expect(report.advice.map((a) => a.rule)).toContain('longhorn.best-practice.replica-count');
    expect(report.advice.find((a) => a.rule === 'longhorn.best-practice.replica-count')?.source).toBe(
      SEED_FACTS.longhornReplicaCount,
    );
  });
});
