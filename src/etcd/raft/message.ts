/**
 * Raft messages between members, named as in etcd-io/raft (raftpb.MessageType). Only the fields the
 * model reads are kept: no snapshots, no learners, no configuration changes.
 */

import type { MemberId } from '../../trace/etcd.ts';

export type { MemberId };

/** No member: etcd raft's `None` (0). */
export const NONE: MemberId = '';

export type MessageType =
  | 'MsgApp'
  | 'MsgAppResp'
  | 'MsgVote'
  | 'MsgVoteResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgTimeoutNow';

/**
 * What a log entry stands for; `ref` is the host's request number (0 for the leader's empty entry and
 * for the cluster's write load). 'writes' is a batch of the writes the cluster's API makes (leases,
 * status updates: `src/etcd/write-load.ts`), one log index per write.
 */
export type EntryKind = 'empty' | 'publish' | 'put' | 'writes';

export interface Entry {
  readonly term: number;
  readonly kind: EntryKind;
  readonly ref: number;
  /** Log indexes the entry covers (a batch of writes); 1 when absent. */
  readonly count?: number;
}

export interface Message {
  readonly type: MessageType;
  readonly from: MemberId;
  readonly to: MemberId;
  readonly term: number;
  /** MsgApp: term of the entry before `entries`; votes: the candidate's last log term. */
  readonly logTerm: number;
  /** MsgApp: index before `entries`; MsgAppResp: highest matched index; votes: last log index. */
  readonly index: number;
  readonly entries: readonly Entry[];
  /** Leader's commit index (MsgApp, MsgHeartbeat). */
  readonly commit: number;
  readonly reject: boolean;
  /** MsgAppResp rejection: the follower's last index, where the leader should probe from. */
  readonly rejectHint: number;
  /** A vote caused by leadership transfer (etcd's `campaignTransfer` context): it bypasses the lease. */
  readonly transfer: boolean;
}

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** A message with the fields not given at their zero values (built field by field: no spread). */
export function message(fields: Pick<Message, 'type' | 'from' | 'to' | 'term'> & Partial<Message>): Message {
  return {
    type: fields.type,
    from: fields.from,
    to: fields.to,
    term: fields.term,
    logTerm: fields.logTerm ?? 0,
    index: fields.index ?? 0,
    entries: fields.entries ?? NO_ENTRIES,
    commit: fields.commit ?? 0,
    reject: fields.reject ?? false,
    rejectHint: fields.rejectHint ?? 0,
    transfer: fields.transfer ?? false,
  };
}

/**
 * An accepted append's answer (MsgAppResp, `index` the follower's new last index): what `message`
 * builds, as one literal of the same field order (one shape, no per-field default): a steady cluster
 * sends one per follower per beat.
 */
export function appendAccepted(from: MemberId, to: MemberId, term: number, index: number): Message {
  return {
    type: 'MsgAppResp',
    from,
    to,
    term,
    logTerm: 0,
    index,
    entries: NO_ENTRIES,
    commit: 0,
    reject: false,
    rejectHint: 0,
    transfer: false,
  };
}

/** An append (MsgApp) as `message` builds it, as one literal: a leader sends one per follower per beat. */
export function appendEntries(
  from: MemberId,
  to: MemberId,
  term: number,
  index: number,
  logTerm: number,
  entries: readonly Entry[],
  commit: number,
): Message {
  return {
    type: 'MsgApp',
    from,
    to,
    term,
    logTerm,
    index,
    entries,
    commit,
    reject: false,
    rejectHint: 0,
    transfer: false,
  };
}

/** The response type to a vote request (etcd raft `voteRespMsgType`). */
export function voteResponseType(type: 'MsgVote' | 'MsgPreVote'): 'MsgVoteResp' | 'MsgPreVoteResp' {
  return type === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp';
}
