/**
 * etcd raft timing. Upstream etcd defaults to 100 ms / 1000 ms; the k3s library that RKE2 embeds
 * sets 500 ms / 5000 ms. Pre-vote defaults to true from etcd v3.5.0.
 */
import type { SourcedFields } from './sourced.ts';
import type { EtcdTiming } from './types.ts';
import { isAtLeast } from './version.ts';

const etcdConfig = 'etcd-io/etcd:server/embed/config.go (NewConfig)';
const k3sEtcd = 'k3s-io/k3s:pkg/etcd/etcd.go ((*ETCD).cluster)';

/** Plain etcd as shipped upstream. */
export function upstreamEtcdTiming(etcdVersion: string): SourcedFields<EtcdTiming> {
  return {
    heartbeatIntervalMs: { value: 100, source: etcdConfig },
    electionTimeoutMs: { value: 1000, source: etcdConfig },
    preVote: isAtLeast(etcdVersion, '3.5.0')
      ? { value: true, source: 'etcd-io/etcd:server/embed/config.go@v3.5.0 (PreVote default true)' }
      : { value: false, source: 'etcd-io/etcd:embed/config.go@v3.4.x (PreVote default false)' },
    checkQuorum: {
      value: true,
      source: 'etcd-io/etcd:server/etcdserver/raft.go (CheckQuorum: true, v3.0–v3.6)',
    },
    initialElectionTickAdvance: { value: true, source: 'etcd-io/etcd:server/etcdmain/help.go' },
    learnerPromotionCheckSeconds: { value: 15, source: 'k3s-io/k3s:pkg/etcd/etcd.go (manageLearners)' },
  };
}

/**
 * etcd as RKE2 runs it: the k3s timing on top of upstream. k3s writes etcd's config file from its
 * `ETCDConfig`, which has no pre-vote field, and etcd reads it over `NewConfig()`'s defaults, so
 * pre-vote is etcd's default for the version (off in 3.4, on from 3.5.0) unless `etcd-arg` sets it.
 */
export function rke2EtcdTiming(etcdVersion: string): SourcedFields<EtcdTiming> {
  const upstream = upstreamEtcdTiming(etcdVersion);
  return {
    ...upstream,
    preVote: {
      value: upstream.preVote.value,
      source: `${upstream.preVote.source}; k3s-io/k3s:pkg/daemons/executor/executor.go (ETCDConfig has no pre-vote field; extra etcd-arg only)`,
    },
    heartbeatIntervalMs: { value: 500, source: k3sEtcd },
    electionTimeoutMs: { value: 5000, source: k3sEtcd },
  };
}
