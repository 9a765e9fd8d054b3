/**
 * Storage metrics and findings, from trace records only (subsystems 'longhorn' and 'guest',
 * src/trace/longhorn.ts), in plan time up to the run's end.
 */
import { type KindOf, type RecordOf, select, type Trace } from '../trace/record.ts';
import type { Finding } from './finding.ts';
import type { RunSummary } from './run-summary.ts';

export interface VmTrimImpact {
  readonly pausedSeconds: number;
  readonly flaps: number;
}

export interface StorageMetrics {
  /** Bytes sent by completed rebuilds. */
  readonly bytesRebuilt: number;
  /** Bytes sent by rebuilds that did not finish. */
  readonly bytesSentByFailedRebuilds: number;
  /** Σ duration of completed rebuilds. */
  readonly rebuildSeconds: number;
  readonly rebuilds: {
    readonly full: number;
    readonly delta: number;
    readonly fast: number;
    readonly failed: number;
  };
  /** ∫ (number of degraded volumes) dt. */
  readonly degradedVolumeSeconds: number;
  /** Bytes written while exactly one healthy replica held the data (volumes that want more than one). */
  readonly dataAtRiskBytes: number;
  readonly vmsPausedByTrim: number;
  readonly trimPausedSeconds: number;
  readonly trimFlaps: number;
  readonly trimPausesByVm: Readonly<Record<string, VmTrimImpact>>;
  readonly volumesDegradedAtEnd: readonly string[];
  readonly unschedulableVolumes: readonly string[];
  /** Harvester's storage sums at the end: Total = Σ storageMaximum, Used = Total − Σ storageAvailable, Reserved = Σ storageReserved. */
  readonly accountingAtEnd: {
    readonly totalBytes: number;
    readonly usedBytes: number;
    readonly reservedBytes: number;
  } | null;
}

type Longhorn<K extends KindOf<'longhorn'>> = RecordOf<'longhorn', K>;

const of = <K extends KindOf<'longhorn'>>(records: Trace, kind: K): Longhorn<K>[] =>
  select(records, 'longhorn', kind);

interface VolumeTimeline {
  robustness: string;
  healthy: number;
  wanted: number;
  rate: number;
  since: number;
}

/** Integrates degraded time and at-risk writes per volume over the records, in time order. */
function integrateVolumes(records: Trace, end: number) {
  const volumes = new Map<string, VolumeTimeline>();
  let degradedSeconds = 0;
  let atRiskBytes = 0;
  const advance = (v: VolumeTimeline, to: number) => {
    const dt = Math.max(0, to - v.since);
    if (v.robustness === 'degraded') {
      degradedSeconds += dt;
      if (v.healthy === 1 && v.wanted > 1) atRiskBytes += v.rate * dt;
    }
    v.since = to;
  };
  const timeline = (name: string, at: number) => {
    let v = volumes.get(name);
    if (v === undefined) {
      v = { robustness: 'unknown', healthy: 0, wanted: 0, rate: 0, since: at };
      volumes.set(name, v);
    }
    advance(v, at);
    return v;
  };
  for (const r of records) {
    if (r.subsystem !== 'longhorn' || r.timeSeconds > end) continue;
    if (r.kind === 'volume.robustness') {
      const data = r.data;
      const v = timeline(data.volume, r.timeSeconds);
      v.robustness = data.robustness;
      v.healthy = data.healthyReplicas;
      v.wanted = data.wantedReplicas;
    } else if (r.kind === 'volume.writes') {
      const data = r.data;
      timeline(data.volume, r.timeSeconds).rate = data.bytesPerSecond;
    }
  }
  for (const v of volumes.values()) advance(v, end);
  const degradedAtEnd = [...volumes.entries()]
    .filter(([, v]) => v.robustness === 'degraded' || v.robustness === 'faulted')
    .map(([name]) => name)
    .sort();
  return { degradedSeconds, atRiskBytes, degradedAtEnd, volumes };
}

function trimPauses(records: Trace, end: number): Record<string, VmTrimImpact> {
  const impact: Record<string, { pausedSeconds: number; flaps: number }> = {};
  const open = new Map<string, number>();
  for (const r of records) {
    if (r.subsystem !== 'guest' || r.timeSeconds > end) continue;
    if (r.kind === 'vm.paused') {
      const data = r.data;
      if (data.cause !== 'trim') continue;
      const entry = (impact[data.vm] ??= { pausedSeconds: 0, flaps: 0 });
      entry.flaps++;
      open.set(data.vm, r.timeSeconds);
    } else if (r.kind === 'vm.unpaused') {
      const data = r.data;
      const since = open.get(data.vm);
      if (since === undefined) continue;
      open.delete(data.vm);
      (impact[data.vm] ??= { pausedSeconds: 0, flaps: 0 }).pausedSeconds += r.timeSeconds - since;
    }
  }
  for (const [vm, since] of open) impact[vm].pausedSeconds += end - since;
  return impact;
}

