/**
 * The cluster's write load in the Raft log: one log index per write, appended by the leader in
 * batches and replicated with its heartbeats (src/etcd/write-load.ts), and the sourced table of the
 * periodic writers (src/profiles/cluster-write-load-defaults.ts). Rules: Raft §5.3 and Figure 2
 * (AppendEntries receiver rules), etcd-io/raft log.go, raft.go `bcastHeartbeat`/`sendAppend`.
 */
import { describe, expect, it } from 'vitest';
import { RaftLog } from '../../src/etcd/raft/log.ts';
import { clusterWriteLoadDefaults, writesPerSecond } from '../../src/profiles/cluster-write-load-defaults.ts';
import { valuesOf } from '../../src/profiles/sourced.ts';
import { RaftNetwork } from './raft-network.ts';

const writes = (term: number, count: number) => ({ term, kind: 'writes' as const, ref: 0, count });

describe('a batch of writes takes one log index per write (Raft §5.3: entries are indexed one by one)', () => {
  it('batches of one term extend each other; reading from inside a batch returns its rest', () => {
    const log = new RaftLog([{ term: 1, kind: 'empty', ref: 0 }]);
    log.append(writes(1, 5));
    log.append(writes(1, 3));
    expect(log.lastIndex).toBe(9);
    expect(log.term(9)).toBe(1);
    expect(log.from(7)).toEqual([writes(1, 3)]);
    expect(log.all()).toEqual([{ term: 1, kind: 'empty', ref: 0, count: 1 }, writes(1, 8)]);
  });

  it('"If an existing entry conflicts with a new one (same index but different terms), delete the existing entry and all that follow it" (Figure 2, AppendEntries 3)', () => {
    const log = new RaftLog([writes(1, 10)], 4);
    // A leader of term 2 whose log matches ours up to index 4 sends three writes of its term.
    expect(log.maybeAppend(4, 1, [writes(2, 3)])).toBe(7);
    expect(log.lastIndex).toBe(7);
    expect(log.term(4)).toBe(1);
    expect(log.term(5)).toBe(2);
    expect(log.term(8)).toBe(-1);
  });

  it('"Append any new entries not already in the log" (Figure 2, AppendEntries 4): the part of a batch already held is kept', () => {
    const log = new RaftLog([writes(1, 6)]);
    expect(log.maybeAppend(2, 1, [writes(1, 8)])).toBe(10);
    expect(log.lastIndex).toBe(10);
    expect(log.all()).toEqual([writes(1, 10)]);
  });

  it('a conflict inside a committed prefix is a bug, not a truncation (Raft §5.4 Leader Completeness)', () => {
    const log = new RaftLog([writes(1, 10)], 8);
    expect(() => log.maybeAppend(4, 1, [writes(2, 3)])).toThrow(/committed/);
  });
});

describe('the leader replicates batches with its heartbeat (etcd raft bcastHeartbeat; an append carries the commit index)', () => {
  it('writes appended between beats reach both followers at the next beat and commit with a majority', () => {
    const net = new RaftNetwork(['a', 'b', 'c']);
    net.elect('a');
    const a = net.node('a');
    const before = a.log.lastIndex;
    expect(a.appendWrites(7)).toBe(before + 7);
    net.settle();
    // Not sent yet: no message is made per write.
    expect(net.node('b').log.lastIndex).toBe(before);
    a.tick();
    net.settle();
    expect(a.log.committed).toBe(before + 7);
    for (const id of ['b', 'c']) expect(net.node(id).log.lastIndex).toBe(before + 7);
  });

  it('a follower does not append writes: only the leader takes client proposals (etcd raft stepFollower forwards MsgProp)', () => {
    const net = new RaftNetwork(['a', 'b', 'c']);
    net.elect('a');
    expect(net.node('b').appendWrites(3)).toBe(0);
  });
});

describe('the periodic writers (src/profiles/cluster-write-load-defaults.ts)', () => {
  it('every entry names its upstream source', () => {
    for (const [key, entry] of Object.entries(clusterWriteLoadDefaults()))
      expect(entry.source, key).toMatch(/\S+\/\S+:\S+/);
  });

  it('a node adds its lease every 10 s (40 s x 0.25), status every 300 s and virt-handler every 96 s on average', () => {
    const load = valuesOf(clusterWriteLoadDefaults());
    const perNode =
      writesPerSecond(load, { nodes: 2, longhornVolumes: 0 }) -
      writesPerSecond(load, { nodes: 1, longhornVolumes: 0 });
    expect(perNode).toBeCloseTo(1 / 10 + 1 / 300 + 1 / 96, 12);
    // Without nodes or volumes: the leader-election leases, 3/2 + 1/2 + 2/2 + 4/5 writes per second.
    expect(writesPerSecond(load, { nodes: 0, longhornVolumes: 0 })).toBeCloseTo(3.8, 12);
  });
});
