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
  /**
   * The disk's place in (node, disk) name order as `localeCompare` sorts them (equal for names that
   * compare equal). When both disks of a comparison have it, it breaks ties instead of comparing the
   * names: the same order, without collating strings on every placement.
   */
  readonly nameOrder?: number;
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

/**
 * The same disks as a placement's list, in the order `pick` prefers them (most usable space first,
 * then name order, then list order), and per node in list order: a placement then stops at the
 * first disk that qualifies instead of visiting every disk (DiskInventory keeps it as sums change).
 */
export interface SchedulingIndex {
  readonly ordered: readonly SchedulingDisk[];
  disksOf(node: string): readonly SchedulingDisk[];
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
  for (let i = 0; i < selector.length; i++) if (!tags.includes(selector[i])) return false;
  return true;
}

/**
 * Picks a disk for one new replica, or says why none fits. One pass per stage keeps the best disk of
 * each pool (empty of this volume's replicas or not; on the preferred node or anywhere) instead of
 * building candidate lists: this runs for every replica placed. When no stage has a candidate, the
 * reasons are gathered by `explainedSchedule`, the same stages with every disk's failure written out.
 */
export function scheduleReplica(
  disks: readonly SchedulingDisk[],
  request: SchedulingRequest,
  policy: SchedulingPolicy,
  index?: SchedulingIndex,
): ScheduleResult {
  if (index !== undefined) return indexedSchedule(disks, request, policy, index);
  const counting = countingReplicas(request);
  const usedNodes = new Set<string>();
  for (const r of counting) usedNodes.add(r.node);
  const usedZones = new Set<string>();
  if (usedNodes.size > 0)
    for (const d of disks) if (d.zone !== null && usedNodes.has(d.node)) usedZones.add(d.zone);
  const preferNode = request.preferNode ?? null;
  const stages = policy.zoneSoftAntiAffinity ? (policy.nodeSoftAntiAffinity ? 3 : 2) : 1;
  for (let stage = 0; stage < stages; stage++) {
    let bestEmpty: SchedulingDisk | null = null;
    let bestEmptyLocal: SchedulingDisk | null = null;
    let bestFitting: SchedulingDisk | null = null;
    let bestFittingLocal: SchedulingDisk | null = null;
    for (const d of disks) {
      if (!d.nodeReady || !d.nodeSchedulable || !tagsMatch(d.nodeTags, request.nodeSelector)) continue;
      const used = usedNodes.has(d.node);
      if (stage === 2 ? !used : used) continue;
      if (stage === 0 && d.zone !== null && usedZones.has(d.zone)) continue;
      if (!fitsDisk(request.sizeBytes, request.actualBytes, d, policy)) continue;
      if (!tagsMatch(d.diskTags, request.diskSelector)) continue;
      const local = d.node === preferNode;
      if (bestFitting === null || before(d, bestFitting)) bestFitting = d;
      if (local && (bestFittingLocal === null || before(d, bestFittingLocal))) bestFittingLocal = d;
      let holds = false;
      for (const r of counting)
        if (r.node === d.node && r.disk === d.disk) {
          holds = true;
          break;
        }
      if (holds) continue;
      if (bestEmpty === null || before(d, bestEmpty)) bestEmpty = d;
      if (local && (bestEmptyLocal === null || before(d, bestEmptyLocal))) bestEmptyLocal = d;
    }
    const useEmpty = bestEmpty !== null || !policy.diskSoftAntiAffinity;
    const best = useEmpty ? (bestEmptyLocal ?? bestEmpty) : (bestFittingLocal ?? bestFitting);
    if (best !== null) return { ok: true, node: best.node, disk: best.disk };
  }
  return explainedSchedule(disks, request, policy);
}

/** The replicas that hold their node (and zone) for anti-affinity: live ones, and failed ones still reusable unless replenishing. */
function countingReplicas(request: SchedulingRequest): ExistingReplicaPlacement[] {
  const counting: ExistingReplicaPlacement[] = [];
  for (const r of request.existing)
    if (!r.failed || (r.potentiallyReusable && !request.replenishing)) counting.push(r);
  return counting;
}
/**
 * `scheduleReplica` over the index: per stage, the first qualifying disk in pick order that holds no
 * replica of the volume (else the first qualifying one, with disk soft anti-affinity), and the best
 * on the preferred node from that node's disks alone. The same choice as the full scan.
 */
