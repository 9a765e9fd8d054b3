// Issue 10, deliverable 2: "commands load only what they use". The published CLI is bundled by
// src/build/bundle.mjs with split chunks; this builds the same graph with esbuild's metafile (nothing
// written) and checks what each start-up evaluates before its first `await import()`.
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let metafile: Metafile;

beforeAll(async () => {
  ({ metafile } = await build({
    absWorkingDir: root,
    entryPoints: { 'cli/harvester-sim': 'src/cli/bin.ts', 'cli/shipped-inputs': 'src/cli/shipped-inputs.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    splitting: true,
    chunkNames: 'cli/chunks/[name]-[hash]',
    metafile: true,
    write: false,
    logLevel: 'silent',
  }));
}, 60_000);

/** Sources and packages an output loads by static imports (itself and its chunks, transitively). */
function staticClosure(output: string): { sources: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [output];
  while (stack.length > 0) {
    const path = stack.pop() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const i of metafile.outputs[path].imports) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) packages.add(i.path);
      else stack.push(i.path);
    }
  }
  const sources = [...seen].flatMap((path) => Object.keys(metafile.outputs[path].inputs));
  return { sources, packages: [...packages].filter((p) => !p.startsWith('node:')) };
}

/** The output a module is the entry of: the executable, or the chunk an `import()` of it loads. */
function outputOf(entryPoint: string): string {
  const found = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint === entryPoint);
  if (found === undefined) throw new Error(`no output has entry point ${entryPoint}`);
  return found[0];
}

describe('CLI start-up: what each command loads', () => {
  it('`--help` (every command registered) loads commander and no simulation, YAML, schema or adapter', () => {
    const { sources, packages } = staticClosure(outputOf('src/cli/bin.ts'));
    expect(packages.sort()).toEqual(
      [
        'commander',
        'pure-rand/distribution/uniformFloat64',
        'pure-rand/distribution/uniformInt',
        'pure-rand/generator/xoroshiro128plus',
      ].sort(),
    );
    for (const heavy of [
      'src/simulate/',
      'src/world/',
      'src/scenario/load.ts',
      'src/plan/',
      'src/adapter/',
      'sim/kernel',
    ])
      expect(sources.filter((s) => s.startsWith(heavy))).toEqual([]);
  });

  it('`migrate` loads the one-migration model and neither yaml nor zod nor the cluster', () => {
    const { sources, packages } = staticClosure(outputOf('src/kubevirt/migration/single-migration-world.ts'));
    expect(packages).not.toContain('yaml');
    expect(packages).not.toContain('zod');
    expect(sources).toContain('src/kubevirt/migration/single-migration-world.ts');
    expect(sources.filter((s) => s.startsWith('src/world/') || s.startsWith('src/simulate/'))).toEqual([]);
  });

  it('`evaluate` of shipped files (validated at build time) runs the plan without yaml or zod', () => {
    for (const entry of [
      'src/cli/shipped-inputs.ts',
      'src/plan/format/check-against-scenario.ts',
      'src/plan/runner/runner.ts',
      'src/evaluate/evaluate.ts',
      'src/report/terminal.ts',
    ]) {
      const { packages } = staticClosure(outputOf(entry));
      expect(packages).not.toContain('yaml');
      expect(packages).not.toContain('zod');
    }
  });

  it('`evaluate` loads the simulation, yaml and zod, and not piscina, vega or the Kubernetes client', () => {
    const { packages } = staticClosure(outputOf('src/simulate/simulate.ts'));
    expect(packages).toEqual(expect.arrayContaining(['yaml', 'zod']));
    for (const lazy of ['piscina', 'vega', 'vega-lite', '@kubernetes/client-node', 'etcd3', 'cli-progress'])
      expect(packages).not.toContain(lazy);
  });
});