export function storageMetrics(records: Trace, run: RunSummary): StorageMetrics {
  const end = run.endSeconds;
  const completed = of(records, 'rebuild.completed');
  const failed = of(records, 'rebuild.failed');
  const volumes = integrateVolumes(records, end);
  const pauses = trimPauses(records, end);
  const impacts = Object.values(pauses);
  return {
    bytesRebuilt: completed.reduce((sum, r) => sum + r.data.bytesSent, 0),
    bytesSentByFailedRebuilds: failed.reduce((sum, r) => sum + r.data.bytesSent, 0),
    rebuildSeconds: completed.reduce((sum, r) => sum + r.data.seconds, 0),
    rebuilds: {
      full: completed.filter((r) => r.data.kind === 'full').length,
      delta: completed.filter((r) => r.data.kind === 'delta').length,
      fast: completed.filter((r) => r.data.kind === 'fast').length,
      failed: failed.length,
    },
    degradedVolumeSeconds: volumes.degradedSeconds,
    dataAtRiskBytes: volumes.atRiskBytes,
    vmsPausedByTrim: impacts.filter((i) => i.flaps > 0).length,
    trimPausedSeconds: impacts.reduce((sum, i) => sum + i.pausedSeconds, 0),
    trimFlaps: impacts.reduce((sum, i) => sum + i.flaps, 0),
    trimPausesByVm: pauses,
    volumesDegradedAtEnd: volumes.degradedAtEnd,
    unschedulableVolumes: [...new Set(of(records, 'replica.unschedulable').map((r) => r.data.volume))].sort(),
    accountingAtEnd: accountingAtEnd(records, end),
  };
}

/** Harvester's Hosts-screen sums (Total, Used, Reserved) as last written before the end. */
function accountingAtEnd(records: Trace, end: number): StorageMetrics['accountingAtEnd'] {
  const last = of(records, 'storage.accounting')
    .filter((r) => r.timeSeconds <= end)
    .at(-1);
  if (last === undefined) return null;
  return {
    totalBytes: last.data.totalBytes,
    usedBytes: last.data.usedBytes,
    reservedBytes: last.data.reservedBytes,
  };
}

const KB_SHUTDOWN =
  'KB harvester_cluster_shutdown_and_restart: "when replicas are rescheduled to other nodes, Longhorn will copy data from source node and rebuild the replica. Undoubtedly, stop the PVs as much as possible before the cluster shutdown to avoid the data moving."';
const KB_TRIM =
  'KB the_potential_risk_with_filesystem_trim: "The IO errors will cause VMs to flap between running and paused states until volume rebuilding is completed."';

