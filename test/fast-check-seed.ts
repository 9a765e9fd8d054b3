/**
 * Every fast-check property of the tests runs through `assertProperty`, so that a failing seed prints
 * the command that replays it. The seed is `FC_SEED` when set, else the seed the property pins in its
 * parameters, else a random one drawn here (so that it can be printed). On failure the error names
 * the seed, fast-check's path to the shrunk counterexample and the command:
 * `FC_SEED=<seed> npx vitest run <file> -t '<test>'`.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import { seedFromEnvironment } from '../src/testing/seed.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** vitest's `-t` is a regular expression over "describe … test" joined by spaces. */
function testNamePattern(names: string): string {
  return names
    .split(' > ')
    .join(' ')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The command that reruns the current test with `seed`. */
export function replayCommand(seed: number): string {
  const state = expect.getState();
  const file = state.testPath === undefined ? '' : ` ${relative(REPOSITORY_ROOT, state.testPath)}`;
  const name =
    state.currentTestName === undefined ? '' : ` -t ${shellQuoted(testNamePattern(state.currentTestName))}`;
  return `FC_SEED=${seed} npx vitest run${file}${name}`;
}

/** `fc.assert` with the seed chosen as above and the replay command in the failure. */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, parameters: fc.Parameters<Ts> = {}): void {
  const seed = seedFromEnvironment() ?? parameters.seed ?? randomSeed();
  const details = fc.check(property, { ...parameters, seed });
  if (!details.failed) return;
  const path = details.counterexamplePath === null ? '' : `, path "${details.counterexamplePath}"`;
  throw new Error(
    `property failed with seed ${seed}${path}; replay with:\n  ${replayCommand(seed)}\n\n` +
      fc.defaultReportMessage(details),
    { cause: details.errorInstance ?? undefined },
  );
}
