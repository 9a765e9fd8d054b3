/**
 * Findings grouped by kind (rule): one entry per rule with how many findings it holds, the objects
 * they name and the source sentence once. A 12-node run's hundreds of findings read as a dozen lines.
 */
import { bySeverityThenTime, type Finding, type Severity } from './finding.ts';

export interface FindingGroup {
  readonly rule: string;
  /** The most severe of the group's findings. */
  readonly severity: Severity;
  /** How many findings of this rule the run has. */
  readonly count: number;
  /** The title of the first finding (in severity-then-time order). */
  readonly title: string;
  /** The detail of the first finding. */
  readonly detail: string;
  /** Every object the group's findings name, each once, in order of first appearance. */
  readonly objects: readonly string[];
  readonly firstSeconds: number;
  readonly lastSeconds: number;
  /** The knowledge-base sentence (or upstream source), once; a rule with several lists each once. */
  readonly source: string;
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Groups findings by rule, the groups in the order of their first finding (severity, then time). */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of [...findings].sort(bySeverityThenTime)) {
    const list = byRule.get(f.rule);
    if (list === undefined) byRule.set(f.rule, [f]);
    else list.push(f);
  }
  return [...byRule.values()].map((list) => {
    const first = list[0];
    const objects = new Set<string>();
    const sources = new Set<string>();
    let severity = first.severity;
    let firstSeconds = first.timeSeconds;
    let lastSeconds = first.timeSeconds;
    for (const f of list) {
      for (const o of f.objects) objects.add(o);
      sources.add(f.source);
      if (RANK[f.severity] < RANK[severity]) severity = f.severity;
      firstSeconds = Math.min(firstSeconds, f.timeSeconds);
      lastSeconds = Math.max(lastSeconds, f.timeSeconds);
    }
    return {
      rule: first.rule,
      severity,
      count: list.length,
      title: first.title,
      detail: first.detail,
      objects: [...objects],
      firstSeconds,
      lastSeconds,
      source: [...sources].join('\n'),
    };
  });
}
