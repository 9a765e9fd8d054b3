/**
 * The sweep as an SVG scatter: one point per grid point, makespan against p99 downtime, coloured by
 * failures, the Pareto front ringed and the recommended point labelled. Vega-Lite compiled and
 * rendered in Node (no browser, no canvas).
 */
import type { TopLevelSpec } from 'vega-lite';
import { pointLabel } from './grid.ts';
import type { SweepResult } from './merge.ts';

export function chartSpec(result: SweepResult): TopLevelSpec {
  const values = result.points.map((p) => ({
    makespanSeconds: p.makespanSeconds,
    downtimeP99Ms: p.downtimeP99Ms,
    failures: p.failures,
    pareto: result.pareto.includes(p.index) ? 'Pareto front' : 'dominated',
    rank: result.ranking.indexOf(p.index) + 1,
    settings: pointLabel(p.settings),
    label: p.index === result.recommended ? `recommended: ${pointLabel(p.settings)}` : '',
  }));
  const axis = (field: string, title: string) =>
    ({ field, type: 'quantitative', title, scale: { zero: false } }) as const;
  const x = axis('makespanSeconds', 'evacuation makespan (s)');
  const y = axis('downtimeP99Ms', 'per-VM downtime p99 (ms)');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `harvester-sim sweep: ${result.points.length} points × ${result.spec.runs} run(s)`,
    width: 640,
    height: 400,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y,
          color: {
            field: 'failures',
            type: 'quantitative',
            title: 'failures per run',
            scale: { scheme: 'orangered' },
          },
          shape: { field: 'pareto', type: 'nominal', title: null },
          tooltip: [{ field: 'rank' }, { field: 'settings' }, { field: 'failures' }],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11 },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
}

export async function chartSvg(result: SweepResult): Promise<string> {
  // Loaded on first use: only --svg draws.
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(chartSpec(result)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
