/**
 * Reads test/calibration/etcd/results.csv (long format: scenario, variant, trial, metric, value,
 * unit, note), resolved from this file's location so the tests run from any working directory.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../calibration/etcd/results.csv',
);

export interface ResultRow {
  scenario: string;
  variant: string;
  trial: number;
  metric: string;
  value: string;
  unit: string;
  note: string;
}

/** RFC 4180 fields: commas inside double quotes, "" for a quote. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

export function readResults(path = RESULTS_PATH): ResultRow[] {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0]);
  const expected = ['scenario', 'variant', 'trial', 'metric', 'value', 'unit', 'note'];
  if (header.join(',') !== expected.join(',')) {
    throw new Error(`${path}: line 1: expected header ${expected.join(',')}, found ${header.join(',')}`);
  }
  return lines.slice(1).map((line, i) => {
    const f = splitCsvLine(line);
    if (f.length !== 7) throw new Error(`${path}: line ${i + 2}: expected 7 fields, found ${f.length}`);
    return {
      scenario: f[0],
      variant: f[1],
      trial: Number(f[2]),
      metric: f[3],
      value: f[4],
      unit: f[5],
      note: f[6],
    };
  });
}

/** Numeric values of one metric, for the variants given (all when none); empty cells skipped. */
export function measured(
  rows: readonly ResultRow[],
  scenario: string,
  metric: string,
  variants: readonly string[] = [],
): number[] {
  return texts(rows, scenario, metric, variants)
    .filter((v) => v !== '')
    .map(Number);
}

export function texts(
  rows: readonly ResultRow[],
  scenario: string,
  metric: string,
  variants: readonly string[] = [],
): string[] {
  return rows
    .filter(
      (r) =>
        r.scenario === scenario &&
        r.metric === metric &&
        (variants.length === 0 || variants.includes(r.variant)),
    )
    .map((r) => r.value);
}
