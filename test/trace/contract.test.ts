import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../sim/index.ts';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { planScenarioIssues } from '../../src/plan/format/check-against-scenario.ts';
import { loadPlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { isKnownRecord, TRACE_KINDS } from '../../src/trace/catalogue.ts';
import { parseTrace } from '../../src/trace/read.ts';

// The trace is the contract (STYLE.md "The shape of the whole"): every record a run writes is of a
// kind in src/trace/record.ts, and a trace read back from its JSON lines evaluates to the same report.
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));
const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
const yamls = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
const pairs = yamls(scenarios).flatMap((s) => {
  const scenario = loadScenario(`${scenarios}${s}`);
  return yamls(`${scenarios}plans`)
    .map((p) => ({ scenario, plan: loadPlan(`${scenarios}plans/${p}`) }))
    .filter(({ scenario, plan }) => planScenarioIssues(plan, scenario).length === 0);
});

describe('the trace contract on every shipped scenario × plan', () => {
  it('covers every shipped plan on at least one scenario', () => {
    expect(new Set(pairs.map((p) => p.plan.name)).size).toBe(yamls(`${scenarios}plans`).length);
  });

  for (const { scenario, plan } of pairs) {
    it(`${scenario.name} / ${plan.name}: every record is in the union; the JSON-lines trace evaluates the same`, () => {
      const run = runPlan(scenario, plan, { seed: 1234567 });
      const unknown = run.records.filter((r) => !isKnownRecord(r.subsystem, r.kind));
      expect(unknown.map((r) => `${r.subsystem}/${r.kind}`)).toEqual([]);
      expect(run.records[0]).toMatchObject({ subsystem: 'run', kind: 'run.start' });
      expect(run.records.at(-1)).toMatchObject({ subsystem: 'run', kind: 'run.end' });
      const jsonLines = run.records.map((r) => canonicalJson(r)).join('\n');
      const fromFile = evaluate(parseTrace(jsonLines, 'trace.jsonl'));
      // Equal as JSON values (the file's records have sorted keys; key order is not part of a value).
      expect(asJson(fromFile)).toEqual(asJson(evaluate(run.records)));
    });
  }
});

describe('the catalogue', () => {
  it('knows run.start and rejects what the contract does not name', () => {
    expect(isKnownRecord('run', 'run.start')).toBe(true);
    expect(isKnownRecord('network', 'link.up')).toBe(false);
    expect(isKnownRecord('etcd', 'toString')).toBe(false);
    expect(Object.keys(TRACE_KINDS)).toContain('kubevirt.migration');
  });
});
