/** The sweep as text: the ranked table (Pareto points marked), then the recommendation. */
import { pointLabel } from './grid.ts';
import type { SweepResult } from './merge.ts';
import type { PointResult } from './point-metrics.ts';
import type { Recommendation } from './recommendation.ts';

const GIB = 2 ** 30;

export const CSV_COLUMNS = [
  'index',
  'rank',
  'pareto',
  'makespanSeconds',
  'makespanMaxSeconds',
  'downtimeP50Ms',
  'downtimeP99Ms',
  'migrations',
  'aborted',
  'postCopy',
  'failed',
  'notEvacuatedRuns',
  'failures',
  'bytesMoved',
  'throttledGuestSeconds',
  'runs',
] as const;

/** One row per grid point, in grid order; a column per swept setting after the metrics. */
export function sweepCsv(result: SweepResult): string {
  const settings = result.spec.axes.map((a) => a.setting);
  const rows = [[...CSV_COLUMNS, ...settings].join(',')];
  for (const p of result.points) {
    const cells: (string | number | boolean)[] = CSV_COLUMNS.map((c) => {
      if (c === 'rank') return result.ranking.indexOf(p.index) + 1;
      if (c === 'pareto') return result.pareto.includes(p.index);
      return p[c];
    });
    cells.push(...settings.map((s) => p.settings[s]));
    rows.push(
      cells.map((c) => (typeof c === 'string' && /[",\n]/.test(c) ? JSON.stringify(c) : String(c))).join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}

function row(rankNo: number, p: PointResult, pareto: boolean): string[] {
  return [
    String(rankNo),
    pareto ? '*' : '',
    p.makespanSeconds.toFixed(0),
    p.downtimeP50Ms.toFixed(0),
    p.downtimeP99Ms.toFixed(0),
    fmt(p.aborted),
    fmt(p.postCopy),
    fmt(p.failed + p.notEvacuatedRuns / p.runs),
    (p.bytesMoved / GIB).toFixed(1),
    p.throttledGuestSeconds.toFixed(0),
    pointLabel(p.settings),
  ];
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** The ranked table: `limit` rows (every Pareto point is listed besides). */
export function sweepTable(result: SweepResult, recommendation: Recommendation, limit = 20): string {
  const header = [
    'rank',
    'P',
    'makespan s',
    'p50 ms',
    'p99 ms',
    'aborted',
    'post-copy',
    'failed',
    'GiB moved',
    'throttled s',
    'settings',
  ];
  const shown = result.ranking.filter((index, r) => r < limit || result.pareto.includes(index));
  const rows = shown.map((index) =>
    row(result.ranking.indexOf(index) + 1, result.points[index], result.pareto.includes(index)),
  );
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) =>
        c === cells.length - 1 ? cell : c <= 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
      )
      .join('  ')
      .trimEnd();
  const { spec } = result;
  const out = [
    `${result.points.length} grid points × ${spec.runs} run(s) (seeds from ${spec.seed}), ranked by ${result.objective.join(', ')}; * = Pareto front (makespan × p99 downtime × failures). Counts are per run.`,
    '',
    line(header),
    ...rows.map(line),
  ];
  if (shown.length < result.ranking.length)
    out.push(`… ${result.ranking.length - shown.length} more (--json or --csv for all)`);
  out.push('', 'Recommended:', ...recommendation.why.map((w) => `  - ${w}`), '', recommendation.kubevirtYaml);
  if (recommendation.policyYaml !== null)
    out.push(
      '---',
      '# the swept MigrationPolicy objects (kubectl apply -f)',
      recommendation.policyYaml.trimEnd(),
    );
  return `${out.join('\n')}\n`;
}
