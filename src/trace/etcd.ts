/**
 * Records of subsystem 'etcd': the Raft model's members, elections, leadership transfers and quorum.
 * Where etcd logs a line for the same thing, `message` carries that line's text, so a predicted trace
 * can be compared with a real etcd log (the knowledge base quotes two of them; see `lone member`).
 */

/** A member's name (the model uses the node name). */
export type MemberId = string;

/** etcd-io/raft `StateType`: StateFollower, StatePreCandidate, StateCandidate, StateLeader. */
export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

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