function indexedSchedule(
  disks: readonly SchedulingDisk[],
  request: SchedulingRequest,
  policy: SchedulingPolicy,
  index: SchedulingIndex,
): ScheduleResult {
  const counting = countingReplicas(request);
  const usedNodes = new Set<string>();
  for (const r of counting) usedNodes.add(r.node);
  const usedZones = new Set<string>();
  for (const node of usedNodes)
    for (const d of index.disksOf(node)) if (d.zone !== null) usedZones.add(d.zone);
  const preferNode = request.preferNode ?? null;
  const stages = policy.zoneSoftAntiAffinity ? (policy.nodeSoftAntiAffinity ? 3 : 2) : 1;
  for (let stage = 0; stage < stages; stage++) {
    let firstEmpty: SchedulingDisk | null = null;
    let firstFitting: SchedulingDisk | null = null;
    for (const d of index.ordered) {
      if (!qualifies(d, stage, request, policy, usedNodes, usedZones)) continue;
      if (firstFitting === null) firstFitting = d;
      if (!holds(d, counting)) {
        firstEmpty = d;
        break;
      }
    }
    let bestEmptyLocal: SchedulingDisk | null = null;
    let bestFittingLocal: SchedulingDisk | null = null;
    if (preferNode !== null)
      for (const d of index.disksOf(preferNode)) {
        if (!qualifies(d, stage, request, policy, usedNodes, usedZones)) continue;
        if (bestFittingLocal === null || before(d, bestFittingLocal)) bestFittingLocal = d;
        if (!holds(d, counting) && (bestEmptyLocal === null || before(d, bestEmptyLocal))) bestEmptyLocal = d;
      }
    const useEmpty = firstEmpty !== null || !policy.diskSoftAntiAffinity;
    const best = useEmpty ? (bestEmptyLocal ?? firstEmpty) : (bestFittingLocal ?? firstFitting);
    if (best !== null) return { ok: true, node: best.node, disk: best.disk };
  }
  return explainedSchedule(disks, request, policy);
}

/** Whether `d` passes stage `stage`'s filters for the request (indexedSchedule; no closure per placement). */
function qualifies(
  d: SchedulingDisk,
  stage: number,
  request: SchedulingRequest,
  policy: SchedulingPolicy,
  usedNodes: ReadonlySet<string>,
  usedZones: ReadonlySet<string>,
): boolean {
  if (!d.nodeReady || !d.nodeSchedulable || !tagsMatch(d.nodeTags, request.nodeSelector)) return false;
  const used = usedNodes.has(d.node);
  if (stage === 2 ? !used : used) return false;
  if (stage === 0 && d.zone !== null && usedZones.has(d.zone)) return false;
  return (
    fitsDisk(request.sizeBytes, request.actualBytes, d, policy) && tagsMatch(d.diskTags, request.diskSelector)
  );
}

/** Whether one of the counted replicas is on `d`. */
function holds(d: SchedulingDisk, counting: readonly ExistingReplicaPlacement[]): boolean {
  for (const r of counting) if (r.node === d.node && r.disk === d.disk) return true;
  return false;
}

