/**
 * What the manager (manager.ts) asks for, and how each request changes the volume's replicas, with
 * its record. Starting a rebuild needs the kernel, so the host (model.ts) applies that one itself.
 * Records are written once per change: an unchanged Scheduled=False message or wait deadline is not
 * written again.
 */
import type { ReplicaDeletionReason } from '../trace/longhorn.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { Replica } from './replica.ts';
import type { Volume } from './volume.ts';
import { settleWrites } from './writes.ts';

export type ReplicaCreationReason = 'initial' | 'replenish' | 'data-locality';

export type ManagerAction =
  | { readonly kind: 'delete-replica'; readonly replica: Replica; readonly reason: ReplicaDeletionReason }
  /** Volume condition Scheduled=False (ReplicaSchedulingFailure). */
  | {
      readonly kind: 'report-unschedulable';
      readonly cause: string;
      readonly message: string;
      readonly replicaCreated: boolean;
    }
  /** A replica CR created without a disk gets one. */
  | {
      readonly kind: 'place-replica';
      readonly replica: Replica;
      readonly node: string;
      readonly disk: string;
    }
  /** A new replica CR (named with the volume's next sequence number). */
  | { readonly kind: 'create-replica'; readonly replica: Replica; readonly reason: ReplicaCreationReason }
  /** A failed replica comes back for a delta or fast rebuild: `failedAt` cleared, retry + 1. */
  | { readonly kind: 'reuse-replica'; readonly replica: Replica }
  /** The replenishment wait runs until then. */
  | { readonly kind: 'wait'; readonly untilSeconds: number }
  /** Start the replica's rebuild, or queue it behind the per-node limit (the host's part). */
  | { readonly kind: 'start-rebuild'; readonly replica: Replica };

/** Whether the action adds, moves or removes a replica (so the disks' accounting changes). */
export function changesReplicas(action: ManagerAction): boolean {
  return (
    action.kind === 'delete-replica' || action.kind === 'place-replica' || action.kind === 'create-replica'
  );
}

/** Applies every action but `start-rebuild` to the volume and writes its record. */
export function applyToVolume(
  v: Volume,
  action: Exclude<ManagerAction, { kind: 'start-rebuild' }>,
  nowSeconds: number,
  record: Recorder<'longhorn'>,
): void {
  switch (action.kind) {
    case 'delete-replica': {
      const r = action.replica;
      settleWrites(v);
      v.replicas = v.replicas.filter((x) => x !== r);
      record.emit('replica.deleted', { volume: v.key, replica: r.name, node: r.node, reason: action.reason });
      return;
    }
    case 'report-unschedulable':
      if (v.lastUnschedulableMessage === action.message) return;
      v.lastUnschedulableMessage = action.message;
      v.unschedulable = {
        cause: action.cause,
        message: action.message,
        replicaCreated: action.replicaCreated,
      };
      record.emit('replica.unschedulable', {
        volume: v.key,
        condition: 'Scheduled',
        status: 'False',
        reason: 'ReplicaSchedulingFailure',
        cause: action.cause,
        message: action.message,
        replicaCreated: action.replicaCreated,
      });
      return;
    case 'place-replica': {
      const r = action.replica;
      r.node = action.node;
      r.disk = action.disk;
      v.lastUnschedulableMessage = null;
      v.unschedulable = null;
      record.emit('replica.scheduled', { volume: v.key, replica: r.name, node: r.node, disk: r.disk });
      return;
    }
    case 'create-replica': {
      const r = action.replica;
      settleWrites(v);
      v.replicas.push(r);
      v.replicaSequence++;
      record.emit('replica.created', {
        volume: v.key,
        replica: r.name,
        node: r.node,
        disk: r.disk,
        reason: action.reason,
      });
      if (r.node !== null) {
        v.lastUnschedulableMessage = null;
        v.unschedulable = null;
      }
      return;
    }
    case 'reuse-replica': {
      const r = action.replica;
      const failedFor = nowSeconds - (r.failedAtSeconds as number);
      settleWrites(v);
      r.failedAtSeconds = null;
      r.mode = null;
      r.awaitingRebuild = true;
      r.rebuildRetryCount++;
      record.emit('replica.reused', {
        volume: v.key,
        replica: r.name,
        node: r.node as string,
        failedForSeconds: failedFor,
        retry: r.rebuildRetryCount,
      });
      return;
    }
    case 'wait':
      if (v.lastWaitUntilSeconds === action.untilSeconds) return;
      v.lastWaitUntilSeconds = action.untilSeconds;
      record.emit('replenish.waiting', { volume: v.key, untilSeconds: action.untilSeconds });
      return;
  }
}
