import { describe, expect, it } from 'vitest';
import { fixture, GiB, vm1 } from './cluster-fixture.ts';

// LW 1.10 rebuilding doc, longhorn/longhorn-engine:pkg/sync/sync.go, longhorn/sparse-tools:sparse/client.go
// (rebuild data flow: full = all snapshot files, delta = SHA-512 of every
// batch on both ends, fast = checksummed snapshots skipped, the head always copied; one source before
// LH 1.11; ≈ 40-100 MB/s per rebuild even on 10 GbE: LL#1948 61.3 MB/s); v2 differences from
// longhorn/longhorn-manager:scheduler/replica_scheduler.go and types/setting.go.
// Traffic is a flow over fabric.path(source, destination, 'storage') + the destination disk.

const STREAM = 61.3e6;
const SETUP = 5;
const ACTUAL = 40 * GiB;

function lose(f: ReturnType<typeof fixture>, node: string, atSeconds: number, backSeconds?: number) {
  f.at(atSeconds, () => f.model.nodePoweredOff(node, 'power-loss'));
  if (backSeconds !== undefined) f.at(backSeconds, () => f.model.nodeReady(node));
}

describe('where rebuild traffic flows', () => {
  it('over the storage network when there is one, else the management network', () => {
    for (const [storageNetwork, expected] of [
      ['25Gbps', 'storage'],
      [null, 'mgmt'],
    ] as const) {
      const f = fixture({ nodes: 4, storageNetwork });
      lose(f, 'n2', 100);
      let linkNames: string[] = [];
      f.at(800, () => {
        linkNames = f.fabric.net.flows.flatMap((flow) => flow.path.map((link) => link.name));
      });
      f.sim.run({ until: 801 });
      expect(f.records('rebuild.started')[0].data.network).toBe(
        expected === 'mgmt' ? 'management' : 'storage',
      );
      expect(linkNames).toEqual([`n1/${expected}/tx`, `n4/${expected}/rx`, 'n4/disk/data']);
    }
  });

  it('a rebuild is capped per stream, and the NIC caps it below that', () => {
    // 1 Gbps NIC = 125 MB/s; with a 200 MB/s stream cap the NIC binds: 40 GiB / 125 MB/s.
    const f = fixture({ nodes: 4, nic: '1Gbps', options: { rebuildStreamBytesPerSecond: 200e6 } });
    lose(f, 'n2', 100);
    f.sim.run({ until: 5000 });
    expect(f.records('rebuild.completed')[0].timeSeconds).toBeCloseTo(708 + SETUP + ACTUAL / 125e6, 6);
  });
});

describe('how much a rebuild sends', () => {
  it('delta (fast rebuild off): head + outage writes are sent, older data is read and hashed on both nodes', () => {
    // vm-1 writes 1 MB/s: head at failure 108 MB, outage writes 292 MB; SHA-512 at 500 MB/s (defaults).
    const f = fixture({ settings: { fastReplicaRebuildEnabled: false } });
    lose(f, 'n2', 100, 400);
    f.sim.run({ until: 5000 });
    const started = f.records('rebuild.started')[0].data;
    expect(started).toMatchObject({ kind: 'delta', bytesToSend: 400e6, hashBytes: ACTUAL - 108e6 });
    const hashSeconds = (ACTUAL - 108e6) / 500e6;
    expect(f.records('rebuild.completed')[0].timeSeconds).toBeCloseTo(
      400 + SETUP + hashSeconds + 400e6 / STREAM,
      6,
    );
  });

  it('outage writes grow the delta, at most to the volume size', () => {
    // 100 GiB volume written at 1 GB/s for 292 s: the delta is capped at 100 GiB.
    const f = fixture({ vms: [{ name: 'vm-1', node: 'n1', volumes: ['vol-1'], writeRate: '1GB/s' }] });
    lose(f, 'n2', 100, 400);
    f.sim.run({ until: 401 });
    expect(f.records('rebuild.started')[0].data.bytesToSend).toBe(100 * GiB);
  });

  it('a paused or stopped VM writes nothing, so the delta stops growing', () => {
    const f = fixture();
    lose(f, 'n2', 100, 400);
    f.at(200, () => f.model.setWritesSuspended(vm1, true));
    f.at(300, () => f.model.setWritesSuspended(vm1, false));
    f.sim.run({ until: 401 });
    // 108 MB head + (200 − 108) + (400 − 300) MB of outage writes.
    expect(f.records('rebuild.started')[0].data.bytesToSend).toBe(300e6);
  });

  it('rebuilds longer than 24 h fail (LL#6034; longhorn-engine GRPCServiceLongTimeout)', () => {
    // 6 TiB at 61.3 MB/s takes 107,620 s > 86,400 s.
    const f = fixture({ nodes: 4, diskSize: '20Ti', volumes: [{ name: 'vol-1', size: '8Ti', used: '6Ti' }] });
    lose(f, 'n2', 100);
    f.sim.run({ until: 200_000 });
    const failed = f.records('rebuild.failed')[0];
    expect(failed).toMatchObject({ timeSeconds: 708 + 86_400, data: { reason: 'timeout', kind: 'full' } });
    expect(failed.data.bytesSent).toBeCloseTo((86_400 - SETUP) * STREAM, 0);
    expect(f.records('rebuild.completed')).toHaveLength(0);
  });

  it('LH 1.11+ may read from several sources (replica-rebuild-concurrent-sync-limit)', () => {
    const f = fixture({ nodes: 4, harvesterVersion: '1.8.0', options: { rebuildConcurrentSyncLimit: 2 } });
    lose(f, 'n2', 100);
    f.sim.run({ until: 5000 });
    expect(f.records('rebuild.started')[0].data.sources).toEqual(['n1', 'n3']);
    expect(f.records('rebuild.completed')[0].timeSeconds).toBeCloseTo(708 + SETUP + ACTUAL / 2 / STREAM, 6);
  });
});

