/**
 * A coasting cluster (host.ts `coastable`: one serving leader, its serving followers, no put waiting,
 * no partition, the API writing) keeps its etcd events out of the kernel and replays them, in the
 * kernel's order, when etcd is next touched. The kernel orders events of one time by when they were
 * scheduled (sim/heap.ts: time, priority, then sequence), and so must the coast's queue; the replayed
 * leader ticks read the write rate of the moment they replay, so the rate may only change after
 * something touched etcd (world.ts: a node's power, the API's availability).
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.ts';
import { ARRIVAL, CoastQueue, WAKE } from '../../src/etcd/coast.ts';
import { EtcdCluster, etcdDefaults, type MemberId } from '../../src/etcd/index.ts';
import { message } from '../../src/etcd/raft/message.ts';

const IDS: MemberId[] = ['m1', 'm2', 'm3'];

describe('the coast queue', () => {
  it('takes entries by time, and those of one time in the order they were scheduled (as the kernel)', () => {
    const queue = new CoastQueue();
    const msg = (from: string) => message({ type: 'MsgHeartbeat', from, to: 'm1', term: 1 });
    const scheduled: [number, string][] = [
      [2, 'a'],
      [1, 'b'],
      [2, 'c'],
      [1, 'd'],
      [0.5, 'e'],
      [2, 'f'],
    ];
    for (const [at, from] of scheduled) queue.push(at, ARRIVAL, msg(from), null, 0);
    const taken: [number, string][] = [];
    while (queue.size > 0) {
      expect(queue.pop()).toBe(ARRIVAL);
      taken.push([queue.poppedAt, (queue.poppedMessage as { from: string }).from]);
    }
    // A stable sort of the scheduled order by time.
    expect(taken).toEqual([...scheduled].sort((x, y) => x[0] - y[0]));
    expect(WAKE).not.toBe(ARRIVAL);
  });
});

/** Three members whose API writes `initial` times a second until `setRate` changes it. */
function writingCluster(initial: number) {
  const sim = new Simulation({ seed: 5 });
  let rate = initial;
  const etcd = new EtcdCluster(sim, {
    members: IDS.map((id, i) => ({ id, node: `node${i + 1}` })),
    defaults: etcdDefaults('3.5.9', 'upstream'),
    writesPerSecond: () => rate,
  });
  return {
    sim,
    etcd,
    setRate: (value: number) => {
      rate = value;
    },
  };
}

describe('a coasting cluster', () => {
  it('fails with one line when the write rate changed while it coasted without etcd being touched', () => {
    // The leader appends the API's writes at its ticks (write-load.ts); replayed later, a tick would
    // read today's rate for yesterday's beat. The world touches etcd before the rate can change.
    const { sim, etcd, setRate } = writingCluster(50);
    sim.run({ until: 10 });
    expect(etcd.view('m1').ready).toBe(true);
    sim.run({ until: 20 });
    setRate(0);
    sim.run({ until: 30 });
    expect(() => etcd.view('m1')).toThrow(/^the etcd write rate changed while the cluster coasted/);
  });

  it('told first (as the world tells it of a node change), the beats before replay at the old rate and those after at the new', () => {
    // 50 writes/s for 10 s of beats: 500 log indexes, one per write (write-load.ts, carried between
    // beats, one beat's worth at most either way); after the rate drops to 0, none.
    const { sim, etcd, setRate } = writingCluster(50);
    sim.run({ until: 10 });
    const before = etcd.writesAppended();
    sim.run({ until: 20 });
    etcd.listenersDue();
    const written = etcd.writesAppended() - before;
    setRate(0);
    sim.run({ until: 30 });
    expect(etcd.writesAppended() - before).toBe(written);
    expect(written).toBeGreaterThanOrEqual(500 - 50 * 0.1);
    expect(written).toBeLessThanOrEqual(500 + 50 * 0.1);
  });
});
