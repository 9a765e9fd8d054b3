/**
 * A volume as the Longhorn model keeps it: spec, engine, replicas, the running rebuild and the
 * bookkeeping of writes. Plain state; the transitions are engine.ts, actions.ts, rebuilds.ts,
 * writes.ts and volume-health.ts.
 */
import type { Event, Flow } from '../../sim/index.ts';
import type { ScenarioVolume } from '../scenario/types.ts';
import type { RebuildFailureReason } from '../trace/longhorn.ts';
import type { VolumeSelectors } from './options.ts';
import type { RebuildPlan } from './rebuild-plan.ts';
import type { Replica } from './replica.ts';
import type { Robustness, VolumeState } from './robustness.ts';
import { type VolumeWrites, WriteLedger } from './writes.ts';

export interface RunningRebuild {
  readonly replica: Replica;
  readonly plan: RebuildPlan;
  readonly startedAtSeconds: number;
  readonly destination: string;
  /** Nodes of the source replicas. */
  readonly sources: readonly string[];
  readonly abort: Event<RebuildFailureReason>;
  flows: Flow[];
}

export interface Volume {
  /** `namespace/name`. */
  readonly key: string;
  readonly spec: ScenarioVolume;
  /** Longhorn volumes only; external ones have no replicas. */
  readonly longhorn: boolean;
  readonly wantedReplicas: number;
  readonly bestEffortLocality: boolean;
  readonly nodeSelector: readonly string[];
  readonly diskSelector: readonly string[];
  state: VolumeState;
  engineNode: string | null;
  /** The engine's node lost power while attached. */
  engineLost: boolean;
  faulted: boolean;
  /** The engine fails I/O (attached, and faulted or without a healthy replica); last value reported. */
  ioFailing: boolean;
  /** An engine live migration is under way (the world reports migrations only when they end). */
  migrating: boolean;
  robustness: Robustness;
  /** Healthy replicas in the last `volume.robustness` record (written when either changes). */
  reportedHealthyReplicas: number;
  lastDegradedAtSeconds: number | null;
  replicas: Replica[];
  replicaSequence: number;
  /** VMs (`namespace/name`) writing to it, with each one's rate share in bytes/s. */
  readonly writers: Map<string, number>;
  /** VMs whose writes are suspended (paused guests). */
  readonly suspended: Set<string>;
  writeBytesPerSecond: number;
  /**
   * Written since the last snapshot (a rebuild's system snapshot resets it). This, `atRiskBytes` and
   * the replicas' `missedBytes` are integrated lazily: `settleWrites` (writes.ts) before use.
   */
  headBytes: number;
  atRiskSinceSeconds: number | null;
  atRiskBytes: number;
  /** The model's accrual intervals and how many of them the sums include (writes.ts). */
  readonly writes: VolumeWrites;
  rebuild: RunningRebuild | null;
  /** Last Scheduled=False message written, to write each change once. */
  lastUnschedulableMessage: string | null;
  /** The Scheduled=False condition in force (null when Scheduled): re-stated when tracing starts. */
  unschedulable: {
    readonly cause: string;
    readonly message: string;
    readonly replicaCreated: boolean;
  } | null;
  lastWaitUntilSeconds: number | null;
}

export function volumeKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * A volume as the scenario creates it: no engine, no replicas yet (state `creating`); its writes are
 * integrated over `ledger`'s intervals from the next one on.
 */
export function newVolume(
  spec: ScenarioVolume,
  selectors: VolumeSelectors,
  initialHeadBytes: number,
  ledger: WriteLedger = new WriteLedger(),
): Volume {
  const longhorn = spec.provisioner.kind === 'longhorn';
  return {
    key: volumeKey(spec.namespace, spec.name),
    spec,
    longhorn,
    wantedReplicas: spec.provisioner.kind === 'longhorn' ? spec.provisioner.replicas : 0,
    bestEffortLocality:
      spec.provisioner.kind === 'longhorn' && spec.provisioner.dataLocality === 'best-effort',
    nodeSelector: selectors.nodeSelector ?? [],
    diskSelector: selectors.diskSelector ?? [],
    state: 'creating',
    engineNode: null,
    engineLost: false,
    faulted: false,
    ioFailing: false,
    migrating: false,
    robustness: 'unknown',
    reportedHealthyReplicas: -1,
    lastDegradedAtSeconds: null,
    replicas: [],
    replicaSequence: 0,
    writers: new Map(),
    suspended: new Set(),
    writeBytesPerSecond: 0,
    headBytes: initialHeadBytes,
    atRiskSinceSeconds: null,
    atRiskBytes: 0,
    writes: { ledger, through: ledger.length },
    rebuild: null,
    lastUnschedulableMessage: null,
    unschedulable: null,
    lastWaitUntilSeconds: null,
  };
}
