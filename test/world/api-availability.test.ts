import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../sim/index.ts';
import { loopbackEnvironment } from '../../src/etcd/defaults.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { buildWorld } from '../../src/world/build-world.ts';

// Issue 15 §2: "A graceful leader stop moves leadership in a few milliseconds with no write outage;
// the world's availability probe must not turn that into a half-second outage. Availability changes
// are events, not samples."

const scenario = loadScenario(new URL('../../scenarios/seed-witness.yaml', import.meta.url).pathname);

const settledSeconds = 120;

function gracefulStopOfLeaderNode(seed: number) {
  const { world } = buildWorld(scenario, { seed });
  const sink = world.sim.trace.addSink(new MemorySink());
  world.start();
  world.sim.run({ until: settledSeconds });
  const leader = world.etcd.leader() as string;
  world.shutdown(leader, 'graceful');
  world.sim.run({ until: 400 });
  const api = sink.records.filter((r) => r.subsystem === 'kube' && r.kind.startsWith('api.'));
  const vipUnbound = sink.records.filter(
    (r) => r.subsystem === 'kube' && r.kind === 'vip.unbound' && r.timeSeconds > settledSeconds,
  );
  return { leader, api, vipUnbound };
}

describe('API availability follows etcd at every change (issue 15 §2)', () => {
  it('a graceful stop of the leader interrupts writes only while leadership moves (milliseconds)', () => {
    // etcd's Stop() transfers leadership first (etcd-io/etcd:server/etcdserver/server.go,
    // TransferLeadership); the leader drops proposals from the transfer's start (raft.go stepLeader)
    // until the transferee, told by MsgTimeoutNow, wins its election: one message to the transferee,
    // its WAL sync (new term), MsgVote, the voter's WAL sync, the vote back. With the calibrated
    // loopback environment's upper bounds and the world's 0.2 ms network round trip that is at most
    // 3 × (1.0 + 0.1) + 2 × 2.0 = 7.3 ms.
    const env = loopbackEnvironment();
    const oneWayMs = env.loopbackOneWayMs.value.max + 0.2 / 2;
    const boundSeconds = (3 * oneWayMs + 2 * env.walSyncMs.value.max) / 1000;
    for (const seed of [1, 2, 5]) {
      const { api, vipUnbound } = gracefulStopOfLeaderNode(seed);
      const down = api.findIndex((r) => r.kind === 'api.unavailable');
      expect(down, `seed ${seed}`).toBeGreaterThan(0);
      expect(api[down].data).toEqual({ reason: 'leadership-transfer' });
      const up = api[down + 1];
      expect(up.kind).toBe('api.available');
      expect(up.timeSeconds - api[down].timeSeconds).toBeGreaterThan(0);
      expect(up.timeSeconds - api[down].timeSeconds).toBeLessThanOrEqual(boundSeconds);
      // Nothing else: the API served before and after.
      expect(api.slice(down + 2).filter((r) => r.kind === 'api.unavailable')).toEqual([]);
      // kube-vip keeps the address through it: its lease is not lost in milliseconds.
      expect(vipUnbound).toEqual([]);
    }
  });
});
