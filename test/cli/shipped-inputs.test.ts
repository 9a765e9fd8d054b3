// Issue 10 (`evaluate` starts faster): the built CLI takes the shipped scenarios and plans as the
// build loaded them (src/build/shipped-inputs.mjs, src/cli/shipped-inputs.ts). The rule: an entry
// stands for the exact bytes of a file and gives what the loader gives for that file at any path;
// any other bytes, kind or a run from the sources falls back to the loader (and its errors).
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build, without types
import { writeShippedInputs } from '../../src/build/shipped-inputs.mjs';
import {
  SHIPPED_PATH_TOKEN,
  shippedDirectory,
  shippedEntryName,
  shippedInput,
} from '../../src/cli/shipped-inputs.ts';
import { loadPlan, parsePlan } from '../../src/plan/format/load.ts';
import { loadScenario, parseScenario } from '../../src/scenario/load.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scenarios = join(root, 'scenarios');
let directory: string;
let written: string[];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'shipped-'));
  written = writeShippedInputs(
    root,
    directory,
    { parseScenario, parsePlan },
    SHIPPED_PATH_TOKEN,
    shippedEntryName,
  );
});

const yamlIn = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.yaml'));

describe('shipped inputs validated at build time', () => {
  it('every shipped scenario and plan gets an entry equal to what its loader returns', () => {
    expect(written.length).toBe(yamlIn(scenarios).length + yamlIn(join(scenarios, 'plans')).length);
    for (const file of yamlIn(scenarios)) {
      const path = join(scenarios, file);
      expect(shippedInput(path, 'scenario', directory)).toStrictEqual(loadScenario(path));
    }
    for (const file of yamlIn(join(scenarios, 'plans'))) {
      const path = join(scenarios, 'plans', file);
      expect(shippedInput(path, 'plan', directory)).toStrictEqual(loadPlan(path));
    }
  });

  it('the same bytes at another path give the loader result for that path (its name in it)', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'shipped-copy-')), 'my "cluster".yaml');
    copyFileSync(join(scenarios, 'seed-witness.yaml'), copy);
    const scenario = shippedInput(copy, 'scenario', directory);
    expect(scenario).toStrictEqual(loadScenario(copy));
    expect(JSON.stringify(scenario)).toContain(JSON.stringify(copy).slice(1, -1));
  });

  it('one byte changed, the other kind, a missing file or a run from the sources: the loader runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipped-edit-'));
    const edited = join(dir, 'seed-witness.yaml');
    writeFileSync(edited, `${readFileSync(join(scenarios, 'seed-witness.yaml'), 'utf8')}\n`);
    expect(shippedInput(edited, 'scenario', directory)).toBeNull();
    expect(shippedInput(join(scenarios, 'seed-witness.yaml'), 'plan', directory)).toBeNull();
    expect(shippedInput(join(dir, 'absent.yaml'), 'scenario', directory)).toBeNull();
    expect(shippedInput(join(scenarios, 'seed-witness.yaml'), 'scenario', null)).toBeNull();
    // vitest runs the TypeScript sources: their entries could be older than the code
    expect(shippedDirectory(root)).toBeNull();
  });
});
