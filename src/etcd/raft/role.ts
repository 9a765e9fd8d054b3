/** etcd-io/raft `StateType`: StateFollower, StatePreCandidate, StateCandidate, StateLeader. */
export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';
