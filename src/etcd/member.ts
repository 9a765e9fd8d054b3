/** One etcd member as the host keeps it: where it runs, its process status and its state machine. */
import type { RandomStream } from '../../sim/index.ts';
import type { HeldAnswers } from './host.ts';
import { type MemberId, type Message, NONE } from './raft/message.ts';
import type { RaftNode } from './raft/raft.ts';
import type { Role } from './raft/role.ts';

export interface EtcdMemberSpec {
  readonly id: MemberId;
  /** The node (host) the member runs on. */
  readonly node: string;
  /** Peer address for log texts ("dial tcp <address>:2380"); the node name when absent. */
  readonly address?: string;
}

export type MemberStatus = 'down' | 'starting' | 'running';

export interface MemberView {
  readonly id: MemberId;
  readonly node: string;
  readonly status: MemberStatus;
  readonly role: Role | 'down';
  readonly term: number;
  readonly lead: MemberId | null;
  /** `publish` committed since the last start: the member serves clients. */
  readonly ready: boolean;
  readonly lastIndex: number;
  readonly commitIndex: number;
}

export interface MemberState {
  readonly spec: EtcdMemberSpec;
  readonly rng: RandomStream;
  /** The state machine; between runs it stands for the member's disk (HardState and WAL). */
  raft: RaftNode;
  status: MemberStatus;
  /** Counts starts and stops: timers of an earlier run see a different number and do nothing. */
  incarnation: number;
  activeSinceMs: number;
  hostReachable: boolean;
  ready: boolean;
  publish: { ref: number; index: number; sentMs: number } | null;
  /** Messages that reached the peer port while the process was starting; handled once Raft runs. */
  inbox: Message[];
  /** Quiet follower answers on their way to this leader, stepped when it is next touched (host.ts). */
  answers: HeldAnswers;
  /** The running process's tick driver (`member-lifecycle.ts`); does nothing while the member is down. */
  ticks: TickDriver;
}

/** Takes the ticks a quiet follower skipped, and wakes the member at its next tick that does something. */
export interface TickDriver {
  /** Before anything reads or steps the state machine: take the skipped ticks due before now. */
  catchUp(): void;
  /** After each Ready: schedule the next tick that can act (every tick for a leader). */
  arm(): void;
  /** The wake `value` is this driver's current arming, of a live member whose next tick is at `at`. */
  beatDue(value: number, at: number): boolean;
  /** The host took the tick at `at` itself (a steady beat, host.ts): the driver's next is one interval on. */
  beatTaken(): void;
}

export const NO_TICKS: TickDriver = {
  catchUp() {},
  arm() {},
  beatDue: () => false,
  beatTaken() {},
};

/** The role a stop signal finds the member in. */
export function roleAtStop(m: MemberState): Role | 'down' {
  return m.status === 'running' ? m.raft.role : 'down';
}

export function memberView(m: MemberState): MemberView {
  const running = m.status === 'running';
  return {
    id: m.spec.id,
    node: m.spec.node,
    status: m.status,
    role: running ? m.raft.role : 'down',
    term: m.raft.term,
    lead: running && m.raft.lead !== NONE ? m.raft.lead : null,
    ready: running && m.ready,
    lastIndex: m.raft.log.lastIndex,
    commitIndex: m.raft.log.committed,
  };
}
