/**
 * The etcd model's trace records (types in src/trace/etcd.ts) as built from what the Raft state
 * machines observed, with the text etcd logs for the same thing.
 */
import type { EtcdRecordData, EtcdRecordKind, MemberId } from '../trace/etcd.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { Observation, VoteLogs } from './raft/observation.ts';

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
export function dialErrorText(address: string, port: number, hostReachable: boolean): string {
  return `dial tcp ${address}:${port}: connect: ${hostReachable ? 'connection refused' : 'no route to host'}`;
}

/** Writes the trace record for what a state machine observed (some observations are not traced). */
export function recordObservation(record: Recorder<'etcd'>, id: MemberId, o: Observation): void {
  const rec = <K extends EtcdRecordKind>(kind: K, data: EtcdRecordData[K]) => record.emit(kind, data);
  switch (o.type) {
    case 'role':
      return void rec('role-change', { member: id, from: o.from, to: o.to, term: o.term });
    case 'campaign':
      return void rec('election-start', {
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
      return void rec('vote-request', {
        member: id,
        to: o.to,
        term: o.term,
        preVote: o.preVote,
        message: voteRequestText(id, o.logTerm, o.index, o.preVote, o.to, o.term),
      });
    case 'vote-ignored-in-lease':
      return void rec('vote-ignored-lease', {
        member: id,
        candidate: o.from,
        term: o.term,
        remainingTicks: o.remainingTicks,
        message: voteIgnoredText(id, o.preVote, o.from, o.term, o.remainingTicks, o),
      });
    case 'vote-refused':
      return void rec(o.preVote ? 'pre-vote-rejected' : 'vote-rejected', {
        member: id,
        candidate: o.from,
        term: o.term,
        upToDate: o.upToDate,
        message: voteRejectedText(id, o.preVote, o.from, o.term, o),
      });
    case 'leader-elected':
      return void rec('leader-elected', { member: id, term: o.term, message: leaderElectedText(id, o.term) });
    case 'step-down-quorum-inactive':
      return void rec('leader-step-down', { member: id, term: o.term, message: `${id} ${STEP_DOWN_TEXT}` });
    case 'transfer-started':
      return void rec('transfer-start', { member: id, to: o.to, term: o.term });
    case 'transfer-aborted':
      return void rec('transfer-abort', { member: id, to: o.to, term: o.term });
    case 'proposal-dropped':
      return void rec('proposal-dropped', { member: id, ref: o.ref, reason: o.reason });
    case 'vote-rejection-received':
      return;
  }
}
