export type { EtcdRecordData, EtcdRecordKind, StopKind } from '../trace/etcd.ts';
export { EtcdCluster, type EtcdClusterOptions } from './cluster.ts';
export {
  type EtcdDefaults,
  type EtcdEnvironment,
  type EtcdFlavour,
  type EtcdOverrides,
  type EtcdServerInternals,
  electionTicks,
  etcdDefaults,
  etcdDefaultsTable,
  type RangeMs,
} from './defaults.ts';
export type { TransferResult } from './leadership-transfer.ts';
export type { EtcdMemberSpec, MemberStatus, MemberView } from './member.ts';
export type { PutResult } from './proposals.ts';
export { type MemberId, NONE } from './raft/message.ts';
export { type PersistentState, type RaftConfig, RaftNode, type Ready } from './raft/raft.ts';
export type { Role } from './raft/role.ts';
