/**
 * Trace records of the etcd model (subsystem 'etcd'): the contract evaluation and reports read.
 * Where etcd logs a line for the same thing, `message` carries that line's text, so a predicted trace
 * can be compared with a real etcd log (the knowledge base quotes two of them; see `lone member`).
 */
import type { MemberId } from './raft/message.ts';
import type { Observation, VoteLogs } from './raft/observation.ts';
import type { Role } from './raft/role.ts';

export const ETCD_SUBSYSTEM = 'etcd';

export type StopKind = 'graceful' | 'power-loss';

export interface EtcdRecordData {
  'member-start': { member: MemberId; node: string; startDelayMs: number };
  /** Raft runs and peers can connect (etcd: "starting raft"/"peer became active" on the others). */
  'member-running': { member: MemberId; term: number; lastIndex: number };
  /** `publish` committed: etcd logs "ready to serve client requests" / "serving client traffic". */
  'member-ready': { member: MemberId; term: number };
  'member-stop': { member: MemberId; how: StopKind; role: Role | 'down' };
  /** Raft stopped for this member: the process is gone as far as peers can tell. */
  'member-exit': { member: MemberId; how: StopKind };
  /** etcd: "adjustTicks" fast-forward ("fast-forwarded ticks"), once enough peers are active. */
  'ticks-advanced': { member: MemberId; ticks: number; activePeers: number };
  'role-change': { member: MemberId; from: Role; to: Role; term: number };
  /** One per campaign; with pre-vote a round is two: the pre-vote, then (`afterPreVote`) the vote. */
  'election-start': {
    member: MemberId;
    term: number;
    preVote: boolean;
    transfer: boolean;
    afterPreVote: boolean;
    message: string;
  };
  'vote-request': { member: MemberId; to: MemberId; term: number; preVote: boolean; message: string };
  'vote-rejected': {
    member: MemberId;
    candidate: MemberId;
    term: number;
    upToDate: boolean;
    message: string;
  };
  'pre-vote-rejected': {
    member: MemberId;
    candidate: MemberId;
    term: number;
    upToDate: boolean;
    message: string;
  };
  'vote-ignored-lease': {
    member: MemberId;
    candidate: MemberId;
    term: number;
    remainingTicks: number;
    message: string;
  };
  'leader-elected': { member: MemberId; term: number; message: string };
  'leader-step-down': { member: MemberId; term: number; message: string };
  'transfer-start': { member: MemberId; to: MemberId; term: number };
  'transfer-abort': { member: MemberId; to: MemberId; term: number };
  'transfer-done': { member: MemberId; to: MemberId; tookMs: number };
  'quorum-lost': { leader: MemberId | null; running: MemberId[] };
  'quorum-regained': { leader: MemberId; term: number; running: MemberId[] };
  /** rafthttp prober, the knowledge base's second message. */
  'prober-unhealthy': {
    member: MemberId;
    remotePeerId: MemberId;
    roundTripperName: 'ROUND_TRIPPER_RAFT_MESSAGE';
    rtt: '0s';
    error: string;
    message: 'prober detected unhealthy status';
  };
  'proposal-dropped': { member: MemberId; ref: number; reason: 'not-leader' | 'transferring' };
}

export type EtcdRecordKind = keyof EtcdRecordData;

// --- the etcd log lines, as etcd-io/raft raft.go and rafthttp print them ---

export function electionStartText(id: MemberId, term: number): string {
  return `${id} is starting a new election at term ${term}`;
}

/** Knowledge base: "sent MsgPreVote request to db04095b49eb5352 at term 5". */
export function voteRequestText(
  id: MemberId,
  logTerm: number,
  index: number,
  preVote: boolean,
  to: MemberId,
  term: number,
): string {
  return `${id} [logterm: ${logTerm}, index: ${index}] sent ${preVote ? 'MsgPreVote' : 'MsgVote'} request to ${to} at term ${term}`;
}

