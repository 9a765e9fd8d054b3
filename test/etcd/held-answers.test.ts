/**
 * A leader's quiet answers wait (host.ts) and are stepped "in arrival order" (etcd's rafthttp keeps
 * one stream per peer; the kernel pops same-time events in the order they were scheduled). They are
 * kept ordered as they come: after every answer arriving at or before them, which is the order a
 * stable sort by arrival time gives, with no sort when they are stepped.
 */
import { describe, expect, it } from 'vitest';
import { HeldAnswers } from '../../src/etcd/host.ts';
import { type Message, message } from '../../src/etcd/raft/message.ts';

const answer = (from: string): Message => message({ type: 'MsgHeartbeatResp', from, to: 'leader', term: 2 });

describe('held answers', () => {
  it('are in arrival order, same-time answers in the order they were sent', () => {
    const held = new HeldAnswers();
    const sent: [number, string][] = [
      [3, 'a'],
      [1, 'b'],
      [2, 'c'],
      [1, 'd'],
      [3, 'e'],
      [0.5, 'f'],
    ];
    for (const [at, from] of sent) held.hold(at, answer(from));
    const pairs = () => held.at.map((at, i) => [at, held.msg[i].from]);
    expect(pairs()).toEqual([
      [0.5, 'f'],
      [1, 'b'],
      [1, 'd'],
      [2, 'c'],
      [3, 'a'],
      [3, 'e'],
    ]);
    // The same as a stable sort of the sent order by arrival time.
    const sorted = [...sent].sort((x, y) => x[0] - y[0]);
    expect(pairs()).toEqual(sorted);
  });
});
