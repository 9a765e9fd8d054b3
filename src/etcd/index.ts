export {
  EtcdCluster,
  type EtcdClusterOptions,
  type EtcdMemberSpec,
  type MemberStatus,
  type MemberView,
  type PutResult,
  type TransferResult,
} from './cluster.ts';
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
export { type MemberId, NONE } from './raft/message.ts';
export { type PersistentState, type RaftConfig, RaftNode, type Ready } from './raft/raft.ts';
export type { Role } from './raft/role.ts';
export { ETCD_SUBSYSTEM, type EtcdRecordData, type EtcdRecordKind, type StopKind } from './records.ts';
