import type { Subsystem, Trace } from '../trace/record.ts';
import type { RunSummary } from './run-summary.ts';

export interface Interval {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

export interface ControlPlaneMetrics {
  readonly durationSeconds: number;
  readonly apiUnavailableSeconds: number;
  readonly apiUnavailableIntervals: readonly Interval[];
  readonly quorumLostIntervals: readonly Interval[];
  readonly leaderElections: number;
  readonly vmsForceRestarted: number;
  readonly vmsLostWithNode: number;
  readonly unschedulablePods: number;
  readonly podsEvicted: number;
  /** Highest CPU requested / allocatable seen on any running node. */
  readonly peakCpuPressure: number;
  readonly peakReconcileAttemptsPerMinute: number;
}

/**
 * Control-plane metrics of one run, read from its trace alone (in plan time); intervals still open at the end are closed there.
 */
export function controlPlaneMetrics(records: Trace, run: RunSummary): ControlPlaneMetrics {
  const api = intervals(records, run.endSeconds, 'kube', 'api.unavailable', 'api.available');
  const quorum = intervals(records, run.endSeconds, 'etcd', 'quorum-lost', 'quorum-regained');
  const unschedulable = new Set<string>();
  let forceRestarted = 0;
  let lost = 0;
  let evicted = 0;
  let elections = 0;
  let pressure = 0;
  let attempts = 0;
  for (const r of records) {
    if (r.subsystem === 'kubevirt' && r.kind === 'vm.force-restarted') forceRestarted++;
    else if (r.subsystem === 'kubevirt' && r.kind === 'vm.lost-with-node') lost++;
    else if (r.subsystem === 'kube' && r.kind === 'schedule.failed') unschedulable.add(r.data.object);
    else if (r.subsystem === 'kube' && r.kind === 'pod.evicted') evicted++;
    else if (r.subsystem === 'etcd' && r.kind === 'leader-elected') elections++;
    else if (r.subsystem === 'kube' && r.kind === 'controllers.load') {
      pressure = Math.max(pressure, r.data.cpuRequestedMillicores / r.data.cpuAllocatableMillicores);
      attempts = Math.max(attempts, r.data.reconcileAttemptsPerMinute);
    }
  }
  return {
    durationSeconds: run.endSeconds,
    apiUnavailableSeconds: api.reduce((sum, i) => sum + i.endSeconds - i.startSeconds, 0),
    apiUnavailableIntervals: api,
    quorumLostIntervals: quorum,
    leaderElections: elections,
    vmsForceRestarted: forceRestarted,
    vmsLostWithNode: lost,
    unschedulablePods: unschedulable.size,
    podsEvicted: evicted,
    peakCpuPressure: pressure,
    peakReconcileAttemptsPerMinute: attempts,
  };
}

function intervals(
  records: Trace,
  endSeconds: number,
  subsystem: Subsystem,
  open: string,
  close: string,
): Interval[] {
  const out: Interval[] = [];
  let openedAt: number | null = null;
  for (const r of records) {
    if (r.subsystem !== subsystem) continue;
    if (r.kind === open && openedAt === null) openedAt = r.timeSeconds;
    else if (r.kind === close && openedAt !== null) {
      out.push({ startSeconds: openedAt, endSeconds: r.timeSeconds });
      openedAt = null;
    }
  }
  if (openedAt !== null) out.push({ startSeconds: openedAt, endSeconds });
  return out;
}
