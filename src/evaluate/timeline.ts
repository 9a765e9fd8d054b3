import type { Trace } from '../trace/record.ts';

/** Record kinds too fine-grained for a timeline (they stay in the full trace). */
const DETAIL = new Set([
  'etcd/vote-request',
  'etcd/vote-rejected',
  'etcd/pre-vote-rejected',
  'etcd/vote-ignored-lease',
  'etcd/election-start',
  'etcd/role-change',
  'etcd/ticks-advanced',
  'etcd/prober-unhealthy',
  'etcd/member-running',
  'etcd/transfer-start',
  'kube/controllers.load',
  'kube/pod.placed',
  'kube/pod.evicted',
]);

export interface TimelineEntry {
  /** Seconds from the plan's start. */
  readonly timeSeconds: number;
  readonly subsystem: string;
  readonly kind: string;
  readonly data: unknown;
}

/** The records a reader follows (records in plan time). */
export function timeline(records: Trace): TimelineEntry[] {
  return records
    .filter((r) => !DETAIL.has(`${r.subsystem}/${r.kind}`))
    .map((r) => ({
      timeSeconds: r.timeSeconds,
      subsystem: r.subsystem,
      kind: r.kind,
      data: r.data,
    }));
}
