import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkPlanAgainstScenario } from '../../src/plan/format/check-against-scenario.ts';
import { parsePlan, planFromData } from '../../src/plan/format/load.ts';
import { DocumentError } from '../../src/scenario/document-error.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { assertProperty } from '../fast-check-seed.ts';
import { minimalPlanYaml } from './minimal-plan.ts';

/** The repository root: paths below resolve from this file, not the working directory. */
const REPO = fileURLToPath(new URL('../../', import.meta.url));

function onlyDocumentErrors(load: () => unknown): void {
  try {
    load();
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    // One line per issue; past MAX_PRINTED_ISSUES the rest are counted on a last line ("and 3 more").
    for (const line of error.message.split('\n'))
      expect(line).toMatch(/: expected .+, found |^and \d+ more$/);
  }
}

const stepTypes = [
  'support-bundle',
  'rancher.disconnect',
  'rancher.reconnect',
  'vm.stop',
  'vm.start',
  'vm.migrate',
  'addon.disable',
  'addon.enable',
  'wait-for',
  'etcd.move-leader',
  'node.shutdown',
  'node.power-on',
  'node.maintenance',
  'offline',
  'sleep',
  'vm.reboot',
];
const fieldNames = [
  'vms',
  'node',
  'nodes',
  'group',
  'to',
  'mode',
  'order',
  'duration',
  'timeout',
  'condition',
  'addons',
  'waitFor',
  'preconditions',
  'target',
  'action',
];
const fieldValues = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    'all',
    '@etcd-leader',
    '@witness',
    'off-witness',
    'harv41',
    '10m',
    '12XB',
    'graceful',
    'no-vmis',
    'worker',
  ),
  fc.array(fc.constantFrom('@etcd-follower', 'harv42', 'with-pvcs', 'x'), { maxLength: 3 }),
);
/** Steps that look nearly right: a known (or unknown) type with a few plausible fields. */
const roughStep = fc
  .record({
    step: fc.constantFrom(...stepTypes),
    fields: fc.dictionary(fc.constantFrom(...fieldNames), fieldValues, { maxKeys: 4 }),
  })
  .map(({ step, fields }) => ({ step, ...fields }));

const seed = loadScenario(`${REPO}scenarios/seed-witness.yaml`);

describe('the plan loader never fails with anything but DocumentError', () => {
  it('on arbitrary text', () => {
    assertProperty(
      fc.property(fc.string({ maxLength: 300 }), (text) =>
        onlyDocumentErrors(() => parsePlan(text, 'fuzz.yaml')),
      ),
      { numRuns: 300 },
    );
  });

  it('on arbitrary values', () => {
    assertProperty(
      fc.property(fc.anything({ maxDepth: 3 }), (value) =>
        onlyDocumentErrors(() => planFromData(value, 'fuzz')),
      ),
      { numRuns: 300 },
    );
  });

  it('on plans of rough steps, and the scenario check too', () => {
    assertProperty(
      fc.property(fc.array(roughStep, { minLength: 1, maxLength: 6 }), (steps) => {
        const text = stringify({ name: 'fuzz', steps });
        onlyDocumentErrors(() => checkPlanAgainstScenario(parsePlan(text, 'fuzz.yaml'), seed));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips the minimal plan through YAML', () => {
    expect(planFromData(parse(minimalPlanYaml), 'data').steps).toHaveLength(5);
  });
});
