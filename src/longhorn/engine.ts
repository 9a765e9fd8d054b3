/**
 * What a volume's engine does to its replicas (longhorn/longhorn-manager:controller/volume_controller.go
 * `ReconcileEngineReplicaState`, `reconcileAttachDetachStateMachine`; LW 1.10 rebuilding doc):
 * attaching puts the healthy replicas in RW and fails those on down nodes, detaching stops them, a
 * failed replica goes to ERR with `failedAt`, and auto-salvage revives the latest failed ones of a
 * faulted volume. Transitions of the volume's state with their records; time is a parameter, and the
 * host aborts a running rebuild and runs the engine-replica-timeout timer.
 */
import type { ShutdownMode } from '../cluster/observer.ts';
import type { ReplicaFailureReason } from '../trace/longhorn.ts';
import type { Recorder } from '../trace/recorder.ts';
import { isFailed, isHealthy, type Replica } from './replica.ts';
import { healthyCount } from './robustness.ts';
import type { Volume } from './volume.ts';
import { settleWrites } from './writes.ts';

/** The engine starts on `node`: replicas on down nodes fail, the healthy ones go RW. */
export function attach(
  v: Volume,
  node: string,
  nodeReady: (node: string) => boolean,
  nowSeconds: number,
  record: Recorder<'longhorn'>,
): void {
  settleWrites(v);
  v.engineNode = node;
  v.engineLost = false;
  if (!v.longhorn) {
    v.state = 'attached';
    return;
  }
  record.emit('volume.state', { volume: v.key, state: 'attaching', node });
  v.state = 'attached';
  for (const r of v.replicas) {
    if (isFailed(r) || r.node === null) continue;
    if (!nodeReady(r.node)) failReplica(v, r, 'node-down-at-attach', nowSeconds, record);
    else if (r.healthyAtSeconds !== null) r.mode = 'RW';
  }
  record.emit('volume.state', { volume: v.key, state: 'attached', node });
}

/** The engine stops: RW replicas leave the mode map (stopped, not failed). The host aborts a running rebuild. */
export function detach(v: Volume, record: Recorder<'longhorn'>): void {
  settleWrites(v);
  if (!v.longhorn) {
    v.state = 'detached';
    v.engineNode = null;
    return;
  }
  record.emit('volume.state', { volume: v.key, state: 'detaching', node: v.engineNode });
  v.state = 'detached';
  v.engineNode = null;
  v.engineLost = false;
  for (const r of v.replicas) if (!isFailed(r) && r.mode === 'RW') r.mode = null;
  record.emit('volume.state', { volume: v.key, state: 'detached', node: null });
}

/** ERR with `failedAt` now; the head at failure is what a reuse must send in full. */
export function failReplica(
  v: Volume,
  r: Replica,
  reason: ReplicaFailureReason,
  nowSeconds: number,
  record: Recorder<'longhorn'>,
): void {
  if (isFailed(r)) return;
  settleWrites(v);
  r.mode = 'ERR';
  r.awaitingRebuild = false;
  r.failedAtSeconds = nowSeconds;
  r.missedBytes = 0;
  r.headBytesAtFailure = Math.min(v.spec.usedBytes, v.headBytes);
  record.emit('replica.failed', { volume: v.key, replica: r.name, node: r.node, reason });
}

/** The volume's live replicas on `node` (the ones a shutdown, drain or power loss there fails). */
export function replicasOn(v: Volume, node: string): Replica[] {
  return v.replicas.filter((r) => r.node === node && !isFailed(r));
}

/**
 * Power loss with IO in flight: the engine fails the replica after engine-replica-timeout, the last
 * healthy one after `lastReplicaTimeoutFactor` times that (LH 1.10+).
 */
export function engineReplicaTimeoutSeconds(
  v: Volume,
  r: Replica,
  timeoutSeconds: number,
  lastReplicaTimeoutFactor: number,
): number {
  const last = healthyCount(v.replicas) === 1 && isHealthy(r);
  return timeoutSeconds * (last ? lastReplicaTimeoutFactor : 1);
}

/**
 * When the engine-replica-timeout runs out: the replica fails if it is still live, placed on a node
 * that is still down, and the volume is still attached.
 */
export function engineTimeoutFails(v: Volume, r: Replica, nodeReady: (node: string) => boolean): boolean {
  if (isFailed(r) || r.node === null || nodeReady(r.node) || v.state !== 'attached') return false;
  return v.replicas.includes(r);
}

/** The engine's node lost power with the volume attached: the engine's state is unknown. */
export function loseEngine(v: Volume, node: string, mode: ShutdownMode, record: Recorder<'longhorn'>): void {
  record.emit('volume.attached-at-power-off', { volume: v.key, node, mode });
  v.engineLost = true;
}

/**
 * auto-salvage: once a failed replica's node is Ready, the failed replicas with the latest `failedAt`
 * come back (RW when attached) and the volume is no longer faulted. Returns whether it salvaged.
 */
export function salvage(
  v: Volume,
  nodeReady: (node: string) => boolean,
  autoSalvage: boolean,
  record: Recorder<'longhorn'>,
): boolean {
  const revived = v.replicas.filter((r) => isFailed(r) && r.node !== null && nodeReady(r.node));
  if (!autoSalvage || revived.length === 0) return false;
  const latest = Math.max(...revived.map((r) => r.failedAtSeconds as number));
  const chosen = revived.filter((r) => r.failedAtSeconds === latest);
  settleWrites(v);
  for (const r of chosen) {
    r.failedAtSeconds = null;
    r.mode = v.state === 'attached' ? 'RW' : null;
  }
  v.faulted = false;
  record.emit('volume.salvaged', { volume: v.key, replicas: chosen.map((r) => r.name) });
  return true;
}
