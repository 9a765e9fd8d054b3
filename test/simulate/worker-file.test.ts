import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunInputs } from '../../src/compare/run-inputs.ts';
import { COMPARE_WORKER, seedBatches } from '../../src/compare/run-seeds.ts';
import { newerThanSources, workerFile } from '../../src/simulate/worker-file.ts';

/**
 * Worker threads load bundled JavaScript (src/simulate/worker-file.ts): dist/'s bundle only while it
 * is newer than every source file, since an older one would run code that is no longer the sources.
 */
describe('the worker file', () => {
  const root = mkdtempSync(join(tmpdir(), 'worker-file-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (path: string, seconds: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), seconds, seconds);
  };

  it('uses dist/ only while no file under src/ or sim/ is newer than it', () => {
    file('src/compare/worker.ts', 1_000);
    file('sim/flow/network.ts', 1_000);
    file('dist/cli/worker-entry.mjs', 2_000);
    expect(newerThanSources(join(root, 'dist/cli/worker-entry.mjs'), root)).toBe(true);
    file('sim/flow/network.ts', 3_000); // edited after the build
    expect(newerThanSources(join(root, 'dist/cli/worker-entry.mjs'), root)).toBe(false);
  });

  it('is a file URL that piscina can load, resolved once per process', async () => {
    const first = workerFile(COMPARE_WORKER);
    expect(workerFile(COMPARE_WORKER)).toBe(first);
    expect(await first).toMatch(/^file:\/\//);
  }, 60_000);
});

describe('seed batches', () => {
  // Two plans' inputs (compare loads each once); batches group by the inputs object.
  const a = { scenario: {}, plan: {} } as unknown as RunInputs;
  const b = { scenario: {}, plan: {} } as unknown as RunInputs;
  const task = (inputs: RunInputs, planPath: string, seed: number) => ({ inputs, planPath, seed });

  it('holds seeds of one plan, at most `size`, each answering the task indices it lists', () => {
    // Seed-major order as compare builds it: plan a and b alternate.
    const tasks = [1, 2, 3].flatMap((seed) => [task(a, 'a.yaml', seed), task(b, 'b.yaml', seed)]);
    expect(seedBatches(tasks, 2)).toEqual([
      { batch: { inputs: a, planPath: 'a.yaml', seeds: [1, 2] }, indices: [0, 2] },
      { batch: { inputs: b, planPath: 'b.yaml', seeds: [1, 2] }, indices: [1, 3] },
      { batch: { inputs: a, planPath: 'a.yaml', seeds: [3] }, indices: [4] },
      { batch: { inputs: b, planPath: 'b.yaml', seeds: [3] }, indices: [5] },
    ]);
    expect(seedBatches(tasks, 2)[0].batch.inputs).toBe(a);
    expect(seedBatches(tasks, 2)[1].batch.inputs).toBe(b);
  });
});
