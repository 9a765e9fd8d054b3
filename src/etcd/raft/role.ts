export type { Role } from '../../trace/etcd.ts';
