import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plainInputs, type RunInputs } from '../../src/compare/run-inputs.ts';
import { DocumentError } from '../../src/scenario/document-error.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { resolveInputs } from '../../src/simulate/simulate.ts';

const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
const yamls = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `${folder}${f}`);

/**
 * compare's worker threads get the scenario and plan as a structured clone (node's HTML structured
 * clone: "the prototype is not preserved" for class instances, functions cannot be cloned), so what
 * the loaders return must come through the clone deep-strictly equal, or a worker would run something
 * else than the calling thread.
 */
describe('inputs sent to compare workers', () => {
  it('every shipped scenario with every plan it accepts is plain data', () => {
    let pairs = 0;
    for (const scenarioPath of yamls(scenarios)) {
      const scenario = loadScenario(scenarioPath);
      for (const planPath of yamls(`${scenarios}plans/`)) {
        let inputs: RunInputs;
        try {
          inputs = resolveInputs(scenario, planPath);
        } catch (error) {
          if (error instanceof DocumentError) continue; // a plan naming what this scenario lacks
          throw error;
        }
        expect(plainInputs(inputs, planPath)).toBe(inputs);
        pairs++;
      }
    }
    // 6 scenarios × 9 plans, less the pairs that name nodes or VMs a scenario lacks.
    expect(pairs).toBeGreaterThanOrEqual(20);
  });

  it('refuses inputs a clone would change or cannot make, naming the plan', () => {
    const inputs = resolveInputs(
      `${scenarios}seed-witness.yaml`,
      `${scenarios}plans/kb-shutdown-restart.yaml`,
    );
    class Tagged {
      readonly tag = 'x';
    }
    const withInstance = { ...inputs, scenario: { ...inputs.scenario, extra: new Tagged() } } as RunInputs;
    expect(() => plainInputs(withInstance, 'p.yaml')).toThrow(/p\.yaml are not plain data/);
    const withFunction = { ...inputs, plan: { ...inputs.plan, extra: () => 1 } } as RunInputs;
    expect(() => plainInputs(withFunction, 'p.yaml')).toThrow(/p\.yaml cannot be sent to a worker thread/);
  });
});
