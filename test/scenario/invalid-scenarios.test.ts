import { describe, expect, it } from 'vitest';
import { DocumentError } from '../../src/scenario/document-error.ts';
import { loadScenario, parseScenario, scenarioFromData } from '../../src/scenario/load.ts';
import { minimalScenarioYaml } from './minimal-scenario.ts';

/** The error lines parseScenario throws for `text` (fails the test if it does not throw DocumentError). */
function errorLines(text: string, fileName = 'bad.yaml'): string[] {
  try {
    parseScenario(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentError);
    return (error as DocumentError).message.split('\n');
  }
  throw new Error('expected a DocumentError');
}

const replace = (from: string, to: string) => {
  expect(minimalScenarioYaml).toContain(from);
  return minimalScenarioYaml.replace(from, to);
};

describe('invalid scenarios give one clear line naming file, line, path, expected and found', () => {
  it('accepts the minimal scenario', () => {
    expect(parseScenario(minimalScenarioYaml, 'ok.yaml').nodes).toHaveLength(3);
  });

  it('a missing required field', () => {
    expect(
      errorLines(
        replace(
          '    cpu: 8\n    memory: 32Gi\n    disks: [{ name: sda, size: 500Gi }]\n    ip: { mode: static, address: 10.0.0.1 }',
          '    memory: 32Gi\n    disks: [{ name: sda, size: 500Gi }]\n    ip: { mode: static, address: 10.0.0.1 }',
        ),
      ),
    ).toEqual(['bad.yaml:6:5: nodes[0].cpu: expected a CPU quantity such as 4 or "500m", found nothing']);
  });

  it('a wrong type', () => {
    expect(errorLines(replace('    cpu: 2\n', '    cpu: [2]\n'))).toEqual([
      'bad.yaml:27:10: vms[0].cpu: expected a CPU quantity such as 4 or "500m", found a list of 1 item',
    ]);
  });

  it('an unknown role', () => {
    expect(errorLines(replace('role: witness', 'role: master'))).toEqual([
      'bad.yaml:19:11: nodes[2].role: expected one of "management", "worker", "witness", found "master"',
    ]);
  });

  it('two witnesses', () => {
    const lines = errorLines(
      replace(
        'role: management\n    cpu: 8\n    memory: 32Gi\n    disks: [{ name: sda, size: 500Gi }]\n    ip: { mode: static, address: 10.0.0.2 }',
        'role: witness\n    cpu: 8\n    memory: 32Gi\n    disks: [{ name: sda, size: 500Gi }]\n    ip: { mode: static, address: 10.0.0.2 }',
      ),
    );
    expect(lines).toEqual([
      'bad.yaml:19:11: nodes[2].role: expected at most one witness node (harvester/docs:docs/advanced/witness.md); nodes[1] is already the witness, found "witness"',
    ]);
  });

  it('a witness without exactly 2 management nodes', () => {
    const text = `${minimalScenarioYaml.split('vms:')[0]}  - name: node-4
    role: management
    cpu: 8
    memory: 32Gi
    disks: [{ name: sda, size: 500Gi }]
    ip: { mode: static, address: 10.0.0.4 }
`;
    expect(errorLines(text)).toEqual([
      'bad.yaml:6:3: nodes: expected exactly 2 management nodes beside the witness (harvester/docs:docs/advanced/witness.md: 2 management + 1 witness = 3 etcd members), found 3 management nodes',
    ]);
  });

  it('"12XB" as a memory size', () => {
    expect(errorLines(replace('memory: 4Gi', 'memory: 12XB'))).toEqual([
      'bad.yaml:28:13: vms[0].memory: expected a Kubernetes quantity such as "64Mi", "1.5Gi", "10G" or "500m", found "12XB" (unknown suffix "XB")',
    ]);
  });

  it('a bad duration', () => {
    expect(
      errorLines(
        `${minimalScenarioYaml}settings:\n  longhorn:\n    replica-replenishment-wait-interval: 10 minutes\n`,
      ),
    ).toEqual([
      'bad.yaml:34:42: settings.longhorn.replica-replenishment-wait-interval: expected a Go duration such as "150s", "1h30m", "33.6h" or "300ms" (a bare number is seconds), found "10 minutes" (missing unit after "10")',
    ]);
  });

  it('an unknown field, listing the known ones', () => {
    const [line] = errorLines(replace('    cpu: 2\n', '    cpu: 2\n    cpus: 2\n'));
    expect(line).toMatch(
      /^bad\.yaml:28:5: vms\[0\]\.cpus: expected one of the fields namespace, name, cpu, memory, /,
    );
    expect(line).toMatch(/, found unknown field "cpus"$/);
  });

  it('a VM volume that is not declared', () => {
    expect(errorLines(replace('volumes: [vm1-disk]', 'volumes: [vm1-disk, vm1-data]'))).toEqual([
      'bad.yaml:29:25: vms[0].volumes[1]: expected the name of a volume declared under volumes in namespace "default", found "vm1-data"',
    ]);
  });

  it('a duplicate node name', () => {
    expect(errorLines(replace('name: node-2', 'name: node-1'))).toEqual([
      'bad.yaml:12:11: nodes[1].name: expected a node name not already used by nodes[0], found "node-1"',
    ]);
  });

  it('a downstream machine that is not a declared VM', () => {
    const text = `${minimalScenarioYaml}rancher:\n  importedIntoRancherManager: true\n  downstreamClusters:\n    - name: rke2\n      machines: [default/vm2]\n`;
    expect(errorLines(text)).toEqual([
      'bad.yaml:36:18: rancher.downstreamClusters[0].machines[0]: expected a VM declared under vms ("namespace/name"), found "default/vm2"',
    ]);
  });

  it('an etcd election timeout below 5 heartbeats (etcd Validate)', () => {
    const text = `${minimalScenarioYaml}settings:\n  etcd:\n    heartbeat-interval: 500\n    election-timeout: 2000\n`;
    expect(errorLines(text)).toEqual([
      'bad.yaml:35:23: settings.etcd.election-timeout: expected election-timeout at least 5 × heartbeat-interval (etcd-io/etcd:server/embed/config.go Validate), found 2000 ms with heartbeat 500 ms',
    ]);
  });

  it('a kubelet critical-pods grace above shutdownGracePeriod (kubelet validation: "shutdownGracePeriodCriticalPods must be <= shutdownGracePeriod")', () => {
    const text = `${minimalScenarioYaml}settings:\n  kubelet:\n    shutdown-grace-period: 30s\n    shutdown-grace-period-critical-pods: 60s\n`;
    const [line] = errorLines(text);
    expect(line).toMatch(
      /settings\.kubelet\.shutdown-grace-period-critical-pods: expected at most shutdown-grace-period .*, found 60 s with shutdown-grace-period 30 s$/,
    );
  });

  it('an unknown Harvester version', () => {
    const [line] = errorLines(replace('harvesterVersion: 1.3.0', 'harvesterVersion: 1.9.0'));
    expect(line).toMatch(
      /^bad\.yaml:2:19: harvesterVersion: expected a known Harvester version \(1\.2\.0, .*\), found "1\.9\.0"$/,
    );
  });

  it('a YAML syntax error', () => {
    const [line] = errorLines('name: [unclosed\n');
    expect(line).toMatch(/^bad\.yaml:\d+:\d+: \(document\): expected valid YAML, found /);
  });

  it('a document that is not a mapping', () => {
    expect(errorLines('- a\n- b\n')).toEqual([
      'bad.yaml:1:1: (document): expected a mapping, found a list of 2 items',
    ]);
  });

  it('a file that does not exist', () => {
    expect(() => loadScenario('scenarios/no-such-file.yaml')).toThrow(
      'scenarios/no-such-file.yaml: (document): expected a readable scenario file, found ENOENT',
    );
  });

  it('plain data (no file) gets paths without lines', () => {
    expect(() => scenarioFromData({ name: 'x' }, 'inline')).toThrow(
      /^inline: harvesterVersion: expected a Harvester version/,
    );
  });
});
