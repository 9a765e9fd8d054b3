/**
 * etcd model defaults as data. The user-facing timing (heartbeat, election, pre-vote, check-quorum)
 * comes from the version profiles (`src/profiles/etcd-timing-defaults.ts`); this file adds the server
 * internals the model needs, each with its upstream source, and the environment timings measured in
 * the calibration campaign (`test/calibration/etcd`), which are not upstream defaults.
 */
import { rke2EtcdTiming, upstreamEtcdTiming } from '../profiles/etcd-timing-defaults.ts';
import { type SourcedFields, valuesOf } from '../profiles/sourced.ts';
import type { EtcdTiming } from '../profiles/types.ts';
import { isAtLeast } from '../profiles/version.ts';

/** A range drawn uniformly per use; both ends in the unit the field name ends with. */
export interface RangeMs {
  readonly min: number;
  readonly max: number;
}

/** etcd server behaviour around Raft, fixed in the source rather than configurable. */
export interface EtcdServerInternals {
  /** Raft `HeartbeatTick`: a heartbeat every tick. */
  readonly heartbeatTicks: number;
  /** `adjustTicks` polls for active peers this often... */
  readonly adjustTicksPollMs: number;
  /** ...for at most this long (rafthttp.ConnReadTimeout). */
  readonly adjustTicksWaitMs: number;
  /** Ticks fast-forwarded once more than one peer is active: ElectionTicks - 2. */
  readonly adjustTicksAdvanceBelowElection: number;
  /** `MoveLeader` / `TransferLeadership` poll the leader this often: one tick (TickMs). */
  readonly transferPollTicks: number;
  /** Client requests (and each publish attempt) time out after this plus two election timeouts. */
  readonly requestTimeoutBaseMs: number;
  /** The member opens its client ports only after `publish` committed (serve waits on ReadyNotify). */
  readonly servesClientsBeforePublish: boolean;
  /** The prober logs an unhealthy peer after this, and again this often while it stays unhealthy. */
  readonly proberErrorIntervalMs: number;
  /** ... and checks a healthy peer this often. */
  readonly proberMonitoringIntervalMs: number;
  /** The peer port, as etcd's dial errors print it. */
  readonly peerPort: number;
}

/** Where the model runs: the measured cost of a message and a WAL sync, and process start. */
export interface EtcdEnvironment {
  /** One-way delivery of a peer message on loopback; a real network adds half its round trip. */
  readonly loopbackOneWayMs: RangeMs;
  /** WAL fsync before messages that follow a term, vote or entry change. */
  readonly walSyncMs: RangeMs;
  /** Process start until Raft runs and peers can connect. */
  readonly processStartMs: RangeMs;
}

export interface EtcdDefaults {
  readonly etcdVersion: string;
  readonly timing: EtcdTiming;
  readonly internals: EtcdServerInternals;
  readonly environment: EtcdEnvironment;
}

const SERVER = 'etcd-io/etcd:server/etcdserver/server.go';

export function etcdServerInternals(etcdVersion: string): SourcedFields<EtcdServerInternals> {
  // etcd 3.5 moved the server packages under server/.
  const v34 = !isAtLeast(etcdVersion, '3.5.0');
  const rafthttp = v34
    ? 'etcd-io/etcd:etcdserver/api/rafthttp'
    : 'etcd-io/etcd:server/etcdserver/api/rafthttp';
  return {
    heartbeatTicks: { value: 1, source: 'etcd-io/etcd:server/etcdserver/raft.go (HeartbeatTick: 1)' },
    adjustTicksPollMs: { value: 50, source: `${SERVER} (adjustTicks: itv 50 ms)` },
    adjustTicksWaitMs: {
      value: 5000,
      source: `${rafthttp}/peer.go (ConnReadTimeout 5 s) via ${SERVER} adjustTicks`,
    },
    adjustTicksAdvanceBelowElection: {
      value: 2,
      source: `${SERVER} (adjustTicks: ElectionTicks - 2, peerN > 1)`,
    },
    transferPollTicks: { value: 1, source: `${SERVER} (MoveLeader: interval = TickMs)` },
    requestTimeoutBaseMs: {
      value: 5000,
      source: 'etcd-io/etcd:server/config/config.go (ReqTimeout = 5 s + 2 x election)',
    },
    servesClientsBeforePublish: {
      value: false,
      source: `etcd-io/etcd:server/embed/serve.go (serve blocks on ReadyNotify); ${SERVER} (${v34 ? 'publish' : 'publishV3'})`,
    },
    proberErrorIntervalMs: { value: 5000, source: `${rafthttp}/probing_status.go (statusErrorInterval)` },
    proberMonitoringIntervalMs: {
      value: 30000,
      source: `${rafthttp}/probing_status.go (statusMonitoringInterval)`,
    },
    peerPort: {
      value: 2380,
      source: `etcd-io/etcd:${v34 ? '' : 'server/'}embed/config.go (DefaultListenPeerURLs http://localhost:2380); k3s-io/k3s:pkg/etcd/etcd.go (peer URL https://<node-ip>:2380)`,
    },
  };
}

