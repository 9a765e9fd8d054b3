import { migrationControllerTiming, QUEUE_PRIORITY } from './defaults.ts';

/** The limits admission checks (`KubeVirt.spec.configuration.migrations`). */
export interface AdmissionLimits {
  readonly parallelMigrationsPerCluster: number;
  readonly parallelOutboundMigrationsPerNode: number;
}

/** A migration that holds a slot, as admission sees it. */
export interface SlotHolder {
  readonly sourceNode: string;
}

export type AdmissionVerdict =
  | { readonly admitted: true }
  | {
      readonly admitted: false;
      readonly reason: 'cluster-limit' | 'node-limit';
      readonly delaySeconds: number;
    };

export interface RequeueDelays {
  readonly requeueSystemCriticalSeconds: number;
  readonly requeueUserTriggeredSeconds: number;
  readonly requeueDefaultSeconds: number;
}

const DEFAULT_DELAYS: RequeueDelays = migrationControllerTiming();

/**
 * `getRequeueDelayForPriority` (`kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go`):
 * priority ≥ 100 (system-critical) → 1 s, ≥ 50 (user-triggered) → 3 s, else 5 s.
 */
export function requeueDelaySeconds(priority: number, delays: RequeueDelays = DEFAULT_DELAYS): number {
  if (priority >= QUEUE_PRIORITY.systemCritical.value) return delays.requeueSystemCriticalSeconds;
  if (priority >= QUEUE_PRIORITY.userTriggered.value) return delays.requeueUserTriggeredSeconds;
  return delays.requeueDefaultSeconds;
}

/**
 * `handleTargetPodCreation`: a Pending migration may create its target pod only while fewer than
 * parallelMigrationsPerCluster migrations hold a slot and fewer than parallelOutboundMigrationsPerNode
 * of them leave its source node. The cluster cap is checked first. There is no inbound cap.
 */
export function admit(
  sourceNode: string,
  priority: number,
  holders: Iterable<SlotHolder>,
  limits: AdmissionLimits,
  delays: RequeueDelays = DEFAULT_DELAYS,
): AdmissionVerdict {
  let running = 0;
  let outbound = 0;
  for (const holder of holders) {
    running++;
    if (holder.sourceNode === sourceNode) outbound++;
  }
  if (running >= limits.parallelMigrationsPerCluster) {
    return { admitted: false, reason: 'cluster-limit', delaySeconds: requeueDelaySeconds(priority, delays) };
  }
  if (outbound >= limits.parallelOutboundMigrationsPerNode) {
    return { admitted: false, reason: 'node-limit', delaySeconds: requeueDelaySeconds(priority, delays) };
  }
  return { admitted: true };
}
