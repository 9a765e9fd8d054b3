// Builds the published package into dist/ with esbuild (a dev dependency; its binary comes in
// @esbuild/linux-x64 and friends, no install script needed): one ES module per public entry point,
// the project's sources bundled in, npm dependencies left as imports. Run by `npm run build` and by
// `prepare` (so `npm install` / `npm ci` in a checkout builds it, offline). docs/performance.md says
// why a bundle and not tsc emit.
//
// The CLI lands in dist/cli/ so that paths computed from its own location (src/cli/package-paths.ts:
// the package root is two folders up) hold for the bundle as for the sources; the worker-thread
// entries the CLI starts by file name sit beside it.
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { writeShippedInputs } from './shipped-inputs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  legalComments: 'none',
};

/** A worker-thread entry (piscina loads it by file name): its source as text, from the root. */
function workerEntry(contents, outfile) {
  return build({ ...common, stdin: { contents, resolveDir: root, loader: 'ts' }, outfile });
}

rmSync(resolve(root, 'dist'), { recursive: true, force: true });
const started = performance.now();
await Promise.all([
  build({
    ...common,
    // shipped-inputs: its own file, so that the step below can use it (evaluate imports it lazily).
    entryPoints: { 'cli/harvester-sim': 'src/cli/bin.ts', 'cli/shipped-inputs': 'src/cli/shipped-inputs.ts' },
    outdir: 'dist',
    // Commands load heavy modules (the adapter's Kubernetes and etcd clients, vega) with import():
    // split chunks keep those, and their packages, out of every other command's start-up. Every command
    // loads its work so (src/cli/commands/*.ts); test/cli/startup-imports.test.ts checks what `--help`,
    // `migrate` and `evaluate` load from this same graph.
    splitting: true,
    chunkNames: 'cli/chunks/[name]-[hash]',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: {
      index: 'src/index.ts',
      'sim/index': 'sim/index.ts',
      'testing/index': 'src/testing/index.ts',
    },
    outdir: 'dist',
  }),
  // As src/compare/worker-entry.mjs and src/sweep/pool-worker.js, without the tsx loader; the same
  // texts as the `source` of COMPARE_WORKER (src/compare/run-seeds.ts) and SWEEP_WORKER
  // (src/sweep/pool.ts), which src/simulate/worker-file.ts bundles when dist/ is older than the sources.
  workerEntry(
    "export { runSeedBatch as default } from './src/compare/worker.ts';",
    'dist/cli/worker-entry.mjs',
  ),
  workerEntry(
    "export { runPointBatch as default } from './src/sweep/point-run.ts';",
    'dist/cli/pool-worker.js',
  ),
]);
// The shipped scenarios and plans, validated once here for `evaluate` (src/build/shipped-inputs.mjs).
const library = await import(pathToFileURL(resolve(root, 'dist/index.js')).href);
const shipped = await import(pathToFileURL(resolve(root, 'dist/cli/shipped-inputs.js')).href);
writeShippedInputs(
  root,
  resolve(root, 'dist/cli/shipped'),
  library,
  shipped.SHIPPED_PATH_TOKEN,
  shipped.shippedEntryName,
);
process.stdout.write(`built dist/ in ${Math.round(performance.now() - started)} ms\n`);