/** Measured by the calibration campaign: etcd 3.4.23, 3 members on 127.0.0.1, 2 cores. */
const CALIBRATION = 'harvester-sim:test/calibration/etcd/results.csv';

/**
 * Measured, not upstream. Vote round trips on loopback are 3-6 ms (S1 election_start_ms to
 * leader_elected_ms), a vote round trip being two WAL syncs and two deliveries; MsgTimeoutNow, which
 * follows no state change, arrives 0.7-1.1 ms after the signal (S2 election_start_ms). Process start:
 * S1 rejoin_ready_ms 93-209 ms, S4 t2_peer_active_ms 112-230 ms.
 */
export function loopbackEnvironment(): SourcedFields<EtcdEnvironment> {
  return {
    loopbackOneWayMs: { value: { min: 0.5, max: 1.0 }, source: `${CALIBRATION} (S2 election_start_ms)` },
    walSyncMs: { value: { min: 0.5, max: 2.0 }, source: `${CALIBRATION} (S1 vote round trip 3-6 ms)` },
    processStartMs: {
      value: { min: 90, max: 230 },
      source: `${CALIBRATION} (rejoin_ready_ms, t2_peer_active_ms)`,
    },
  };
}

export type EtcdFlavour = 'upstream' | 'rke2';

export interface EtcdDefaultsTable {
  readonly timing: SourcedFields<EtcdTiming>;
  readonly internals: SourcedFields<EtcdServerInternals>;
  readonly environment: SourcedFields<EtcdEnvironment>;
}

/** The sourced table for one etcd version, as upstream ships it or as RKE2 (k3s) configures it. */
export function etcdDefaultsTable(etcdVersion: string, flavour: EtcdFlavour): EtcdDefaultsTable {
  return {
    timing: flavour === 'rke2' ? rke2EtcdTiming(etcdVersion) : upstreamEtcdTiming(etcdVersion),
    internals: etcdServerInternals(etcdVersion),
    environment: loopbackEnvironment(),
  };
}

export interface EtcdOverrides {
  timing?: Partial<EtcdTiming>;
  internals?: Partial<EtcdServerInternals>;
  environment?: Partial<EtcdEnvironment>;
}

/** Plain values for one etcd version and flavour, with per-scenario overrides on top. */
export function etcdDefaults(
  etcdVersion: string,
  flavour: EtcdFlavour,
  overrides: EtcdOverrides = {},
): EtcdDefaults {
  const table = etcdDefaultsTable(etcdVersion, flavour);
  return {
    etcdVersion,
    timing: { ...valuesOf(table.timing), ...overrides.timing },
    internals: { ...valuesOf(table.internals), ...overrides.internals },
    environment: { ...valuesOf(table.environment), ...overrides.environment },
  };
}

/** Raft `ElectionTick` = election timeout / heartbeat interval (etcd-io/etcd:server/etcdserver/raft.go). */
export function electionTicks(timing: EtcdTiming): number {
  return Math.round(timing.electionTimeoutMs / timing.heartbeatIntervalMs);
}

/** etcd `ReqTimeout`: the base plus two election timeouts (etcd-io/etcd:server/config/config.go). */
export function requestTimeoutMs(defaults: EtcdDefaults): number {
  return defaults.internals.requestTimeoutBaseMs + 2 * defaults.timing.electionTimeoutMs;
}