/** `scheduleReplica` written out with every disk's reason, for the case where no disk fits. */
function explainedSchedule(
  disks: readonly SchedulingDisk[],
  request: SchedulingRequest,
  policy: SchedulingPolicy,
): ScheduleResult {
  let anyUsable = false;
  let anyTagged = false;
  for (const d of disks) {
    if (!d.nodeReady || !d.nodeSchedulable) continue;
    anyUsable = true;
    if (tagsMatch(d.nodeTags, request.nodeSelector)) {
      anyTagged = true;
      break;
    }
  }
  if (!anyUsable) {
    return { ok: false, reason: 'node-unavailable', message: 'no Ready, schedulable node' };
  }
  if (!anyTagged) {
    return { ok: false, reason: 'tags-not-fulfilled', message: `no node has tags [${request.nodeSelector}]` };
  }
  const counting = request.existing.filter(
    (r) => !r.failed || (r.potentiallyReusable && !request.replenishing),
  );
  const usedNodes = new Set<string>();
  for (const r of counting) usedNodes.add(r.node);
  // Zones of the nodes holding a counted replica (a node's disks share its zone).
  const usedZones = new Set<string>();
  if (usedNodes.size > 0)
    for (const d of disks) if (d.zone !== null && usedNodes.has(d.node)) usedZones.add(d.zone);

  const reasons: string[] = [];
  let storageFailure = false;
  let tagFailure = false;
  const holdsReplica = (d: SchedulingDisk): boolean => {
    for (const r of counting) if (r.node === d.node && r.disk === d.disk) return true;
    return false;
  };
  /** Stage 0: unused node in an unused zone; 1: unused node; 2: a node already used. */
  const inStage = (d: SchedulingDisk, stage: number): boolean => {
    if (!d.nodeReady || !d.nodeSchedulable || !tagsMatch(d.nodeTags, request.nodeSelector)) return false;
    const used = usedNodes.has(d.node);
    if (stage === 2) return used;
    if (used) return false;
    return stage === 1 || d.zone === null || !usedZones.has(d.zone);
  };
  const fittingDisks = (stage: number): SchedulingDisk[] => {
    const fitting: SchedulingDisk[] = [];
    const empty: SchedulingDisk[] = [];
    for (const d of disks) {
      if (!inStage(d, stage)) continue;
      if (!fitsDisk(request.sizeBytes, request.actualBytes, d, policy)) {
        const check = isSchedulableToDisk(request.sizeBytes, request.actualBytes, d, policy);
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
      if (!holdsReplica(d)) empty.push(d);
    }
    return empty.length > 0 || !policy.diskSoftAntiAffinity ? empty : fitting;
  };

  const stages = policy.zoneSoftAntiAffinity ? (policy.nodeSoftAntiAffinity ? 3 : 2) : 1;
  for (let stage = 0; stage < stages; stage++) {
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

/** `isSchedulableToDisk(...).ok` without building its message. */
function fitsDisk(
  sizeBytes: number,
  requiredBytes: number,
  disk: DiskCapacity,
  policy: Pick<SchedulingPolicy, 'overProvisioningPercentage' | 'minimalAvailablePercentage'>,
): boolean {
  if (disk.maximumBytes <= 0 || disk.availableBytes <= 0) return false;
  const minimalAvailable = Math.floor((disk.maximumBytes * policy.minimalAvailablePercentage) / 100);
  if (disk.availableBytes - requiredBytes <= minimalAvailable) return false;
  const limit = Math.floor(
    ((disk.maximumBytes - disk.reservedBytes) * policy.overProvisioningPercentage) / 100,
  );
  return sizeBytes + disk.scheduledBytes <= limit;
}

/** The disk with the most usable space (available − reserved); ties by node then disk name. */
function pick(candidates: readonly SchedulingDisk[], preferNode: string | null): ScheduleResult {
  let pool = candidates;
  if (preferNode !== null) {
    const local = candidates.filter((d) => d.node === preferNode);
    if (local.length > 0) pool = local;
  }
  // The first in the order below; a scan, not a sort: the order is total (node/disk is unique).
  let best = pool[0];
  for (let i = 1; i < pool.length; i++) if (before(pool[i], best)) best = pool[i];
  return { ok: true, node: best.node, disk: best.disk };
}

function before(a: SchedulingDisk, b: SchedulingDisk): boolean {
  const space = b.availableBytes - b.reservedBytes - (a.availableBytes - a.reservedBytes);
  if (space !== 0) return space < 0;
  if (a.nameOrder !== undefined && b.nameOrder !== undefined) return a.nameOrder < b.nameOrder;
  const order = a.node.localeCompare(b.node) || a.disk.localeCompare(b.disk);
  return order < 0;
}
