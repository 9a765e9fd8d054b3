/** What evaluation reports: something that went wrong, or a risk, tied to a time and objects. */
export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  /** Stable identifier of the rule, e.g. `etcd.quorum-lost`, `longhorn.rebuild-after-power-off`. */
  readonly rule: string;
  readonly severity: Severity;
  /** Simulated time the finding refers to (seconds from the start of the run). */
  readonly timeSeconds: number;
  /** One line for a terminal. */
  readonly title: string;
  /** What happened, with numbers. */
  readonly detail: string;
  /** Objects involved: `node/harv41`, `vm/default/vm1`, `volume/default/pvc-1`, `etcd/harv43`. */
  readonly objects: readonly string[];
  /** The knowledge-base sentence (or upstream source) the rule comes from. */
  readonly source: string;
}

export function bySeverityThenTime(a: Finding, b: Finding): number {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return rank[a.severity] - rank[b.severity] || a.timeSeconds - b.timeSeconds || a.rule.localeCompare(b.rule);
}
