import type { MemberId } from './message.ts';
import type { Role } from './role.ts';

/**
 * What a state machine reports besides messages: the things etcd raft logs. The host turns them into
 * trace records; the machine itself never sees a clock.
 */
export type Observation =
  | { type: 'role'; from: Role; to: Role; term: number }
  /** etcd raft: "%x is starting a new election at term %d" (`hup`). */
  | { type: 'campaign'; term: number; preVote: boolean; transfer: boolean; afterPreVote: boolean }
  /** etcd raft: "%x [logterm: %d, index: %d] sent %s request to %x at term %d" (`campaign`). */
  | { type: 'vote-request'; to: MemberId; term: number; logTerm: number; index: number; preVote: boolean }
  /** etcd raft: "... ignored %s from %x ... lease is not expired (remaining ticks: %d)" (`Step`). */
  | ({
      type: 'vote-ignored-in-lease';
      from: MemberId;
      term: number;
      preVote: boolean;
      remainingTicks: number;
    } & VoteLogs)
  /** This member refused a vote: log not up to date, or already voted / knows a leader. */
  | ({ type: 'vote-refused'; from: MemberId; term: number; preVote: boolean; upToDate: boolean } & VoteLogs)
  /** etcd raft: "%x received %s rejection from %x at term %d" (`poll`). */
  | { type: 'vote-rejection-received'; from: MemberId; term: number; preVote: boolean }
  /** etcd raft: "%x became leader at term %d". */
  | { type: 'leader-elected'; term: number }
  /** etcd raft: "%x stepped down to follower since quorum is not active" (`stepLeader`, MsgCheckQuorum). */
  | { type: 'step-down-quorum-inactive'; term: number }
  | { type: 'transfer-started'; to: MemberId; term: number }
  /** The transfer did not finish within one election timeout (etcd raft `tickHeartbeat`). */
  | { type: 'transfer-aborted'; to: MemberId; term: number }
  /** A proposal was dropped: no leader here, or leadership transfer in progress (ErrProposalDropped). */
  | { type: 'proposal-dropped'; ref: number; reason: 'not-leader' | 'transferring' };

/** Both sides' logs and this member's vote, as etcd raft prints them beside a vote decision. */
export interface VoteLogs {
  logTerm: number;
  index: number;
  vote: MemberId;
  candidateLogTerm: number;
  candidateIndex: number;
}
