/**
 * Predicted vs observed: two traces of the same record types, side by side per plan step (the
 * duration from `step.start` to `step.end`, the last attempt of a resumed step) and in total.
 */
import { select, type Trace } from '../trace/record.ts';

export interface StepComparison {
  readonly index: number;
  readonly id: string;
  readonly predictedSeconds: number | null;
  readonly observedSeconds: number | null;
  readonly predictedOk: boolean | null;
  readonly observedOk: boolean | null;
}

export interface Comparison {
  readonly steps: readonly StepComparison[];
  readonly predictedTotalSeconds: number | null;
  readonly observedTotalSeconds: number | null;
}

function stepTimes(trace: Trace): Map<number, { id: string; seconds: number; ok: boolean }> {
  const starts = new Map<number, number>();
  for (const r of select(trace, 'plan', 'step.start')) starts.set(r.data.index, r.timeSeconds);
  const out = new Map<number, { id: string; seconds: number; ok: boolean }>();
  for (const r of select(trace, 'plan', 'step.end')) {
    const start = starts.get(r.data.index);
    if (start !== undefined)
      out.set(r.data.index, { id: r.data.id, seconds: r.timeSeconds - start, ok: r.data.ok });
  }
  return out;
}

function total(trace: Trace): number | null {
  const start = select(trace, 'plan', 'plan.start')[0] ?? select(trace, 'run', 'run.start')[0];
  const end = select(trace, 'plan', 'plan.end').at(-1);
  return start === undefined || end === undefined ? null : end.timeSeconds - start.timeSeconds;
}

export function compareTraces(predicted: Trace, observed: Trace): Comparison {
  const p = stepTimes(predicted);
  const o = stepTimes(observed);
  const indices = [...new Set([...p.keys(), ...o.keys()])].sort((a, b) => a - b);
  return {
    steps: indices.map((index) => ({
      index,
      id: p.get(index)?.id ?? o.get(index)?.id ?? String(index),
      predictedSeconds: p.get(index)?.seconds ?? null,
      observedSeconds: o.get(index)?.seconds ?? null,
      predictedOk: p.get(index)?.ok ?? null,
      observedOk: o.get(index)?.ok ?? null,
    })),
    predictedTotalSeconds: total(predicted),
    observedTotalSeconds: total(observed),
  };
}

const seconds = (s: number | null) =>
  s === null ? '—' : s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`;
const mark = (ok: boolean | null) => (ok === null ? '' : ok ? '' : ' FAILED');

export function comparisonText(c: Comparison): string {
  const rows = c.steps.map((s) => [
    `${s.index + 1}. ${s.id}`,
    `${seconds(s.predictedSeconds)}${mark(s.predictedOk)}`,
    `${seconds(s.observedSeconds)}${mark(s.observedOk)}`,
  ]);
  rows.push(['total', seconds(c.predictedTotalSeconds), seconds(c.observedTotalSeconds)]);
  const header = ['step', 'predicted', 'observed'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
