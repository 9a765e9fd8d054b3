// The adapter's reading of Longhorn rebuilds from the Engine and Replica CRs
// (longhorn/longhorn-manager:k8s/pkg/apis/longhorn/v1beta2/engine.go: rebuildStatus keyed by the
// replica's address, replicaModeMap RW / WO / ERR), on canned CRs: which rebuilds are written, and how
// each ends.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/adapter/kube-client.ts';
import { ObservedTrace } from '../../src/adapter/observed-trace.ts';
import { RebuildObserver } from '../../src/adapter/rebuild-observer.ts';
import { PATHS } from '../../src/adapter/snapshot.ts';
import { parseTrace } from '../../src/trace/read.ts';

const GiB = 1024 ** 3;
const A1 = 'tcp://10.0.0.1:10015';
const A3 = 'tcp://10.0.0.4:10045';

/** One poll's worth of CRs: the replica r-3 in `mode`, rebuilding when `progress` is a number. */
function cluster(mode: 'WO' | 'RW' | 'ERR' | null, progress: number | null, healthyAt = '') {
  const engine = {
    metadata: { name: 'pvc-a-e-0' },
    spec: { volumeName: 'pvc-a' },
    status: {
      currentReplicaAddressMap: { 'pvc-a-r-1': A1, ...(mode === null ? {} : { 'pvc-a-r-3': A3 }) },
      replicaModeMap: { 'pvc-a-r-1': 'RW', ...(mode === null ? {} : { 'pvc-a-r-3': mode }) },
      rebuildStatus:
        progress === null
          ? {}
          : { [A3]: { isRebuilding: true, progress, fromReplicaAddressList: [A1], state: 'in_progress' } },
    },
  };
  const replicas = [
    {
      metadata: { name: 'pvc-a-r-1' },
      spec: { nodeID: 'n1', diskID: 'd', healthyAt: '2024-01-01T00:00:00Z' },
    },
    ...(mode === null
      ? []
      : [{ metadata: { name: 'pvc-a-r-3' }, spec: { nodeID: 'n4', diskID: 'd', healthyAt } }]),
  ];
  const volumes = [
    {
      metadata: { name: 'pvc-a' },
      status: { actualSize: 20 * GiB, kubernetesStatus: { pvcName: 'a', namespace: 'apps' } },
    },
  ];
  const lists: Record<string, unknown[]> = {
    [PATHS.engines]: [engine],
    [PATHS.replicas]: replicas,
    [PATHS.volumes]: volumes,
  };
  return { list: async (path: string) => lists[path] ?? [] } as unknown as KubeClient;
}

describe('RebuildObserver', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rebuild-observer-'));
    file = join(dir, 'observed.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** One observer over successive polls, each answered by the next canned cluster. */
  const run = async (polls: ReturnType<typeof cluster>[]) => {
    const trace = new ObservedTrace(file, Date.now(), 1);
    let current = polls[0];
    const observer = new RebuildObserver(trace, { list: (p: string) => current.list(p) } as KubeClient);
    for (const client of polls) {
      current = client;
      await observer.observe();
    }
    return parseTrace(readFileSync(file, 'utf8'), 'observed').filter((r) => r.subsystem === 'longhorn');
  };

  it('a new replica (no spec.healthyAt) rebuilding, then RW: started and completed with the actual size', async () => {
    const records = await run([cluster('WO', 0), cluster('WO', 50), cluster('RW', null)]);
    expect(records.map((r) => r.kind)).toEqual(['rebuild.started', 'rebuild.completed']);
    expect(records[0].data).toMatchObject({
      volume: 'apps/a',
      kind: 'full',
      sources: ['n1'],
      destination: 'n4',
      bytesToSend: 20 * GiB,
    });
    expect(records[1].data).toMatchObject({ replica: 'pvc-a-r-3', bytesSent: 20 * GiB });
  });

  it('a replica still WO between two engine updates has not ended', async () => {
    const records = await run([cluster('WO', 10), cluster('WO', null)]);
    expect(records.map((r) => r.kind)).toEqual(['rebuild.started']);
  });

  it('ERR ends it as failed with the bytes of the last progress', async () => {
    const records = await run([cluster('WO', 25), cluster('ERR', null)]);
    expect(records.map((r) => r.kind)).toEqual(['rebuild.started', 'rebuild.failed']);
    expect(records[1].data).toMatchObject({ reason: 'destination-lost', bytesSent: 5 * GiB });
  });

  it('a reused replica (spec.healthyAt set) is not written: what it sends is not published', async () => {
    const records = await run([
      cluster('WO', 10, '2024-01-01T00:00:00Z'),
      cluster('RW', null, '2024-01-01T00:00:00Z'),
    ]);
    expect(records).toEqual([]);
  });
});
