/**
 * `--report out.html`: one self-contained page (inline CSS, inline SVG, a few lines of inline
 * script, a Content-Security-Policy that forbids any fetch) for `evaluate` and `compare`: the lane
 * timeline, findings grouped by kind with their sources, the metrics, and for a comparison the
 * plans' distributions side by side.
 */
import type { Comparison } from '../compare/compare.ts';
import { COMPARED_METRICS } from '../compare/metrics.ts';
import type { Evaluation } from '../evaluate/evaluate.ts';
import { groupFindings } from '../evaluate/finding-groups.ts';
import { distributionSpec, laneSpec, svgOf } from './charts.ts';
import { seedRangeText } from './comparison-terminal.ts';
import { durationText } from './duration-text.ts';
import { LANES, laneItems } from './lanes.ts';
import { percentText, quantityText } from './quantity-text.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
const h = escapeHtml;

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; } h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.critical { color: #b00020; font-weight: 600; } .warning { color: #9a6700; } .info { color: #555; }
.ok { color: #1a7f37; } .failed { color: #b00020; font-weight: 600; }
.source { color: #555; font-size: .9em; } code { font-size: .9em; background: #f4f4f4; padding: 0 .2em; }
.lane svg, .chart svg { max-width: 100%; height: auto; } .empty { color: #777; font-style: italic; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
#details { position: fixed; z-index: 10; max-width: 32rem; background: #fffbe6; border: 1px solid #d4b106; padding: .4rem .6rem; border-radius: 4px; box-shadow: 0 2px 6px rgba(0,0,0,.2); pointer-events: none; }
`;

/** Shows a mark's aria-label (the item's detail) beside the pointer. */
const SCRIPT = `
const details = document.getElementById('details');
document.addEventListener('mouseover', (event) => {
  const mark = event.target instanceof Element ? event.target.closest('.lane path[aria-label], .chart path[aria-label]') : null;
  if (mark === null) { details.hidden = true; return; }
  details.textContent = mark.getAttribute('aria-label');
  details.hidden = false;
});
document.addEventListener('mousemove', (event) => {
  details.style.left = Math.min(event.clientX + 14, window.innerWidth - details.offsetWidth - 8) + 'px';
  details.style.top = (event.clientY + 14) + 'px';
});
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<div id="details" role="status" hidden></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The timeline of one run as lanes, each its own chart on a shared time axis. */
async function timelineHtml(evaluation: Evaluation): Promise<string> {
  const end = evaluation.metrics.durationSeconds;
  const items = laneItems(evaluation.timeline, end);
  const parts: string[] = [];
  for (const lane of LANES) {
    const mine = items.filter((i) => i.lane === lane.id);
    const chart =
      mine.length === 0 ? `<p class="empty">none in this run</p>` : await svgOf(laneSpec(mine, end));
    parts.push(`<div class="lane" data-lane="${lane.id}"><h3>${h(lane.label)}</h3>${chart}</div>`);
  }
  return parts.join('\n');
}

function findingsHtml(evaluation: Evaluation): string {
  const groups = groupFindings(evaluation.findings);
  if (groups.length === 0) return '<p>No findings.</p>';
  const rows = groups.map(
    (
      g,
    ) => `<tr data-rule="${h(g.rule)}"><td class="${g.severity}">${g.severity}</td><td><code>${h(g.rule)}</code></td><td class="n">${g.count}</td>
<td>${h(durationText(g.firstSeconds))}${g.count > 1 ? ` … ${h(durationText(g.lastSeconds))}` : ''}</td>
<td>${h(g.title)}<br>${h(g.detail)}<div class="source">source: ${h(g.source)}</div></td><td>${h(g.objects.join(', '))}</td></tr>`,
  );
  return `<table class="findings"><thead><tr><th>severity</th><th>kind</th><th>count</th><th>when</th><th>first, and the source</th><th>objects</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function metricsHtml(evaluation: Evaluation): string {
  const rows = COMPARED_METRICS.map(
    (m) => `<tr><td>${h(m.label)}</td><td class="n">${h(quantityText(m.read(evaluation), m.unit))}</td></tr>`,
  );
  const extra = [
    ['leader elections', String(evaluation.metrics.leaderElections)],
    ['VMs lost with their node', String(evaluation.metrics.vmsLostWithNode)],
    ['unschedulable pods/VMIs', String(evaluation.metrics.unschedulablePods)],
  ].map(([k, v]) => `<tr><td>${h(k)}</td><td class="n">${h(v)}</td></tr>`);
  return `<table class="metrics"><tbody>${[...rows, ...extra].join('\n')}</tbody></table>`;
}

function runHeading(evaluation: Evaluation): string {
  return `${evaluation.plan} on ${evaluation.scenario}, seed ${evaluation.seed}: ${evaluation.ok ? 'completed' : 'STOPPED'}`;
}

/** The page of one run (`evaluate --report`). */
export async function evaluationHtml(evaluation: Evaluation): Promise<string> {
  const title = runHeading(evaluation);
  const body = `<h1 class="${evaluation.ok ? 'ok' : 'failed'}">${h(title)}</h1>
<p>Harvester ${h(evaluation.harvesterVersion)}. Times are plan time (from the plan's start); the axis is linear for the first minute and logarithmic after. Hover a bar for its details.</p>
<h2>Timeline</h2>
${await timelineHtml(evaluation)}
<h2>Findings</h2>
${findingsHtml(evaluation)}
<h2>Metrics</h2>
${metricsHtml(evaluation)}`;
  return page(title, body);
}

/** The page of a comparison (`compare --report`, `evaluate --runs N --report`), with one run's timeline per plan. */
export async function comparisonHtml(comparison: Comparison, runs: readonly Evaluation[]): Promise<string> {
  const plans = comparison.plans;
  const title = `${plans.map((p) => p.plan).join(' vs ')} on ${comparison.scenario}`;
  const head = `<tr><th></th>${plans.map((p) => `<th>${h(p.plan)}</th>`).join('')}</tr>`;
  const completed = `<tr><td>completed</td>${plans
    .map(
      (p) =>
        `<td class="n ${p.completionRate === 1 ? 'ok' : 'failed'}">${p.completed}/${p.runs} (${h(percentText(p.completionRate))})</td>`,
    )
    .join('')}</tr>`;
  const metricRows = COMPARED_METRICS.map(
    (m) =>
      `<tr><td>${h(m.label)}</td>${plans
        .map((p) => {
          const d = p.metrics[m.key];
          return `<td class="n">${[d.p50, d.p95, d.max].map((v) => h(quantityText(v, m.unit))).join(' / ')}</td>`;
        })
        .join('')}</tr>`,
  );
  const charts: string[] = [];
  for (const m of COMPARED_METRICS) {
    const values = plans.flatMap((p) =>
      p.seedValues.map((s) => ({
        plan: p.plan,
        value: s.metrics[m.key],
        detail: `${p.plan}, seed ${s.seed}${s.ok ? '' : ' (failed)'}: ${quantityText(s.metrics[m.key], m.unit)}`,
      })),
    );
    charts.push(
      `<div class="chart" data-metric="${m.key}">${await svgOf(distributionSpec(m.label, m.unit, values))}</div>`,
    );
  }
  const perPlan: string[] = [];
  for (const [i, p] of plans.entries()) {
    const groups = p.findingGroups.map(
      (
        g,
      ) => `<tr data-rule="${h(g.rule)}"><td class="${g.severity}">${g.severity}</td><td><code>${h(g.rule)}</code></td>
<td class="n">${g.seeds}/${p.runs}</td><td class="n">${g.count}</td><td>seed ${h(String(g.exampleSeeds[0]))}: ${h(g.title)}<div class="source">source: ${h(g.source)}</div></td><td>${h(g.objects.join(', '))}</td></tr>`,
    );
    const failed = p.failedSeeds.map(
      (f) =>
        `<li>seed ${h(String(f.seed))}${f.failedStep === null ? '' : `, step ${f.failedStep}`}: ${h(f.reason)}<br><code>${h(f.replay)}</code></li>`,
    );
    const run = runs[i];
    perPlan.push(`<section class="plan" data-plan="${h(p.plan)}">
<h2>${h(p.plan)}: ${p.completed} of ${p.runs} seeds completed</h2>
${groups.length === 0 ? '<p>No findings.</p>' : `<table class="findings"><thead><tr><th>severity</th><th>kind</th><th>seeds</th><th>findings</th><th>example, and the source</th><th>objects</th></tr></thead><tbody>${groups.join('\n')}</tbody></table>`}
${failed.length === 0 ? '' : `<h3>Failing seeds (${failed.length}), each with the command that replays it</h3><ul class="failed-seeds">${failed.join('\n')}</ul>`}
${run === undefined ? '' : `<h3>Timeline of ${h(runHeading(run))}</h3>\n${await timelineHtml(run)}`}
</section>`);
  }
  const body = `<h1>${h(title)}</h1>
<p>Over ${h(seedRangeText(comparison))}; each metric as p50 / p95 / max over the seeds (nearest rank). Hover a chart mark for its details.</p>
<h2>Plans side by side</h2>
<table class="summary"><thead>${head}</thead><tbody>${completed}\n${metricRows.join('\n')}</tbody></table>
<h2>Distributions over seeds</h2>
<div class="charts">${charts.join('\n')}</div>
${perPlan.join('\n')}`;
  return page(title, body);
}
