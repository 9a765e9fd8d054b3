/**
 * Replica disk scheduling (longhorn/longhorn-manager:scheduler/replica_scheduler.go
 * `FindDiskCandidates`, `getDiskCandidates`, `filterDisksWithMatchingReplicas`, `IsSchedulableToDisk`;
 * LW `…/nodes/scheduling.md`). Pure: the caller passes every disk's status.
 */

export interface SchedulingDisk {
  readonly node: string;
  readonly disk: string;
  readonly zone: string | null;
  /** Node Ready and its instance manager running. */
  readonly nodeReady: boolean;
  /** Node `allowScheduling` and not cordoned (with disable-scheduling-on-cordoned-node). */
  readonly nodeSchedulable: boolean;
  readonly nodeTags: readonly string[];
  readonly diskTags: readonly string[];
  readonly maximumBytes: number;
  readonly availableBytes: number;
  readonly reservedBytes: number;
  /** Σ nominal size of every replica CR on the disk, failed ones included. */
  readonly scheduledBytes: number;
}

export interface ExistingReplicaPlacement {
  readonly node: string;
  readonly disk: string;
  readonly failed: boolean;
  readonly potentiallyReusable: boolean;
}

export interface SchedulingRequest {
  readonly sizeBytes: number;
  /** Volume actual size: what the disk must still hold after the replica lands. */
  readonly actualBytes: number;
  readonly nodeSelector: readonly string[];
  readonly diskSelector: readonly string[];
  readonly existing: readonly ExistingReplicaPlacement[];
  /** The replenishment wait is over: failed replicas no longer hold their node or zone. */
  readonly replenishing: boolean;
  /** Best-effort data locality: try this node first. */
  readonly preferNode?: string | null;
}

export interface SchedulingPolicy {
  readonly nodeSoftAntiAffinity: boolean;
  readonly zoneSoftAntiAffinity: boolean;
  readonly diskSoftAntiAffinity: boolean;
  readonly overProvisioningPercentage: number;
  readonly minimalAvailablePercentage: number;
}

export type ScheduleFailureReason =
  | 'node-unavailable'
  | 'tags-not-fulfilled'
  | 'insufficient-storage'
  | 'anti-affinity';

export type ScheduleResult =
  | { readonly ok: true; readonly node: string; readonly disk: string }
  | { readonly ok: false; readonly reason: ScheduleFailureReason; readonly message: string };

export interface DiskCapacity {
  readonly maximumBytes: number;
  readonly availableBytes: number;
  readonly reservedBytes: number;
  readonly scheduledBytes: number;
}

/**
 * `IsSchedulableToDisk`: (1) available − required > max × minimal-available %; (2) size + scheduled ≤
 * (max − reserved) × over-provisioning %.
 */
export function isSchedulableToDisk(
  sizeBytes: number,
  requiredBytes: number,
  disk: DiskCapacity,
  policy: Pick<SchedulingPolicy, 'overProvisioningPercentage' | 'minimalAvailablePercentage'>,
): { readonly ok: boolean; readonly message: string } {
  if (disk.maximumBytes <= 0) return { ok: false, message: 'Storage Max must be greater than 0' };
  if (disk.availableBytes <= 0) return { ok: false, message: 'Storage Available must be greater than 0' };
  const currentAvailable = disk.availableBytes - requiredBytes;
  const minimalAvailable = Math.floor((disk.maximumBytes * policy.minimalAvailablePercentage) / 100);
  if (currentAvailable <= minimalAvailable) {
    return {
      ok: false,
      message: `actual space usage: available − required = ${currentAvailable} ≤ minimal available ${minimalAvailable} (${policy.minimalAvailablePercentage}% of max)`,
    };
  }
  const scheduledTotal = sizeBytes + disk.scheduledBytes;
  const limit = Math.floor(
    ((disk.maximumBytes - disk.reservedBytes) * policy.overProvisioningPercentage) / 100,
  );
  if (scheduledTotal > limit) {
    return {
      ok: false,
      message: `scheduling space: size + scheduled = ${scheduledTotal} > ${limit} (${policy.overProvisioningPercentage}% of max − reserved)`,
    };
  }
  return { ok: true, message: '' };
}

