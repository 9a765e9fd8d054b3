import { describe, expect, it } from 'vitest';
import { GuestModel } from '../../src/guest/model.ts';
import type { GuestModelOptions } from '../../src/guest/trim-options.ts';
import { type FixtureOptions, fixture, GiB, vm1 } from '../longhorn/cluster-fixture.ts';

// KB the_potential_risk_with_filesystem_trim: "The IO errors will cause VMs to flap between running and
// paused states until volume rebuilding is completed." Affected: Harvester v1.2.0, v1.2.1, v1.3.0;
// fixed: v1.2.2, v1.3.1 (LH 1.5.4/1.6.1/1.7.0 return success with 0 bytes, longhorn-engine PR #1008).
// KubeVirt retry: 10 s doubling to 180 s (pkg/virt-handler/vm.go), from v0.59 (PR #8657).
//
// Timeline (hand calculation): n2 loses power at 100 s, its replica fails at 108 s and is deleted as
// stale at 1908 s; n2 is Ready at 2500 s and a full rebuild of 40 GiB starts at once:
// done at 2500 + 5 + 40 GiB / 61.3 MB/s = 3205.65 s. The guest trims at 2600 s.

const REBUILD_END = 2500 + 5 + (40 * GiB) / 61.3e6;

function trimDuringRebuild(
  harvesterVersion: string,
  guest: GuestModelOptions = {},
  extra: FixtureOptions = {},
  firstTrim = '2600s',
) {
  const f = fixture({
    harvesterVersion,
    vms: [
      {
        name: 'vm-1',
        node: 'n1',
        volumes: ['vol-1'],
        writeRate: '1MB/s',
        fstrim: { every: '168h', first: firstTrim },
      },
    ],
    ...extra,
  });
  const guests = new GuestModel({ sim: f.sim, scenario: f.scenario, storage: f.model, options: guest });
  guests.vmStarted(vm1, 'n1');
  f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
  f.at(2500, () => f.model.nodeReady('n2'));
  const guestRecords = (kind: string) =>
    f.sink.records.filter((r) => r.subsystem === 'guest' && r.kind === kind);
  return { ...f, guests, guestRecords };
}

describe('trim during a rebuild on an affected version (Harvester 1.3.0, Longhorn 1.6.0)', () => {
  it('the VM pauses, is unpaused, retries and flaps until the rebuild ends', () => {
    const f = trimDuringRebuild('1.3.0');
    f.sim.run({ until: 5000 });
    expect(f.records('rebuild.completed')[0].timeSeconds).toBeCloseTo(REBUILD_END, 6);
    // Pauses begin at 2600, 2601, 2611, 2631, 2671, 2751, 2911, 3091; the unpause at 3271 (after
    // 180 s) finds the rebuild over. Paused 1 + 10 + 20 + 40 + 80 + 160 + 180 + 180 = 671 s.
    const paused = f.guestRecords('vm.paused').map((r) => r.timeSeconds);
    expect(paused).toEqual([2600, 2601, 2611, 2631, 2671, 2751, 2911, 3091]);
    expect(f.guests.flapCount('default/vm-1')).toBe(8);
    expect(f.guests.pausedSeconds('default/vm-1')).toBe(671);
    expect(f.guests.isPaused('default/vm-1')).toBe(false);
    expect(f.guestRecords('vm.paused')[0].data).toMatchObject({
      reason: 'io-error',
      disk: 'disk-0',
      volume: 'default/vol-1',
    });
    expect(f.records('unmap').filter((r) => r.data.outcome === 'io-error')).toHaveLength(8);
  });

  it('without KubeVirt’s backoff (Harvester 1.2.1, KubeVirt 0.54) it flips every second', () => {
    const f = trimDuringRebuild('1.2.1');
    f.sim.run({ until: 5000 });
    // One 1 s pause per flap from 2600 s until the first unpause after the rebuild ends (3206 s).
    const flaps = Math.ceil(REBUILD_END) - 2600;
    expect(f.guests.flapCount('default/vm-1')).toBe(flaps);
    expect(f.guests.pausedSeconds('default/vm-1')).toBe(flaps);
  });

  it('a paused VM writes nothing', () => {
    const f = trimDuringRebuild('1.3.0');
    f.sim.run({ until: 2700 });
    const writes = f.records('volume.writes').map((r) => [r.timeSeconds, r.data.bytesPerSecond]);
    expect(writes.slice(0, 3)).toEqual([
      [0, 1e6],
      [2600, 0],
      [2601, 1e6],
    ]);
  });
});

