/** `--markdown`: the report as GitHub-flavoured Markdown, to paste into a ticket. */
import type { Comparison } from '../compare/compare.ts';
import { COMPARED_METRICS } from '../compare/metrics.ts';
import type { Evaluation } from '../evaluate/evaluate.ts';
import { type FindingGroup, groupFindings } from '../evaluate/finding-groups.ts';
import { seedRangeText } from './comparison-terminal.ts';
import { durationText } from './duration-text.ts';
import { percentText, quantityText } from './quantity-text.ts';

const FAILED_SEEDS_SHOWN = 10;
const OBJECTS_SHOWN = 8;

/** Text for a table cell: no pipes or line breaks. */
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string) => `\`${text.replaceAll('`', "'")}\``;
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;

function objectsText(objects: readonly string[]): string {
  const shown = objects.slice(0, OBJECTS_SHOWN).join(', ');
  return objects.length > OBJECTS_SHOWN ? `${shown}, +${objects.length - OBJECTS_SHOWN} more` : shown;
}

function sourcesList(groups: readonly { rule: string; source: string }[]): string[] {
  return groups.length === 0
    ? []
    : [
        '',
        '<details><summary>Sources</summary>',
        '',
        ...groups.map((g) => `- ${code(g.rule)}: ${cell(g.source)}`),
        '',
        '</details>',
      ];
}

export function evaluationMarkdown(evaluation: Evaluation): string {
  const m = evaluation.metrics;
  const groups: FindingGroup[] = groupFindings(evaluation.findings);
  const lines = [
    `## ${evaluation.plan} on ${evaluation.scenario}: ${evaluation.ok ? 'completed' : 'STOPPED'}`,
    '',
    `Harvester ${evaluation.harvesterVersion}, seed ${code(String(evaluation.seed))}.`,
    '',
    row(['metric', 'value']),
    row(['---', '---:']),
  ];
  const values = [
    ['duration', durationText(m.durationSeconds)],
    ['API unavailable', durationText(m.apiUnavailableSeconds)],
    ['etcd quorum lost', `${m.quorumLostIntervals.length} interval(s)`],
    ['leader elections', String(m.leaderElections)],
    ['VMs lost with their node', String(m.vmsLostWithNode)],
    ['VMs force-restarted', String(m.vmsForceRestarted)],
    ['bytes rebuilt', quantityText(m.storage.bytesRebuilt, 'bytes')],
    ['data at risk', quantityText(m.storage.dataAtRiskBytes, 'bytes')],
    ['migrations aborted', String(m.migration.aborted)],
  ];
  for (const v of values) lines.push(row(v));
  lines.push(
    '',
    groups.length === 0
      ? '**Findings:** none'
      : `### Findings (${evaluation.findings.length} in ${groups.length} kinds)`,
  );
  if (groups.length > 0) {
    lines.push(
      '',
      row(['severity', 'kind', 'count', 'first', 'objects']),
      row(['---', '---', '---:', '---', '---']),
    );
    for (const g of groups)
      lines.push(
        row([
          g.severity,
          code(g.rule),
          String(g.count),
          `${durationText(g.firstSeconds)} ${g.title}`,
          objectsText(g.objects),
        ]),
      );
  }
  lines.push(...sourcesList(groups));
  return `${lines.join('\n')}\n`;
}

export function comparisonMarkdown(comparison: Comparison): string {
  const plans = comparison.plans;
  const lines = [
    `## ${plans.map((p) => p.plan).join(' vs ')} on ${comparison.scenario}`,
    '',
    `Over ${seedRangeText(comparison)}; each metric as p50 / p95 / max over the seeds.`,
    '',
    row(['', ...plans.map((p) => p.plan)]),
    row(['---', ...plans.map(() => '---:')]),
    row(['completed', ...plans.map((p) => `${p.completed}/${p.runs} (${percentText(p.completionRate)})`)]),
  ];
  for (const metric of COMPARED_METRICS)
    lines.push(
      row([
        metric.label,
        ...plans.map((p) => {
          const d = p.metrics[metric.key];
          return [d.p50, d.p95, d.max].map((v) => quantityText(v, metric.unit)).join(' / ');
        }),
      ]),
    );
  for (const p of plans) {
    lines.push('', `### ${p.plan}: ${p.completed} of ${p.runs} seeds completed`);
    if (p.findingGroups.length > 0) {
      lines.push(
        '',
        row(['severity', 'kind', 'seeds', 'findings', 'example', 'objects']),
        row(['---', '---', '---:', '---:', '---', '---']),
      );
      for (const g of p.findingGroups)
        lines.push(
          row([
            g.severity,
            code(g.rule),
            `${g.seeds}/${p.runs}`,
            String(g.count),
            `seed ${g.exampleSeeds[0]}: ${g.title}`,
            objectsText(g.objects),
          ]),
        );
    }
    if (p.failedSeeds.length > 0) {
      lines.push('', `Failing seeds (${p.failedSeeds.length}):`, '');
      for (const f of p.failedSeeds.slice(0, FAILED_SEEDS_SHOWN))
        lines.push(
          `- seed ${f.seed}${f.failedStep === null ? '' : `, step ${f.failedStep}`}: ${f.reason} — ${code(f.replay)}`,
        );
      if (p.failedSeeds.length > FAILED_SEEDS_SHOWN)
        lines.push(`- +${p.failedSeeds.length - FAILED_SEEDS_SHOWN} more (\`--json\` lists every one)`);
    }
    lines.push(...sourcesList(p.findingGroups));
  }
  return `${lines.join('\n')}\n`;
}
