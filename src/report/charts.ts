/**
 * Charts as inline SVG, rendered in Node: a vega-lite spec compiled to vega and drawn by
 * `vega.View(...).toSVG()` with renderer 'none' (no canvas, no browser, no network). Marks carry
 * an `aria-label` (vega-lite's `description` channel) that the page shows on hover.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { MetricUnit } from '../compare/metrics.ts';
import type { LaneItem } from './lanes.ts';

export const CHART_WIDTH_PIXELS = 900;
const ROW_HEIGHT_PIXELS = 18;
/** Seconds around which the time axis turns from linear to logarithmic (a 12 h offline step beside 45 s steps). */
const SYMLOG_CONSTANT_SECONDS = 60;

/** Ticks of the time axis (plan time), the ones up to the run's end are used. */
const TIME_TICKS_SECONDS = [
  0,
  10,
  30,
  60,
  120,
  300,
  600,
  1200,
  1800,
  3600,
  2 * 3600,
  4 * 3600,
  8 * 3600,
  12 * 3600,
  24 * 3600,
  2 * 86400,
  4 * 86400,
  7 * 86400,
  14 * 86400,
  30 * 86400,
  60 * 86400,
  90 * 86400,
];

/** Axis labels of plan time: `45 s`, `12 min`, `12.5 h`. */
const TIME_LABEL =
  "datum.value >= 86400 ? format(datum.value / 86400, '.0f') + ' d' : datum.value >= 3600 ? format(datum.value / 3600, '.0f') + ' h' : datum.value >= 60 ? format(datum.value / 60, '.0f') + ' min' : format(datum.value, '.0f') + ' s'";

/** Colours by state, the same in every lane: green is well, red is wrong, grey is off. */
const STATE_COLOURS: Record<string, string> = {
  ok: '#2e9d4f',
  running: '#2e9d4f',
  Running: '#2e9d4f',
  held: '#2e9d4f',
  available: '#2e9d4f',
  bound: '#2e9d4f',
  completed: '#2e9d4f',
  failed: '#d62728',
  lost: '#d62728',
  unavailable: '#d62728',
  unbound: '#d62728',
  aborted: '#d62728',
  'vm-lost': '#d62728',
  paused: '#d62728',
  'lost with node': '#d62728',
  'wait timed out': '#d62728',
  off: '#9e9e9e',
  Stopped: '#9e9e9e',
  none: '#9e9e9e',
  cancelled: '#9e9e9e',
  'shutting-down': '#ff9f1c',
  Stopping: '#ff9f1c',
  'force-restarted': '#ff9f1c',
  'post-copy': '#ff9f1c',
  booting: '#6baed6',
  Starting: '#6baed6',
  Pending: '#c7b300',
  recorded: '#6a51a3',
  full: '#1f77b4',
  delta: '#6baed6',
  fast: '#9ecae1',
};
const OTHER_COLOURS = ['#1f77b4', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

function colourScale(states: readonly string[]): { domain: string[]; range: string[] } {
  const domain = [...new Set(states)];
  return { domain, range: domain.map((s, i) => STATE_COLOURS[s] ?? OTHER_COLOURS[i % OTHER_COLOURS.length]) };
}

/** Room for row names (VMs, volumes) so every lane's time axis lines up. */
const ROW_LABEL_PIXELS = 220;

/** Renders a vega-lite spec to SVG in Node. vega is loaded on first use: most commands draw nothing. */
export async function svgOf(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One lane of the timeline: a row per node / VM / volume, bars for intervals, diamonds for instants. */
export function laneSpec(items: readonly LaneItem[], endSeconds: number): TopLevelSpec {
  const values = items.map((i) => ({
    row: i.row,
    start: i.startSeconds,
    end: i.endSeconds,
    state: i.state,
    detail: i.detail,
    instant: i.endSeconds === i.startSeconds,
  }));
  const rows = [...new Set(items.map((i) => i.row))];
  const x = {
    field: 'start',
    type: 'quantitative',
    title: 'plan time',
    scale: {
      type: 'symlog',
      constant: SYMLOG_CONSTANT_SECONDS,
      domain: [0, Math.max(endSeconds, 1)],
      nice: false,
    },
    axis: { labelExpr: TIME_LABEL, grid: true, values: TIME_TICKS_SECONDS.filter((t) => t <= endSeconds) },
  } as const;
  const y = {
    field: 'row',
    type: 'nominal',
    sort: rows,
    title: null,
    axis: { labelLimit: ROW_LABEL_PIXELS, minExtent: ROW_LABEL_PIXELS, maxExtent: ROW_LABEL_PIXELS },
  } as const;
  return {
    width: CHART_WIDTH_PIXELS,
    height: Math.max(1, rows.length) * ROW_HEIGHT_PIXELS,
    data: { values },
    config: { legend: { orient: 'right' } },
    encoding: {
      y,
      color: { field: 'state', type: 'nominal', title: null, scale: colourScale(items.map((i) => i.state)) },
      description: { field: 'detail', type: 'nominal' },
    },
    layer: [
      {
        transform: [{ filter: '!datum.instant' }],
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: { x, x2: { field: 'end' } },
      },
      {
        transform: [{ filter: 'datum.instant' }],
        mark: { type: 'point', shape: 'diamond', filled: true, size: 90, stroke: 'black', strokeWidth: 0.5 },
        encoding: { x },
      },
    ],
  } as unknown as TopLevelSpec;
}

/** Values of a metric in a chart's unit: bytes in GiB, seconds in minutes. */
export function chartValue(value: number, unit: MetricUnit): number {
  if (unit === 'bytes') return value / 2 ** 30;
  if (unit === 'seconds') return value / 60;
  return value;
}

export function chartUnitTitle(unit: MetricUnit): string {
  return unit === 'bytes' ? 'GiB' : unit === 'seconds' ? 'minutes' : 'count';
}

/** One metric over seeds, plans side by side: a box from min to max around the median, each seed a tick. */
export function distributionSpec(
  title: string,
  unit: MetricUnit,
  values: readonly { plan: string; detail: string; value: number }[],
): TopLevelSpec {
  const y = { field: 'plan', type: 'nominal', title: null, sort: null } as const;
  const allZero = values.every((v) => v.value === 0);
  const x = {
    field: 'value',
    type: 'quantitative',
    title: `${title} (${chartUnitTitle(unit)})`,
    // Every seed at 0: a unit-wide axis rather than a degenerate one.
    scale: allZero ? { domain: [0, 1] } : { zero: true },
  } as const;
  return {
    width: CHART_WIDTH_PIXELS / 2 - 60,
    data: { values: values.map((v) => ({ ...v, value: chartValue(v.value, unit) })) },
    layer: [
      {
        mark: { type: 'boxplot', extent: 'min-max', opacity: 0.5 },
        encoding: { x, y, color: { field: 'plan', legend: null } },
      },
      {
        mark: { type: 'tick', opacity: 0.4, color: 'black', thickness: 1 },
        encoding: {
          x,
          y,
          description: { field: 'detail', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}
