/**
 * Cases the seeded swarm found, shrunk, kept as the YAML it printed (test/swarm/regressions/, each
 * file naming its swarm seed and the violation), run again with every swarm invariant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SwarmCase } from './cases.ts';
import { swarmViolations } from './swarm-run.ts';

function swarmCaseFrom(name: string): SwarmCase {
  const read = (kind: string) =>
    parse(readFileSync(new URL(`./regressions/${name}.${kind}.yaml`, import.meta.url), 'utf8'));
  return { scenario: read('scenario'), plan: read('plan') };
}

describe('swarm regressions', () => {
  it.each([
    [
      'seed-2',
      1,
      'a faulted volume takes no writes (three maintenance drains fail the last healthy replica)',
    ],
    ['seed-3', 1, 'a faulted volume takes no writes (maintenance, then two power losses)'],
  ])('%s (simulation seed %i): %s', (name, simulationSeed) => {
    expect(swarmViolations(swarmCaseFrom(name), simulationSeed)).toEqual([]);
  });

  it.each([
    ['seed-4', 1],
    ['seed-11', 555514549],
  ])(
    '%s (simulation seed %i): a maintenance that never completes ends at its step timeout, within the run limits',
    {
      timeout: 120_000,
    },
    (name, simulationSeed) => {
      expect(swarmViolations(swarmCaseFrom(name), simulationSeed)).toEqual([]);
    },
  );
});