export function storageFindings(records: Trace, run: RunSummary): Finding[] {
  const findings: Finding[] = [];
  const end = run.endSeconds;
  const completed = of(records, 'rebuild.completed');

  for (const r of of(records, 'volume.attached-at-power-off')) {
    const later = completed.filter((c) => c.data.volume === r.data.volume && c.timeSeconds >= r.timeSeconds);
    const bytes = later.reduce((sum, c) => sum + c.data.bytesSent, 0);
    findings.push({
      rule: 'longhorn.volume-attached-at-power-off',
      severity: 'warning',
      timeSeconds: r.timeSeconds,
      title: `volume ${r.data.volume} was attached when ${r.data.node} lost power`,
      detail: `${r.data.mode} power-off of ${r.data.node} with the volume's engine on it; ${later.length} rebuild(s) of it followed, ${bytes} bytes sent`,
      objects: [`volume/${r.data.volume}`, `node/${r.data.node}`],
      source: KB_SHUTDOWN,
    });
  }

  const { degradedAtEnd, volumes } = integrateVolumes(records, end);
  for (const volume of degradedAtEnd) {
    const v = volumes.get(volume);
    findings.push({
      rule: 'longhorn.volume-degraded-at-end',
      severity: v?.robustness === 'faulted' ? 'critical' : 'warning',
      timeSeconds: end,
      title: `volume ${volume} is ${v?.robustness} at the end of the plan`,
      detail: `${v?.healthy} of ${v?.wanted} replicas healthy; a further node loss ${v?.healthy === 1 ? 'loses the data' : 'degrades it more'}`,
      objects: [`volume/${volume}`],
      source:
        'longhorn/longhorn-manager:controller/volume_controller.go ReconcileEngineReplicaState (robustness from RW replicas); harvester/harvester:package/upgrade/upgrade_node.sh (the pre-drain step waits for every attached volume to be healthy before the next node)',
    });
  }

  const pauses = trimPauses(records, end);
  const erroredVms = new Map<string, Longhorn<'unmap'>>();
  const zeroByteVms = new Map<string, Longhorn<'unmap'>>();
  for (const r of of(records, 'unmap')) {
    if (!r.data.rebuilding) continue;
    if (r.data.outcome === 'io-error' && !erroredVms.has(r.data.vm)) erroredVms.set(r.data.vm, r);
    if (r.data.outcome === 'zero-bytes-while-rebuilding' && !zeroByteVms.has(r.data.vm))
      zeroByteVms.set(r.data.vm, r);
  }
  const versions = `Harvester ${run.harvesterVersion} (Longhorn ${run.components.longhorn})`;
  for (const [vm, r] of erroredVms) {
    const impact = pauses[vm] ?? { pausedSeconds: 0, flaps: 0 };
    findings.push({
      rule: 'longhorn.trim-during-rebuild',
      severity: 'critical',
      timeSeconds: r.timeSeconds,
      title: `VM ${vm} paused by IO errors: trim while ${r.data.volume} was rebuilding`,
      detail: `${versions} returns an IO error for UNMAP while a replica is WO; the VM paused ${impact.flaps} time(s), ${impact.pausedSeconds.toFixed(0)} s in all. Fixed in Harvester 1.2.2 / 1.3.1 (Longhorn 1.5.4, 1.6.1, 1.7.0); until then disable fstrim.timer, drop the discard mount option, or set RandomizedDelaySec=6000`,
      objects: [`vm/${vm}`, `volume/${r.data.volume}`],
      source: KB_TRIM,
    });
  }
  for (const [vm, r] of zeroByteVms) {
    findings.push({
      rule: 'longhorn.trim-ineffective-during-rebuild',
      severity: 'info',
      timeSeconds: r.timeSeconds,
      title: `trim of ${r.data.volume} by ${vm} freed nothing: the volume was rebuilding`,
      detail: `${versions} answers UNMAP during a rebuild with success and 0 bytes; the filesystem believes the blocks are trimmed, so a remount is needed before trimming again`,
      objects: [`vm/${vm}`, `volume/${r.data.volume}`],
      source:
        'longhorn/website …/volumes/trim-filesystem.md "Known Issues: Rebuilding Volumes"; longhorn-engine PR #1008',
    });
  }

  // A write to a faulted volume is an I/O error: the guest pauses until auto-salvage (guest/model.ts).
  const faultPauses = new Map<string, { since: number; volume: string; disk: string }>();
  const reportFaultPause = (vm: string, until: number) => {
    const open = faultPauses.get(vm);
    if (open === undefined) return;
    faultPauses.delete(vm);
    findings.push({
      rule: 'longhorn.vm-paused-volume-faulted',
      severity: 'critical',
      timeSeconds: open.since,
      title: `VM ${vm} paused by IO errors: volume ${open.volume} is faulted`,
      detail: `no healthy replica of ${open.volume} (${open.disk}) remained, so its engine failed every write and the VM paused for ${(until - open.since).toFixed(0)} s${until >= end ? ', until the end of the plan' : ' until the volume was salvaged'}`,
      objects: [`vm/${vm}`, `volume/${open.volume}`],
      source:
        'longhorn/longhorn-manager:controller/volume_controller.go ReconcileVolumeState (no healthy replica → faulted; auto-salvage revives replicas and remounts); harvester/harvester#4739 ("VM Paused due to IO error at the volume")',
    });
  };
  for (const r of records) {
    if (r.subsystem !== 'guest' || r.timeSeconds > end) continue;
    if (r.kind === 'vm.paused' && r.data.cause === 'volume-faulted')
      faultPauses.set(r.data.vm, { since: r.timeSeconds, volume: r.data.volume, disk: r.data.disk });
    else if (r.kind === 'vm.unpaused') reportFaultPause(r.data.vm, r.timeSeconds);
  }
  for (const vm of [...faultPauses.keys()]) reportFaultPause(vm, end);

  const seen = new Set<string>();
  for (const r of of(records, 'replica.unschedulable')) {
    if (seen.has(r.data.volume)) continue;
    seen.add(r.data.volume);
    findings.push({
      rule: 'longhorn.replica-unschedulable',
      severity: 'warning',
      timeSeconds: r.timeSeconds,
      title: `volume ${r.data.volume}: Scheduled=False (ReplicaSchedulingFailure, ${r.data.cause})`,
      detail: r.data.message,
      objects: [`volume/${r.data.volume}`],
      source:
        'longhorn/longhorn-manager:scheduler/replica_scheduler.go (IsSchedulableToDisk, getDiskCandidates)',
    });
  }
  return findings;
}
