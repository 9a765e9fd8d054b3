/**
 * When a replica's rebuild may start and from where (longhorn/longhorn-manager:controller/replica_controller.go
 * `CanStartRebuildingReplica`: at most `concurrent-replica-rebuild-per-node-limit` rebuilds into one
 * destination node; LE `getFromReplicaClientForTransfer`: the first healthy replica by name, LH 1.11+
 * up to `replica-rebuild-concurrent-sync-limit` of them), the stream's rate cap, how a finished
 * rebuild leaves the replica, and why a running one stops. Pure, apart from the replica and volume
 * fields a start or an end sets; the host runs the transfer (rebuild-transfer.ts).
 */
import type { RebuildFailureReason } from '../trace/longhorn.ts';
import { planRebuild, type RebuildPlan } from './rebuild-plan.ts';
import { isFailed, isHealthy, type Replica } from './replica.ts';
import type { Volume } from './volume.ts';
import { settleWrites } from './writes.ts';

/** Attached volumes rebuild; detached ones only with offline-replica-rebuilding (LH 1.9+, off by default). */
export function mayRebuild(v: Volume, offlineRebuilding: boolean): boolean {
  return v.state === 'attached' || (v.state === 'detached' && offlineRebuilding);
}

export interface RebuildStartInput {
  /** Rebuilds running into `node`, over every volume. */
  readonly runningRebuildsTo: (node: string) => number;
  readonly nodeReady: (node: string) => boolean;
  readonly offlineRebuilding: boolean;
  readonly perNodeLimit: number;
  /** Fast rebuild exists in the release and `fast-replica-rebuild-enabled` is on. */
  readonly fastRebuild: boolean;
  readonly concurrentSyncLimit: number;
}

export type RebuildStart =
  /** Not placed, the volume may not rebuild, or it already rebuilds another replica. */
  | { readonly kind: 'not-eligible' }
  /** The destination node is at the per-node limit. */
  | { readonly kind: 'queued'; readonly running: number; readonly limit: number }
  /** No replica holds the data on a Ready node. */
  | { readonly kind: 'no-source' }
  | { readonly kind: 'start'; readonly plan: RebuildPlan; readonly sources: readonly string[] };

export function rebuildStart(v: Volume, r: Replica, input: RebuildStartInput): RebuildStart {
  if (r.node === null || r.disk === null || !mayRebuild(v, input.offlineRebuilding) || v.rebuild !== null)
    return { kind: 'not-eligible' };
  const running = input.runningRebuildsTo(r.node);
  if (running >= input.perNodeLimit) return { kind: 'queued', running, limit: input.perNodeLimit };
  // Attached: RW replicas. Offline (detached): replicas that hold the data, stopped.
  const holdsData = (x: Replica) =>
    v.state === 'attached' ? isHealthy(x) : !isFailed(x) && x.mode === null && x.healthyAtSeconds !== null;
  const sources = v.replicas
    .filter((x) => x !== r && holdsData(x) && x.node !== null && input.nodeReady(x.node))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (sources.length === 0) return { kind: 'no-source' };
  settleWrites(v);
  const plan = planRebuild({
    reused: r.healthyAtSeconds !== null,
    fastRebuild: input.fastRebuild,
    sizeBytes: v.spec.sizeBytes,
    actualBytes: v.spec.usedBytes,
    missedBytes: r.missedBytes,
    headBytesAtFailure: r.headBytesAtFailure,
  });
  const used = sources.slice(0, Math.max(1, Math.min(input.concurrentSyncLimit, sources.length)));
  return { kind: 'start', plan, sources: used.map((s) => s.node as string) };
}

/** The replica joins the engine in WO; the rebuild's system snapshot empties the head. */
export function beginRebuild(v: Volume, r: Replica): void {
  r.mode = 'WO';
  r.awaitingRebuild = false;
  settleWrites(v);
  v.headBytes = 0;
}

/** A completed rebuild: RW when attached (stopped when detached), healthy from now if it never was. */
export function completeRebuild(v: Volume, r: Replica, nowSeconds: number): void {
  r.mode = v.state === 'attached' ? 'RW' : null;
  r.healthyAtSeconds ??= nowSeconds;
  settleWrites(v);
  r.missedBytes = 0;
}

/** One stream's cap: the stream rate, lowered by a bandwidth limit when one is set (> 0). */
export function rebuildRateCap(streamBytesPerSecond: number, bandwidthLimitBytesPerSecond: number): number {
  return bandwidthLimitBytesPerSecond > 0
    ? Math.min(streamBytesPerSecond, bandwidthLimitBytesPerSecond)
    : streamBytesPerSecond;
}

/**
 * Why the volume's running rebuild stops when `node` goes away: its engine (only with `engineToo`,
 * power off), its destination or one of its sources; null when it does not touch the node or already
 * stopped.
 */
export function abortReason(v: Volume, node: string, engineToo: boolean): RebuildFailureReason | null {
  const rebuild = v.rebuild;
  if (rebuild === null || rebuild.abort.triggered) return null;
  if (engineToo && v.engineNode === node) return 'engine-lost';
  if (rebuild.destination === node) return 'destination-lost';
  if (rebuild.sources.includes(node)) return 'source-lost';
  return null;
}