describe('fixed versions and mitigations', () => {
  it('Harvester 1.3.1 (Longhorn 1.6.2): the trim succeeds with 0 bytes, no pause', () => {
    const f = trimDuringRebuild('1.3.1');
    f.sim.run({ until: 5000 });
    expect(f.guestRecords('vm.paused')).toHaveLength(0);
    expect(f.guestRecords('trim.finished')[0].data).toMatchObject({ outcome: 'zero-bytes-while-rebuilding' });
  });

  it('a trim outside a rebuild is fine on an affected version', () => {
    const f = trimDuringRebuild('1.3.0', {}, {}, '2000s');
    f.sim.run({ until: 2100 });
    expect(f.records('unmap')[0].data).toMatchObject({ outcome: 'ok', rebuilding: false });
    expect(f.guests.pausedVms()).toEqual([]);
  });

  it('mitigation 1: systemctl disable fstrim.timer', () => {
    const f = trimDuringRebuild('1.3.0', { defaults: { fstrimTimer: { enabled: false } } });
    f.sim.run({ until: 5000 });
    expect(f.guestRecords('trim.started')).toHaveLength(0);
  });

  it('the discard mount option trims on deletes: the VM pauses within a minute of the rebuild start', () => {
    const f = trimDuringRebuild('1.3.0', {
      defaults: { discardMountOption: true, fstrimTimer: { enabled: false } },
    });
    f.sim.run({ until: 5000 });
    // Discards every 60 s from t = 0: the first during the rebuild is at 2520 s.
    expect(f.guestRecords('vm.paused')[0].timeSeconds).toBe(2520);
  });

  it('Windows with DisableDeleteNotify=1 sends no TRIM', () => {
    const f = trimDuringRebuild('1.3.0', {
      defaults: { os: 'windows', windowsDisableDeleteNotify: true },
    });
    f.sim.run({ until: 5000 });
    expect(f.records('unmap')).toHaveLength(0);
  });

  it('v2 data engine on non-NVMe disks: every trim errors, even without a rebuild (harvester/docs PR #676)', () => {
    // Harvester 1.5.0 (Longhorn 1.8.1), v2 volume on SSDs, trim at 200 s, no outage: the VM keeps
    // flapping. Pauses at 200, 201, 211, 231, 271, 351, 511, 691, 871 (waits 10 … 180 s); each unpause
    // re-fails at once, so the VM is paused from 200 s on.
    const f = fixture({
      harvesterVersion: '1.5.0',
      diskKind: 'ssd',
      vms: [{ name: 'vm-1', node: 'n1', volumes: ['vol-1'], fstrim: { every: '168h', first: '200s' } }],
      options: { dataEngine: 'v2' },
    });
    const guests = new GuestModel({ sim: f.sim, scenario: f.scenario, storage: f.model });
    guests.vmStarted(vm1, 'n1');
    f.sim.run({ until: 1000 });
    const paused = f.sink.records.filter((r) => r.kind === 'vm.paused').map((r) => r.timeSeconds);
    expect(paused).toEqual([200, 201, 211, 231, 271, 351, 511, 691, 871]);
    expect(guests.isPaused('default/vm-1')).toBe(true);
    expect(guests.pausedSeconds('default/vm-1')).toBe(800);
  });

  it('stopping a paused VM ends its pause', () => {
    const f = trimDuringRebuild('1.3.0');
    f.at(2700, () => {
      f.model.vmStopped(vm1, 'n1', 'stopped');
      f.guests.vmStopped(vm1, 'n1', 'stopped');
    });
    f.sim.run({ until: 5000 });
    expect(f.guests.isPaused('default/vm-1')).toBe(false);
    expect(f.guests.pausedSeconds('default/vm-1')).toBe(100);
  });
});

describe('fstrim.timer on the calendar', () => {
  it('fires once a week inside the first hour of Monday (AccuracySec=1h); RandomizedDelaySec=6000 spreads it', () => {
    const names = Array.from({ length: 6 }, (_, i) => `vm-${i}`);
    const f = fixture({
      volumes: names.map((n) => ({ name: `${n}-root`, size: '10Gi', used: '1Gi' })),
      vms: names.map((n) => ({ name: n, node: 'n1', volumes: [`${n}-root`] })),
    });
    // Simulated second 0 = Wednesday 2024-04-03 00:00 UTC: the next Monday 00:00 is 5 days later.
    const monday = 5 * 86_400;
    const plain = new GuestModel({
      sim: f.sim,
      scenario: f.scenario,
      storage: f.model,
      options: { defaults: { fstrimTimer: { enabled: true } } },
    });
    for (const n of names) plain.vmStarted({ namespace: 'default', name: n }, 'n1');
    f.sim.run({ until: monday + 7 * 86_400 + 2 * 3600 });
    const starts = f.sink.records.filter((r) => r.kind === 'trim.started').map((r) => r.timeSeconds);
    expect(starts).toHaveLength(12);
    for (const t of starts) expect((t - monday) % (7 * 86_400)).toBeLessThan(3600);

    const g = fixture({
      volumes: names.map((n) => ({ name: `${n}-root`, size: '10Gi', used: '1Gi' })),
      vms: names.map((n) => ({ name: n, node: 'n1', volumes: [`${n}-root`] })),
    });
    const spread = new GuestModel({
      sim: g.sim,
      scenario: g.scenario,
      storage: g.model,
      options: { defaults: { fstrimTimer: { enabled: true, randomizedDelaySeconds: 6000 } } },
    });
    for (const n of names) spread.vmStarted({ namespace: 'default', name: n }, 'n1');
    g.sim.run({ until: monday + 3 * 3600 });
    const spreadStarts = g.sink.records
      .filter((r) => r.kind === 'trim.started')
      .map((r) => r.timeSeconds - monday);
    expect(spreadStarts).toHaveLength(6);
    for (const t of spreadStarts) expect(t).toBeLessThan(3600 + 6000);
    expect(Math.max(...spreadStarts)).toBeGreaterThan(3600);
  });
});

describe("the scenario's trim schedule", () => {
  it('runs at first, then once per period', () => {
    const f = fixture({
      vms: [{ name: 'vm-1', node: 'n1', volumes: ['vol-1'], fstrim: { every: '168h', first: '36h' } }],
    });
    const guests = new GuestModel({ sim: f.sim, scenario: f.scenario, storage: f.model });
    guests.vmStarted(vm1, 'n1');
    f.sim.run({ until: 36 * 3600 + 2 * 168 * 3600 + 1 });
    const starts = f.sink.records.filter((r) => r.kind === 'trim.started').map((r) => r.timeSeconds);
    expect(starts).toEqual([36 * 3600, 36 * 3600 + 168 * 3600, 36 * 3600 + 2 * 168 * 3600]);
  });
});