/** etcd raft: "%x [logterm: %d, index: %d, vote: %x] rejected %s from %x [logterm: %d, index: %d] at term %d". */
export function voteRejectedText(
  id: MemberId,
  preVote: boolean,
  from: MemberId,
  term: number,
  logs: VoteLogs,
): string {
  return `${id} [logterm: ${logs.logTerm}, index: ${logs.index}, vote: ${logs.vote || 0}] rejected ${preVote ? 'MsgPreVote' : 'MsgVote'} from ${from} [logterm: ${logs.candidateLogTerm}, index: ${logs.candidateIndex}] at term ${term}`;
}

/** etcd raft: "... ignored %s from %x [logterm: %d, index: %d] at term %d: lease is not expired (remaining ticks: %d)". */
export function voteIgnoredText(
  id: MemberId,
  preVote: boolean,
  from: MemberId,
  term: number,
  remaining: number,
  logs: VoteLogs,
): string {
  return `${id} [logterm: ${logs.logTerm}, index: ${logs.index}, vote: ${logs.vote || 0}] ignored ${preVote ? 'MsgPreVote' : 'MsgVote'} from ${from} [logterm: ${logs.candidateLogTerm}, index: ${logs.candidateIndex}] at term ${term}: lease is not expired (remaining ticks: ${remaining})`;
}

export function leaderElectedText(id: MemberId, term: number): string {
  return `${id} became leader at term ${term}`;
}

export const STEP_DOWN_TEXT = 'stepped down to follower since quorum is not active';

/** Knowledge base: "dial tcp 192.168.122.142:2380: connect: no route to host". */
export function dialErrorText(address: string, hostReachable: boolean): string {
  return `dial tcp ${address}:2380: connect: ${hostReachable ? 'connection refused' : 'no route to host'}`;
}

/** A record of any kind, its data typed by its kind. */
export type AnyEtcdRecord = { [K in EtcdRecordKind]: { kind: K; data: EtcdRecordData[K] } }[EtcdRecordKind];

function rec<K extends EtcdRecordKind>(kind: K, data: EtcdRecordData[K]): AnyEtcdRecord {
  return { kind, data } as AnyEtcdRecord;
}

/** The trace record for what a state machine observed, or null for observations not traced. */
export function observationRecord(id: MemberId, o: Observation): AnyEtcdRecord | null {
  switch (o.type) {
    case 'role':
      return rec('role-change', { member: id, from: o.from, to: o.to, term: o.term });
    case 'campaign':
      return rec('election-start', {
        member: id,
        term: o.term,
        preVote: o.preVote,
        transfer: o.transfer,
        afterPreVote: o.afterPreVote,
        message: o.transfer
          ? `${id} [term ${o.term - 1}] received MsgTimeoutNow and starts an election to get leadership`
          : o.afterPreVote
            ? `${id} became candidate at term ${o.term}`
            : electionStartText(id, o.term - 1),
      });
    case 'vote-request':
      return rec('vote-request', {
        member: id,
        to: o.to,
        term: o.term,
        preVote: o.preVote,
        message: voteRequestText(id, o.logTerm, o.index, o.preVote, o.to, o.term),
      });
    case 'vote-ignored-in-lease':
      return rec('vote-ignored-lease', {
        member: id,
        candidate: o.from,
        term: o.term,
        remainingTicks: o.remainingTicks,
        message: voteIgnoredText(id, o.preVote, o.from, o.term, o.remainingTicks, o),
      });
    case 'vote-refused':
      return rec(o.preVote ? 'pre-vote-rejected' : 'vote-rejected', {
        member: id,
        candidate: o.from,
        term: o.term,
        upToDate: o.upToDate,
        message: voteRejectedText(id, o.preVote, o.from, o.term, o),
      });
    case 'leader-elected':
      return rec('leader-elected', { member: id, term: o.term, message: leaderElectedText(id, o.term) });
    case 'step-down-quorum-inactive':
      return rec('leader-step-down', { member: id, term: o.term, message: `${id} ${STEP_DOWN_TEXT}` });
    case 'transfer-started':
      return rec('transfer-start', { member: id, to: o.to, term: o.term });
    case 'transfer-aborted':
      return rec('transfer-abort', { member: id, to: o.to, term: o.term });
    case 'proposal-dropped':
      return rec('proposal-dropped', { member: id, ref: o.ref, reason: o.reason });
    case 'vote-rejection-received':
      return null;
  }
}