describe('v2 data engine (longhorn/longhorn-manager@v1.7.2:scheduler/replica_scheduler.go CheckAndReuseFailedReplica)', () => {
  it('LH <= 1.7 never reuses a failed replica: a new one is created at once, full', () => {
    const f = fixture({ nodes: 4, options: { dataEngine: 'v2' } }); // Harvester 1.4.2 = LH 1.7.2
    lose(f, 'n2', 100, 400);
    f.sim.run({ until: 5000 });
    expect(f.records('replenish.waiting')).toHaveLength(0);
    expect(f.records('replica.reused')).toHaveLength(0);
    expect(f.records('rebuild.started')[0]).toMatchObject({
      timeSeconds: 108,
      data: { kind: 'full', destination: 'n4' },
    });
  });

  it('LH <= 1.6 deletes the failed replica once a healthy one exists', () => {
    const f = fixture({ harvesterVersion: '1.3.1', options: { dataEngine: 'v2' } });
    lose(f, 'n2', 100);
    f.sim.run({ until: 200 });
    expect(f.records('replica.deleted')[0]).toMatchObject({
      timeSeconds: 108,
      data: { reason: 'v2-failed-replica' },
    });
  });

  it('replica-rebuilding-bandwidth-limit caps v2 rebuilds', () => {
    const f = fixture({ nodes: 4, options: { dataEngine: 'v2', rebuildBandwidthLimitBytesPerSecond: 20e6 } });
    lose(f, 'n2', 100);
    f.sim.run({ until: 200 });
    expect(f.records('rebuild.started')[0].data.rateCapBytesPerSecond).toBe(20e6);
  });
});

describe('data at risk and data locality', () => {
  it('bytes written while one healthy replica holds the data are reported', () => {
    // n2 and n3 fail at 108 s; n2 is reused at 400 s and healthy at 400 + 5 + 400 MB / 61.3 MB/s.
    const f = fixture();
    lose(f, 'n2', 100, 400);
    lose(f, 'n3', 100);
    f.at(3000, () => f.model.finish());
    f.sim.run({ until: 3001 });
    const risk = f.records('volume.data-at-risk');
    expect(risk).toHaveLength(1);
    const end = 400 + SETUP + 400e6 / STREAM;
    expect(risk[0].data.fromSeconds).toBe(108);
    expect(risk[0].data.toSeconds).toBeCloseTo(end, 6);
    expect(risk[0].data.bytes).toBeCloseTo((end - 108) * 1e6, 0);
  });

  it('best-effort locality: after a migration a replica is rebuilt on the new node and one elsewhere removed', () => {
    const f = fixture({
      nodes: 4,
      volumes: [{ name: 'vol-1', size: '100Gi', used: '40Gi', dataLocality: 'best-effort' }],
    });
    f.at(100, () => f.model.vmMigrated(vm1, 'n1', 'n4'));
    f.sim.run({ until: 2000 });
    expect(f.records('replica.created').at(-1)?.data).toMatchObject({ node: 'n4', reason: 'data-locality' });
    expect(f.records('rebuild.completed')[0].data).toMatchObject({ kind: 'full', destination: 'n4' });
    expect(f.records('replica.deleted')[0].data.reason).toBe('surplus');
    expect(
      f.model
        .replicas('default/vol-1')
        .map((r) => r.node)
        .sort(),
    ).toEqual(['n1', 'n2', 'n4']);
  });
});
