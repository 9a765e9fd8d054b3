/**
 * Rule tests for the pure Raft state machine, each citing the Raft paper (Ongaro & Ousterhout 2014)
 * or the thesis (Ongaro 2014), and the etcd-io/raft code that implements the rule, in the manner of
 * etcd raft's raft_paper_test.go. Expected numbers come from the rules, not from running the code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { message, NONE } from '../../src/etcd/raft/message.ts';
import { quorumSize } from '../../src/etcd/raft/quorum.ts';
import { RaftNode } from '../../src/etcd/raft/raft.ts';
import { assertProperty } from '../fast-check-seed.ts';
import { config, RaftNetwork } from './raft-network.ts';

const THREE = ['a', 'b', 'c'] as const;

function voteRequest(
  from: string,
  to: string,
  term: number,
  index: number,
  logTerm: number,
  preVote = false,
) {
  return message({ type: preVote ? 'MsgPreVote' : 'MsgVote', from, to, term, index, logTerm });
}

function responses(node: RaftNode, type: string) {
  return node.ready().messages.filter((m) => m.type === type);
}

describe('terms (Raft §5.1)', () => {
  it('"If a server receives a request with a stale term number, it rejects the request" (§5.1)', () => {
    const n = new RaftNode(config('a', THREE), { term: 5, vote: NONE, commit: 0, entries: [] });
    n.step(voteRequest('b', 'a', 3, 0, 0));
    expect(n.term).toBe(5);
    expect(n.vote).toBe(NONE);
    expect(responses(n, 'MsgVoteResp')).toEqual([]);
  });

  it('"If one server\'s current term is smaller than the other\'s, then it updates its current term" and a leader reverts to follower (§5.1)', () => {
    const net = new RaftNetwork(THREE);
    net.elect('a');
    const a = net.node('a');
    expect(a.role).toBe('leader');
    a.step(message({ type: 'MsgHeartbeat', from: 'b', to: 'a', term: a.term + 3 }));
    expect(a.role).toBe('follower');
    expect(a.term).toBe(4);
  });

  it('a follower answers a stale leader with its term so the stale leader steps down (etcd raft Step, m.Term < r.Term, check-quorum)', () => {
    const n = new RaftNode(config('b', THREE, { checkQuorum: true }), {
      term: 7,
      vote: NONE,
      commit: 0,
      entries: [],
    });
    n.step(message({ type: 'MsgHeartbeat', from: 'a', to: 'b', term: 6 }));
    const [resp] = responses(n, 'MsgAppResp');
    expect(resp.term).toBe(7);
  });
});

describe('leader election (Raft §5.2)', () => {
  it('quorum is floor(n/2)+1: 1,2,2,3,3,4,4 for 1..7 voters (§5.2; etcd raft quorum/majority.go)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(quorumSize)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  it('"each server will vote for at most one candidate in a given term, on a first-come-first-served basis" (§5.2)', () => {
    const n = new RaftNode(config('a', THREE));
    n.step(voteRequest('b', 'a', 1, 0, 0));
    n.step(voteRequest('c', 'a', 1, 0, 0));
    const votes = responses(n, 'MsgVoteResp');
    expect(votes.map((m) => [m.to, m.reject])).toEqual([
      ['b', false],
      ['c', true],
    ]);
    expect(n.vote).toBe('b');
  });

  it('a candidate "increments its current term and transitions to candidate state. It then votes for itself" (§5.2)', () => {
    const n = new RaftNode(config('a', THREE));
    n.hup();
    expect([n.role, n.term, n.vote]).toEqual(['candidate', 1, 'a']);
    const sent = n.ready().messages;
    expect(sent.map((m) => [m.type, m.to, m.term])).toEqual([
      ['MsgVote', 'b', 1],
      ['MsgVote', 'c', 1],
    ]);
  });

  it('"A candidate wins an election if it receives votes from a majority of the servers" (§5.2)', () => {
    const n = new RaftNode(config('a', ['a', 'b', 'c', 'd', 'e']));
    n.hup();
    n.step(message({ type: 'MsgVoteResp', from: 'b', to: 'a', term: 1 }));
    expect(n.role).toBe('candidate');
    n.step(message({ type: 'MsgVoteResp', from: 'c', to: 'a', term: 1 }));
    expect(n.role).toBe('leader');
  });

  it('a candidate that a majority rejected returns to follower (etcd raft stepCandidate, VoteLost)', () => {
    const n = new RaftNode(config('a', THREE));
    n.hup();
    n.step(message({ type: 'MsgVoteResp', from: 'b', to: 'a', term: 1, reject: true }));
    n.step(message({ type: 'MsgVoteResp', from: 'c', to: 'a', term: 1, reject: true }));
    expect(n.role).toBe('follower');
  });

  it('"If the AppendEntries RPC is from another server claiming to be leader ... with term at least as large ... the candidate ... returns to follower state" (§5.2)', () => {
    const n = new RaftNode(config('a', THREE));
    n.hup();
    n.step(message({ type: 'MsgApp', from: 'b', to: 'a', term: 1 }));
    expect([n.role, n.lead]).toEqual(['follower', 'b']);
  });

  it('"election timeouts are chosen randomly": uniform in [electionTick, 2*electionTick) ticks (§5.2; etcd raft resetRandomizedElectionTimeout)', () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (tick, u) => {
          const n = new RaftNode(
            config('a', THREE, { electionTick: tick, randomBelow: (k) => Math.floor(u * k) }),
          );
          expect(n.randomizedElectionTimeout).toBeGreaterThanOrEqual(tick);
          expect(n.randomizedElectionTimeout).toBeLessThan(2 * tick);
          for (let i = 1; i < n.randomizedElectionTimeout; i++) n.tick();
          expect(n.role).toBe('follower');
          n.tick();
          expect(n.role).toBe('candidate');
        },
      ),
      { seed: 42 },
    );
  });

  it('a follower that hears from the leader does not time out (§5.2 "as long as it receives valid RPCs")', () => {
    const net = new RaftNetwork(THREE);
    net.elect('a');
    for (let i = 0; i < 50; i++) {
      net.tick('a');
      net.tick('b');
    }
    expect(net.leaders()).toEqual(['a']);
    expect(net.node('b').term).toBe(1);
  });
});

describe('election restriction (Raft §5.4.1)', () => {
  const cases: [string, number, number, boolean][] = [
    ['later last term wins even if shorter', 1, 3, true],
    ['earlier last term loses even if longer', 9, 1, false],
    ['same last term, longer log wins', 4, 2, true],
    ['same last term, same length wins', 3, 2, true],
    ['same last term, shorter log loses', 2, 2, false],
  ];
  for (const [name, index, logTerm, granted] of cases) {
    it(`"the voter denies its vote if its own log is more up-to-date": ${name} (§5.4.1; etcd raft isUpToDate)`, () => {
      // Voter's log: terms [1, 2, 2] → last index 3, last term 2.
      const entries = [1, 2, 2].map((term) => ({ term, kind: 'put' as const, ref: 0 }));
      const n = new RaftNode(config('a', THREE), { term: 2, vote: NONE, commit: 0, entries });
      n.step(voteRequest('b', 'a', 3, index, logTerm));
      const [resp] = responses(n, 'MsgVoteResp');
      expect(resp.reject).toBe(!granted);
    });
  }
});

describe('log replication (Raft §5.3, §5.4.2)', () => {
  it('a new leader appends an empty entry of its term and commits it with a majority (etcd raft becomeLeader; §5.4.2)', () => {
    const net = new RaftNetwork(THREE);
    net.elect('a');
    const a = net.node('a');
    expect(a.log.lastIndex).toBe(1);
    expect(a.log.entry(1)).toEqual({ term: 1, kind: 'empty', ref: 0 });
    expect(a.log.committed).toBe(1);
  });

  it('"If a follower\'s log is inconsistent with the leader\'s, the AppendEntries consistency check will fail" and the leader backs up (§5.3)', () => {
    const net = new RaftNetwork(THREE);
    net.elect('a');
    net.isolate('c');
    for (let i = 0; i < 5; i++) net.node('a').propose('put', i + 1);
    net.settle();
    net.heal();
    net.node('a').propose('put', 99);
    net.settle();
    expect(net.node('c').log.lastIndex).toBe(net.node('a').log.lastIndex);
    expect(net.node('c').log.committed).toBe(7);
  });

  it('"Raft never commits log entries from previous terms by counting replicas" (§5.4.2)', () => {
    // Leader of term 3 with an uncommitted entry of term 2 replicated on a majority.
    const entries = [
      { term: 1, kind: 'put' as const, ref: 0 },
      { term: 2, kind: 'put' as const, ref: 0 },
    ];
    const persisted = { term: 2, vote: NONE, commit: 1, entries };
    const net = new RaftNetwork(
      THREE,
      {},
      { a: persisted, b: persisted, c: { ...persisted, entries: entries.slice(0, 1) } },
    );
    net.isolate('b');
    net.isolate('c');
    net.elect('a');
    const a = net.node('a');
    expect(a.role).toBe('candidate');
    net.heal();
    net.elect('a');
    expect(a.role).toBe('leader');
    // Entry 2 (term 2) commits only together with the leader's term-3 entry 3.
    expect(a.log.term(a.log.committed)).toBe(a.term);
  });
});

describe('pre-vote (Raft thesis §9.6; etcd raft PreVote)', () => {
  it('a pre-candidate asks for votes at term+1 without changing its term or vote (etcd raft becomePreCandidate)', () => {
    const n = new RaftNode(config('a', THREE, { preVote: true }), {
      term: 4,
      vote: 'b',
      commit: 0,
      entries: [],
    });
    n.hup();
    expect([n.role, n.term, n.vote]).toEqual(['pre-candidate', 4, 'b']);
    const sent = n.ready().messages;
    expect(sent.map((m) => [m.type, m.term])).toEqual([
      ['MsgPreVote', 5],
      ['MsgPreVote', 5],
    ]);
  });

  it('a granted pre-vote majority starts the real election; a voter keeps its term while granting a pre-vote', () => {
    const net = new RaftNetwork(THREE, { preVote: true });
    net.elect('a');
    expect(net.leaders()).toEqual(['a']);
    expect(net.node('a').term).toBe(1);
    const preVotes = net.delivered.filter((m) => m.type === 'MsgPreVote');
    expect(preVotes.map((m) => m.term)).toEqual([1, 1]);
  });

  it('a member whose log is behind is refused the pre-vote, so it never disrupts the term (thesis §9.6)', () => {
    const ahead = {
      term: 2,
      vote: NONE,
      commit: 2,
      entries: [1, 2].map((term) => ({ term, kind: 'put' as const, ref: 0 })),
    };
    const behind = { term: 2, vote: NONE, commit: 1, entries: [{ term: 1, kind: 'put' as const, ref: 0 }] };
    const net = new RaftNetwork(THREE, { preVote: true }, { a: behind, b: ahead, c: ahead });
    net.elect('a');
    expect(net.node('a').role).toBe('follower');
    expect(net.node('b').term).toBe(2);
    expect(net.observations.filter((o) => o.type === 'vote-refused' && o.preVote)).toHaveLength(2);
  });
});

describe('check-quorum and leader lease (Raft thesis §6.2, §4.2.3; etcd raft CheckQuorum)', () => {
  it('a follower that heard from a leader within the election timeout ignores a vote request (etcd raft Step, inLease)', () => {
    const net = new RaftNetwork(THREE, { checkQuorum: true });
    net.elect('a');
    const b = net.node('b');
    b.step(voteRequest('c', 'b', 5, 10, 5));
    expect(b.term).toBe(1);
    const [ignored, ...rest] = b.ready().observations;
    expect(rest).toEqual([]);
    expect(ignored).toMatchObject({
      type: 'vote-ignored-in-lease',
      from: 'c',
      term: 5,
      preVote: false,
      remainingTicks: 10,
    });
  });

  it('the lease ends electionTick ticks after the last message from the leader', () => {
    const net = new RaftNetwork(THREE, { checkQuorum: true, randomBelow: (n) => n - 1 });
    net.elect('a');
    const b = net.node('b');
    for (let i = 0; i < 10; i++) b.tick();
    b.step(voteRequest('c', 'b', 5, 10, 5));
    expect(b.term).toBe(5);
    expect(b.vote).toBe('c');
  });

  it('a vote request caused by leadership transfer is not ignored under lease (etcd raft campaignTransfer)', () => {
    const net = new RaftNetwork(THREE, { checkQuorum: true });
    net.elect('a');
    const b = net.node('b');
    b.step(message({ type: 'MsgVote', from: 'c', to: 'b', term: 2, index: 1, logTerm: 1, transfer: true }));
    expect([b.term, b.vote]).toEqual([2, 'c']);
  });

  it('"stepped down to follower since quorum is not active": the first check (every election timeout) that finds no active majority since the last one steps down', () => {
    const net = new RaftNetwork(THREE, { checkQuorum: true });
    net.elect('a');
    net.isolate('a');
    // The votes and appends before the cut count as activity for the first check at tick 10.
    net.tick('a', 19);
    expect(net.node('a').role).toBe('leader');
    net.tick('a', 1);
    expect(net.node('a').role).toBe('follower');
    expect(net.observations.some((o) => o.type === 'step-down-quorum-inactive' && o.member === 'a')).toBe(
      true,
    );
  });

  it('a leader that hears from a majority stays leader', () => {
    const net = new RaftNetwork(THREE, { checkQuorum: true });
    net.elect('a');
    net.isolate('c');
    net.tick('a', 50);
    expect(net.leaders()).toEqual(['a']);
  });
});

describe('leadership transfer (Raft thesis §3.10; etcd raft MsgTransferLeader / MsgTimeoutNow)', () => {
  it('the leader sends MsgTimeoutNow to an up-to-date target, which campaigns at once and wins', () => {
    const net = new RaftNetwork(THREE, { checkQuorum: true, preVote: true });
    net.elect('a');
    net.node('a').transferLeadership('b');
    net.settle();
    expect(net.leaders()).toEqual(['b']);
    expect(net.node('b').term).toBe(2);
    // Transfer skips pre-vote: "we know we are not recovering from a partition".
    expect(net.delivered.filter((m) => m.type === 'MsgPreVote' && m.from === 'b')).toEqual([]);
  });

  it('the leader first brings a lagging target up to date, then sends MsgTimeoutNow', () => {
    const net = new RaftNetwork(THREE);
    net.elect('a');
    net.isolate('b');
    net.node('a').propose('put', 1);
    net.settle();
    net.heal();
    net.node('a').transferLeadership('b');
    net.settle();
    expect(net.leaders()).toEqual(['b']);
    const order = net.delivered.filter(
      (m) => m.to === 'b' && (m.type === 'MsgApp' || m.type === 'MsgTimeoutNow'),
    );
    expect(order.at(-1)?.type).toBe('MsgTimeoutNow');
  });

  it('proposals are dropped while a transfer is in progress (etcd raft stepLeader MsgProp)', () => {
    const net = new RaftNetwork(THREE);
    net.elect('a');
    net.isolate('b');
    net.node('a').transferLeadership('b');
    expect(net.node('a').propose('put', 7)).toBe(0);
  });

  it('a transfer that does not finish within one election timeout is aborted (etcd raft tickHeartbeat)', () => {
    const net = new RaftNetwork(THREE);
    net.elect('a');
    net.isolate('b');
    net.node('a').transferLeadership('b');
    net.tick('a', 10);
    expect(net.node('a').leadTransferee).toBe(NONE);
    expect(net.node('a').propose('put', 8)).toBeGreaterThan(0);
  });
});

describe('lone member (etcd raft campaign)', () => {
  it('without pre-vote a lone member starts an election each timeout and its term climbs', () => {
    const net = new RaftNetwork(THREE);
    net.isolate('a');
    net.tick('a', 10 * 5);
    expect(net.node('a').role).toBe('candidate');
    expect(net.node('a').term).toBe(5);
  });

  it('with pre-vote a lone member keeps retrying pre-votes at the same term', () => {
    const net = new RaftNetwork(THREE, { preVote: true });
    net.isolate('a');
    net.tick('a', 10 * 5);
    expect(net.node('a').role).toBe('pre-candidate');
    expect(net.node('a').term).toBe(0);
    expect(net.observations.filter((o) => o.type === 'vote-request' && o.preVote)).toHaveLength(10);
  });

  it('a single-voter cluster elects itself at once', () => {
    const n = new RaftNode(config('a', ['a'], { preVote: true }));
    n.hup();
    expect([n.role, n.term]).toEqual(['leader', 1]);
  });
});
