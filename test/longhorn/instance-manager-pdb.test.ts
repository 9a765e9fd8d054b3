/**
 * longhorn/longhorn-manager:controller/instance_manager_controller.go `canDeleteInstanceManagerPDB`
 * (v1.6.0), one rule per test; datastore/longhorn.go `ListVolumePDBProtectedHealthyReplicasRO`.
 */
import { describe, expect, it } from 'vitest';
import { instanceManagerPdbHold, type PdbVolumeView } from '../../src/longhorn/instance-manager-pdb.ts';

const replica = (
  node: string,
  extra: Partial<{ everHealthy: boolean; failed: boolean; stopped: boolean }> = {},
) => ({
  node,
  everHealthy: true,
  failed: false,
  stopped: true,
  ...extra,
});
const detached = (key: string, nodes: string[]): PdbVolumeView => ({
  key,
  engineNode: null,
  replicas: nodes.map((n) => replica(n)),
});
const cordoned = new Set(['n1']);
const schedulable = (n: string) => !cordoned.has(n);

describe('canDeleteInstanceManagerPDB', () => {
  it('"Must wait for all volumes detached from the current node first": an engine on the node holds the budget under always-allow too', () => {
    const attached: PdbVolumeView = { key: 'd/v', engineNode: 'n1', replicas: [replica('n2')] };
    expect(instanceManagerPdbHold('n1', 'always-allow', [attached], schedulable)?.volume).toBe('d/v');
  });

  it('block-for-eviction: "We must wait for ALL replicas to be evicted before removing the PDB"', () => {
    const v = detached('d/v', ['n1', 'n2', 'n3']);
    expect(instanceManagerPdbHold('n1', 'block-for-eviction', [v], schedulable)).not.toBeNull();
    expect(instanceManagerPdbHold('n1', 'block-if-contains-last-replica', [v], schedulable)).toBeNull();
  });

  it('a healthy replica on an unschedulable node protects nothing: the last schedulable one holds the budget', () => {
    const v = detached('d/v', ['n1', 'n2']);
    expect(
      instanceManagerPdbHold('n1', 'block-if-contains-last-replica', [v], (n) => n === 'n1'),
    ).not.toBeNull();
  });

  it('"If a replica has never been started ... Longhorn doesn\'t need to block the PDB removal" (longhorn/longhorn#2673)', () => {
    const v: PdbVolumeView = {
      key: 'd/v',
      engineNode: null,
      replicas: [replica('n1', { everHealthy: false })],
    };
    expect(instanceManagerPdbHold('n1', 'block-if-contains-last-replica', [v], schedulable)).toBeNull();
  });

  it('allow-if-replica-is-stopped skips stopped replicas only', () => {
    const running: PdbVolumeView = {
      key: 'd/v',
      engineNode: null,
      replicas: [replica('n1', { stopped: false })],
    };
    expect(
      instanceManagerPdbHold('n1', 'allow-if-replica-is-stopped', [running], schedulable),
    ).not.toBeNull();
    expect(
      instanceManagerPdbHold('n1', 'allow-if-replica-is-stopped', [detached('d/v', ['n1'])], schedulable),
    ).toBeNull();
  });
});
