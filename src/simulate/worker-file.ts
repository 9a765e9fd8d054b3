/**
 * The file a worker thread of a comparison or a sweep loads (piscina takes a file name). Bundled
 * JavaScript whenever it can be had, because a thread that runs the TypeScript sources through tsx
 * compiles about 300 modules before its first run (about 0.8 CPU s per thread, docs/performance.md):
 * 1. the published package's bundle, dist/cli/<entry> (src/build/bundle.mjs), when this code runs from
 *    dist/, or from the sources while that bundle is newer than every file under src/ and sim/;
 * 2. from the sources otherwise: the entry bundled now with esbuild (a dev dependency, present
 *    wherever the sources run) into a temporary folder removed when the process exits, with the
 *    packages it imports resolved to absolute paths so that it runs from there;
 * 3. without esbuild: the TypeScript entry beside the caller, which registers tsx in its thread.
 * Each entry is resolved once per process.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  /** The bundle's file name in dist/cli/ (src/build/bundle.mjs writes it). */
  readonly bundled: string;
  /** What the bundle is built from: module text, imports relative to the package root. */
  readonly source: string;
  /** The tsx entry to fall back on (a file URL). */
  readonly tsxEntry: string;
}

/**
 * Tasks per message for a pool: at most 8 (one message and one clone per batch stays cheap) and at
 * least 6 batches per thread, so that the threads finish close together.
 */
export function batchSize(tasks: number, threads: number): number {
  return Math.max(1, Math.min(8, Math.floor(tasks / (threads * 6))));
}

/**
 * V8 limits for the sweep's worker threads (piscina's `resourceLimits`, passed to `new Worker`;
 * compare's use COMPARE_RESOURCE_LIMITS, src/compare/run-seeds.ts, measured better there): a young
 * generation of 192 MB (64 MB semi-spaces where V8's default is 16 MB). A run allocates many
 * short-lived objects (events, conditions, states of the pure machines) while it holds a world of
 * long-lived ones; with a larger nursery fewer scavenges run and fewer objects are promoted only to
 * die in the old generation (sweep points: 15–25 % less CPU in in-thread trials, docs/performance.md).
 * It changes when memory is collected, never what a run computes.
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 192 } as const;

const resolved = new Map<string, Promise<string>>();

/** A file URL for piscina's `filename`. */
export function workerFile(entry: WorkerEntry): Promise<string> {
  let found = resolved.get(entry.bundled);
  if (found === undefined) {
    found = findWorkerFile(entry);
    resolved.set(entry.bundled, found);
  }
  return found;
}

const here = fileURLToPath(import.meta.url);

/** The package root: the nearest folder above this module with a package.json. */
function packageRoot(): string {
  let dir = dirname(here);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${here}`);
    dir = parent;
  }
  return dir;
}

async function findWorkerFile(entry: WorkerEntry): Promise<string> {
  const root = packageRoot();
  const bundle = join(root, 'dist/cli', entry.bundled);
  const fromSources = here.endsWith('.ts');
  if (existsSync(bundle) && (!fromSources || newerThanSources(bundle, root)))
    return pathToFileURL(bundle).href;
  if (!fromSources) throw new Error(`the package's worker bundle is missing: ${bundle}`);
  try {
    return pathToFileURL(await bundleNow(entry, root)).href;
  } catch {
    return entry.tsxEntry;
  }
}

/** Whether `file` is newer than every file under src/ and sim/ of `root` (the bundle was built after them). */
export function newerThanSources(file: string, root: string): boolean {
  const builtMs = statSync(file).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((d) => {
      const path = join(dir, d.name);
      return d.isDirectory() ? newer(path) : statSync(path).mtimeMs > builtMs;
    });
  return !newer(join(root, 'src')) && !newer(join(root, 'sim'));
}

let tempDir: string | null = null;

async function bundleNow(entry: WorkerEntry, root: string): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    stdin: { contents: entry.source, resolveDir: root, loader: 'ts' },
    plugins: [
      {
        // A package import becomes the absolute URL Node resolves it to from here, so that the
        // bundle runs from a temporary folder with no node_modules beside it.
        name: 'packages-by-absolute-url',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:')) return { path: args.path, external: true };
            return { path: import.meta.resolve(args.path), external: true };
          });
        },
      },
    ],
  });
  if (tempDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'harvester-sim-workers-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    tempDir = dir;
  }
  const file = resolve(tempDir, entry.bundled);
  writeFileSync(file, result.outputFiles[0].contents);
  return file;
}
