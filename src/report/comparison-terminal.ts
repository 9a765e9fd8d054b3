/** The human report of `harvester-sim compare` and `evaluate --runs N`. */
import type { Comparison, PlanComparison } from '../compare/compare.ts';
import { COMPARED_METRICS } from '../compare/metrics.ts';
import { percentText, quantityText } from './quantity-text.ts';

/** Failing seeds listed with their replay command; the JSON lists every one. */
const FAILED_SEEDS_SHOWN = 10;
const OBJECTS_SHOWN = 8;

export function seedRangeText(comparison: Comparison): string {
  const { seeds } = comparison;
  return seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds (${seeds[0]} … ${seeds.at(-1)})`;
}

export function comparisonTerminalReport(comparison: Comparison): string {
  const lines: string[] = [];
  const names = comparison.plans.map((p) => p.plan);
  const width = Math.max(...names.map((n) => n.length));
  lines.push(
    comparison.plans.length === 1
      ? `${names[0]} on ${comparison.scenario} over ${seedRangeText(comparison)}`
      : `${names.join(' vs ')} on ${comparison.scenario} over ${seedRangeText(comparison)}`,
    '',
    'Completed',
  );
  for (const p of comparison.plans)
    lines.push(
      `  ${p.plan.padEnd(width)}  ${p.completed}/${p.runs} seeds (${percentText(p.completionRate)})`,
    );
  lines.push('', 'Metrics (p50 / p95 / max over seeds)');
  for (const metric of COMPARED_METRICS) {
    lines.push(`  ${metric.label}`);
    for (const p of comparison.plans) {
      const d = p.metrics[metric.key];
      const cells = [d.p50, d.p95, d.max].map((v) => quantityText(v, metric.unit).padStart(14));
      lines.push(`    ${p.plan.padEnd(width)}  ${cells.join('  ')}`);
    }
  }
  for (const p of comparison.plans) lines.push('', ...planLines(p));
  return `${lines.join('\n')}\n`;
}

function planLines(p: PlanComparison): string[] {
  const lines = [`${p.plan}: ${p.completed} of ${p.runs} seeds completed (${percentText(p.completionRate)})`];
  if (p.findingGroups.length === 0) lines.push('  Findings: none');
  else lines.push('  Findings by kind (seeds showing it)');
  for (const g of p.findingGroups) {
    const objects =
      g.objects.length === 0
        ? ''
        : `  ${g.objects.slice(0, OBJECTS_SHOWN).join(', ')}${g.objects.length > OBJECTS_SHOWN ? `, +${g.objects.length - OBJECTS_SHOWN} more` : ''}`;
    lines.push(`    [${g.severity}] ${g.rule}  ${g.seeds}/${p.runs} seeds, ${g.count} finding(s)${objects}`);
    lines.push(`        e.g. seed ${g.exampleSeeds[0]}: ${g.title}`);
    for (const [i, source] of g.source.split('\n').entries())
      lines.push(`        ${i === 0 ? 'source: ' : '        '}${source}`);
  }
  if (p.failedSeeds.length === 0) return lines;
  lines.push(`  Failing seeds (${p.failedSeeds.length}), each with the command that replays it`);
  for (const f of p.failedSeeds.slice(0, FAILED_SEEDS_SHOWN)) {
    lines.push(`    seed ${f.seed}: ${f.failedStep === null ? '' : `step ${f.failedStep}: `}${f.reason}`);
    lines.push(`      ${f.replay}`);
  }
  if (p.failedSeeds.length > FAILED_SEEDS_SHOWN)
    lines.push(`    +${p.failedSeeds.length - FAILED_SEEDS_SHOWN} more (--json lists every one)`);
  return lines;
}