function tagsMatch(tags: readonly string[], selector: readonly string[]): boolean {
  return selector.every((tag) => tags.includes(tag));
}

/** Picks a disk for one new replica, or says why none fits. */
export function scheduleReplica(
  disks: readonly SchedulingDisk[],
  request: SchedulingRequest,
  policy: SchedulingPolicy,
): ScheduleResult {
  const usable = disks.filter((d) => d.nodeReady && d.nodeSchedulable);
  if (usable.length === 0) {
    return { ok: false, reason: 'node-unavailable', message: 'no Ready, schedulable node' };
  }
  const tagged = usable.filter((d) => tagsMatch(d.nodeTags, request.nodeSelector));
  if (tagged.length === 0) {
    return { ok: false, reason: 'tags-not-fulfilled', message: `no node has tags [${request.nodeSelector}]` };
  }
  const counting = request.existing.filter(
    (r) => !r.failed || (r.potentiallyReusable && !request.replenishing),
  );
  const usedNodes = new Set(counting.map((r) => r.node));
  const zoneOf = new Map(disks.map((d) => [d.node, d.zone]));
  const usedZones = new Set(counting.map((r) => zoneOf.get(r.node) ?? null).filter((z) => z !== null));
  const replicasPerDisk = new Map<string, number>();
  for (const r of counting) {
    const key = `${r.node}/${r.disk}`;
    replicasPerDisk.set(key, (replicasPerDisk.get(key) ?? 0) + 1);
  }

  const reasons: string[] = [];
  let storageFailure = false;
  let tagFailure = false;
  const fittingDisks = (candidates: readonly SchedulingDisk[]): SchedulingDisk[] => {
    const fitting: SchedulingDisk[] = [];
    for (const d of candidates) {
      const check = isSchedulableToDisk(request.sizeBytes, request.actualBytes, d, policy);
      if (!check.ok) {
        storageFailure = true;
        reasons.push(`disk ${d.disk} on node ${d.node}: ${check.message}`);
        continue;
      }
      if (!tagsMatch(d.diskTags, request.diskSelector)) {
        tagFailure = true;
        reasons.push(`disk ${d.disk} on node ${d.node} lacks tags [${request.diskSelector}]`);
        continue;
      }
      fitting.push(d);
    }
    const empty = fitting.filter((d) => (replicasPerDisk.get(`${d.node}/${d.disk}`) ?? 0) === 0);
    return empty.length > 0 || !policy.diskSoftAntiAffinity ? empty : fitting;
  };

  const unusedNodes = tagged.filter((d) => !usedNodes.has(d.node));
  const unusedInUnusedZones = unusedNodes.filter((d) => d.zone === null || !usedZones.has(d.zone));
  const stages: SchedulingDisk[][] = [unusedInUnusedZones];
  if (policy.zoneSoftAntiAffinity) {
    stages.push(unusedNodes);
    if (policy.nodeSoftAntiAffinity) stages.push(tagged.filter((d) => usedNodes.has(d.node)));
  }
  for (const stage of stages) {
    const candidates = fittingDisks(stage);
    if (candidates.length > 0) return pick(candidates, request.preferNode ?? null);
  }
  if (storageFailure) return { ok: false, reason: 'insufficient-storage', message: reasons.join('; ') };
  if (tagFailure) return { ok: false, reason: 'tags-not-fulfilled', message: reasons.join('; ') };
  return {
    ok: false,
    reason: 'anti-affinity',
    message: `every schedulable node (or zone) already holds a replica of the volume (${[...usedNodes].sort().join(', ')})`,
  };
}

/** The disk with the most usable space (available − reserved); ties by node then disk name. */
function pick(candidates: readonly SchedulingDisk[], preferNode: string | null): ScheduleResult {
  const local = preferNode === null ? [] : candidates.filter((d) => d.node === preferNode);
  const pool = local.length > 0 ? local : candidates;
  const best = [...pool].sort(
    (a, b) =>
      b.availableBytes - b.reservedBytes - (a.availableBytes - a.reservedBytes) ||
      a.node.localeCompare(b.node) ||
      a.disk.localeCompare(b.disk),
  )[0];
  return { ok: true, node: best.node, disk: best.disk };
}
