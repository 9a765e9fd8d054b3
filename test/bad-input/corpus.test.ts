import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/plan/format/load.ts';
import { DocumentError, MAX_PRINTED_ISSUES } from '../../src/scenario/document-error.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { MAX_DOCUMENT_BYTES } from '../../src/scenario/yaml-source.ts';
import { minimalScenarioYaml } from '../scenario/minimal-scenario.ts';
import { corpus } from './corpus.ts';

function errorLines(kind: 'scenario' | 'plan', text: string): string[] {
  try {
    if (kind === 'scenario') parseScenario(text, 'bad.yaml');
    else parsePlan(text, 'bad.yaml');
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    return error.message.split('\n');
  }
  throw new Error('expected a DocumentError');
}

describe('the bad-input corpus: each mutated document ends in its one-line error (issue 11)', () => {
  for (const entry of corpus) {
    it(entry.name, () => {
      expect(errorLines(entry.kind, entry.text)).toEqual(entry.lines);
    });
  }
});

describe('bounds checked at the edge, before the parser holds the document', () => {
  it(`refuses a document above ${MAX_DOCUMENT_BYTES / 2 ** 20} MiB before parsing it (a 50 MB file needed 4.3 GB)`, () => {
    // 5 MiB of 64-character comment lines (2^14 × 64 B = 1 MiB, five times): above the 4 MiB bound.
    const line = `${'#'.padEnd(63, ' padding')}\n`;
    const text = `${minimalScenarioYaml}${line.repeat(5 * 2 ** 14)}`;
    expect(text.length).toBe(minimalScenarioYaml.length + 5 * 2 ** 20);
    expect(errorLines('scenario', text)).toEqual([
      'bad.yaml: (document): expected a document of at most 4 MiB, found 5.0 MiB',
    ]);
  });

  it(`prints at most ${MAX_PRINTED_ISSUES} issues, then "and M more" (one duplicated list gave 7,036 lines)`, () => {
    // 100 VMs without cpu: 100 issues, 20 printed.
    const vms = Array.from(
      { length: 100 },
      (_, i) => `  - { namespace: default, name: vm${i}, memory: 1Gi }`,
    );
    const text = minimalScenarioYaml.replace(/^vms:\n(?: {2}.*\n| {4}.*\n)*/m, `vms:\n${vms.join('\n')}\n`);
    const lines = errorLines('scenario', text);
    expect(lines).toHaveLength(MAX_PRINTED_ISSUES + 1);
    expect(lines[0]).toMatch(/^bad\.yaml:\d+:\d+: vms\[0\]\.cpu: expected a CPU quantity/);
    expect(lines.at(-1)).toBe(`and ${100 - MAX_PRINTED_ISSUES} more`);
  });
});
