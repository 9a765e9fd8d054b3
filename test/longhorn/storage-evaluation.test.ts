import { describe, expect, it } from 'vitest';
import { GuestModel } from '../../src/guest/model.ts';
import { storageOf } from '../evaluate/trace-fixture.ts';
import { fixture, GiB, vm1 } from './cluster-fixture.ts';

// Evaluation reads only trace records (STYLE.md "The shape of the whole"). Numbers by hand from the
// rules tested elsewhere: failure at 108 s, reuse at 400 s, 400 MB delta at 61.3 MB/s after 5 s setup.

const REUSE_DONE = 400 + 5 + 400e6 / 61.3e6;

function endPlan(f: ReturnType<typeof fixture>, atSeconds: number) {
  f.at(atSeconds, () => {
    f.model.finish();
    f.sim.trace.emit('plan', 'plan.end', { plan: 'test', ok: true, failedStep: null, reason: '' });
  });
}

describe('metrics.storage', () => {
  it('a node back within 600 s: one fast rebuild, degraded from 108 s until it ends, no data at risk', () => {
    const f = fixture();
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.at(400, () => f.model.nodeReady('n2'));
    endPlan(f, 2000);
    f.sim.run({ until: 2001 });
    const m = storageOf(f.sink.records, f.scenario).metrics;
    expect(m.bytesRebuilt).toBe(400e6);
    expect(m.rebuildSeconds).toBeCloseTo(5 + 400e6 / 61.3e6, 6);
    expect(m.rebuilds).toEqual({ full: 0, delta: 0, fast: 1, failed: 0 });
    expect(m.degradedVolumeSeconds).toBeCloseTo(REUSE_DONE - 108, 6);
    expect(m.dataAtRiskBytes).toBe(0);
    expect(m.volumesDegradedAtEnd).toEqual([]);
    expect(storageOf(f.sink.records, f.scenario).findings).toEqual([]);
  });

  it('two nodes lost: data at risk while one replica is healthy, degraded at the end, unschedulable', () => {
    const f = fixture();
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.at(100, () => f.model.nodePoweredOff('n3', 'power-loss'));
    f.at(400, () => f.model.nodeReady('n2'));
    endPlan(f, 2000);
    f.sim.run({ until: 2001 });
    const m = storageOf(f.sink.records, f.scenario).metrics;
    expect(m.dataAtRiskBytes).toBeCloseTo((REUSE_DONE - 108) * 1e6, 0);
    const modelRisk = f.records('volume.data-at-risk').reduce((sum, r) => sum + r.data.bytes, 0);
    expect(m.dataAtRiskBytes).toBeCloseTo(modelRisk, 0);
    expect(m.degradedVolumeSeconds).toBeCloseTo(2000 - 108, 6);
    expect(m.volumesDegradedAtEnd).toEqual(['default/vol-1']);
    const rules = storageOf(f.sink.records, f.scenario).findings.map((x) => [x.rule, x.severity]);
    expect(rules).toEqual([
      ['longhorn.volume-degraded-at-end', 'warning'],
      ['longhorn.replica-unschedulable', 'warning'],
    ]);
  });
});

describe('findings', () => {
  it('volume attached at node power-off, with the rebuild that follows', () => {
    const f = fixture({ nodes: 4 });
    f.at(100, () => f.model.nodePoweredOff('n1', 'graceful'));
    f.at(400, () => f.model.vmStopped(vm1, 'n1', 'node-lost'));
    f.at(410, () => f.model.vmStarted(vm1, 'n2'));
    endPlan(f, 3000);
    f.sim.run({ until: 3001 });
    const finding = storageOf(f.sink.records, f.scenario).findings.find(
      (x) => x.rule === 'longhorn.volume-attached-at-power-off',
    );
    expect(finding).toMatchObject({
      severity: 'warning',
      timeSeconds: 100,
      objects: ['volume/default/vol-1', 'node/n1'],
    });
    // n1's replica fails at attach (410 s); a new one on n4 at 410 + 600 s, a full 40 GiB copy.
    expect(finding?.detail).toContain(`1 rebuild(s) of it followed, ${40 * GiB} bytes sent`);
  });

  it('trim during a rebuild on Harvester 1.3.0: critical, with pauses and flaps; 1.3.1: info only', () => {
    for (const [version, rule, paused, flaps] of [
      ['1.3.0', 'longhorn.trim-during-rebuild', 671, 8],
      ['1.3.1', 'longhorn.trim-ineffective-during-rebuild', 0, 0],
    ] as const) {
      const f = fixture({
        harvesterVersion: version,
        vms: [
          {
            name: 'vm-1',
            node: 'n1',
            volumes: ['vol-1'],
            writeRate: '1MB/s',
            fstrim: { every: '168h', first: '2600s' },
          },
        ],
      });
      const guests = new GuestModel({ sim: f.sim, scenario: f.scenario, storage: f.model });
      guests.vmStarted(vm1, 'n1');
      f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
      f.at(2500, () => f.model.nodeReady('n2'));
      endPlan(f, 5000);
      f.sim.run({ until: 5001 });
      const m = storageOf(f.sink.records, f.scenario).metrics;
      expect(m.vmsPausedByTrim).toBe(flaps > 0 ? 1 : 0);
      expect(m.trimPausedSeconds).toBe(paused);
      expect(m.trimFlaps).toBe(flaps);
      const found = storageOf(f.sink.records, f.scenario).findings.filter((x) => x.rule.includes('trim'));
      expect(found.map((x) => x.rule)).toEqual([rule]);
      expect(found[0].severity).toBe(version === '1.3.0' ? 'critical' : 'info');
    }
  });
});

describe('tracing enabled after the model starts (the plan runner adds its sinks once the world settles)', () => {
  it('the starting state is recorded at the first event, so metrics see the write rate', async () => {
    const { MemorySink, Simulation } = await import('../../sim/index.ts');
    const { LonghornModel } = await import('../../src/longhorn/model.ts');
    const { Fabric } = await import('../../src/cluster/fabric.ts');
    const scenario = fixture().scenario;
    const sim = new Simulation({ seed: 1 });
    const model = new LonghornModel({ sim, fabric: new Fabric(sim, scenario), scenario });
    sim.run({ until: 30 });
    const sink = sim.trace.addSink(new MemorySink());
    sim.process(
      (function* () {
        yield sim.timeout(70);
        model.nodePoweredOff('n2', 'power-loss');
        model.nodePoweredOff('n3', 'power-loss');
        yield sim.timeout(1000);
        sim.trace.emit('plan', 'plan.end', { plan: 'test', ok: true, failedStep: null, reason: '' });
      })(),
      'harness',
    );
    sim.run({ until: 2000 });
    expect(sink.records[0]).toMatchObject({ timeSeconds: 100, kind: 'volume.state' });
    // One healthy replica from 108 s to 1100 s at 1 MB/s.
    expect(storageOf(sink.records, scenario).metrics.dataAtRiskBytes).toBeCloseTo((1100 - 108) * 1e6, 0);
  });
});
