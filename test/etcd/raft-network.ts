/**
 * A synchronous in-memory network of RaftNodes for rule tests, in the manner of etcd raft's
 * `network` in raft_test.go: messages are delivered in order until none are left, and links can be
 * cut. No clock: tests tick nodes explicitly.
 */
import type { MemberId, Message } from '../../src/etcd/raft/message.ts';
import type { Observation } from '../../src/etcd/raft/observation.ts';
import { type PersistentState, type RaftConfig, RaftNode } from '../../src/etcd/raft/raft.ts';

export function config(
  id: MemberId,
  voters: readonly MemberId[],
  overrides: Partial<RaftConfig> = {},
): RaftConfig {
  return {
    id,
    voters,
    electionTick: 10,
    heartbeatTick: 1,
    preVote: false,
    checkQuorum: false,
    // The shortest randomized timeout unless a test says otherwise.
    randomBelow: () => 0,
    ...overrides,
  };
}

export class RaftNetwork {
  readonly nodes = new Map<MemberId, RaftNode>();
  readonly observations: (Observation & { member: MemberId })[] = [];
  readonly delivered: Message[] = [];
  private readonly cut = new Set<string>();

  constructor(
    ids: readonly MemberId[],
    overrides: Partial<RaftConfig> = {},
    persisted: Record<MemberId, PersistentState> = {},
  ) {
    for (const id of ids) this.nodes.set(id, new RaftNode(config(id, ids, overrides), persisted[id]));
  }

  node(id: MemberId): RaftNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  /** Drops every message to and from `id`. */
  isolate(id: MemberId): void {
    for (const other of this.nodes.keys()) {
      if (other === id) continue;
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  /** Delivers everything pending, including what deliveries produce. */
  settle(maxMessages = 10_000): void {
    const queue: Message[] = [];
    const drain = () => {
      for (const [id, n] of this.nodes) {
        const ready = n.ready();
        for (const o of ready.observations) this.observations.push({ ...o, member: id });
        queue.push(...ready.messages);
      }
    };
    drain();
    let count = 0;
    while (queue.length > 0) {
      if (++count > maxMessages) throw new Error('network did not settle');
      const m = queue.shift()!;
      if (this.cut.has(`${m.from}>${m.to}`)) continue;
      const target = this.nodes.get(m.to);
      if (target === undefined) continue;
      this.delivered.push(m);
      target.step(m);
      drain();
    }
  }

  /** Ticks one node `n` times, settling after each tick. */
  tick(id: MemberId, n = 1): void {
    for (let i = 0; i < n; i++) {
      this.node(id).tick();
      this.settle();
    }
  }

  /** Elects `id`: campaign now and deliver. */
  elect(id: MemberId): void {
    this.node(id).hup();
    this.settle();
  }

  leaders(): MemberId[] {
    return [...this.nodes].filter(([, n]) => n.role === 'leader').map(([id]) => id);
  }
}
