/**
 * The scenarios and plans shipped in scenarios/, loaded and validated when the package is built
 * (src/build/shipped-inputs.mjs writes dist/cli/shipped/<SHA-256 of the file>.json), so that the
 * built CLI's `evaluate` of an unchanged shipped file skips YAML, zod and the semantic checks (issue
 * 10: the default evaluation starts faster). A file whose bytes differ in any way, or any file the
 * build did not see, goes through the loaders as before, with their errors. Only the built CLI uses
 * the entries: from the sources (tsx) the build's entries could be older than the code.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where the file name stands in an entry: the path given at run time replaces it. */
export const SHIPPED_PATH_TOKEN = '\u0000shipped-input-path\u0000';

export interface ShippedEntry {
  readonly kind: 'scenario' | 'plan';
  /** The loader's result as JSON, the file name written as SHIPPED_PATH_TOKEN. */
  readonly json: string;
}

export function shippedEntryName(text: string): string {
  return `${createHash('sha256').update(text).digest('hex')}.json`;
}

/**
 * What the loader would return for the file at `path` (`loadScenario` / `loadPlan`), from the
 * build's entries, or null: not the built CLI, no entry for these bytes, or anything unreadable.
 */
export function shippedInput(path: string, kind: 'scenario' | 'plan', directory: string | null): unknown {
  if (directory === null) return null;
  try {
    // The loaders refuse large files before reading them; a shipped file is small.
    if (statSync(path).size > 1 << 20) return null;
    const text = readFileSync(path, 'utf8');
    const entry = JSON.parse(
      readFileSync(resolve(directory, shippedEntryName(text)), 'utf8'),
    ) as ShippedEntry;
    if (entry.kind !== kind) return null;
    return JSON.parse(
      entry.json.replaceAll(JSON.stringify(SHIPPED_PATH_TOKEN).slice(1, -1), jsonEscaped(path)),
    );
  } catch {
    return null;
  }
}

/** The built CLI's entries (dist/cli/shipped under the package root), or null when run from sources. */
export function shippedDirectory(packageRoot: string): string | null {
  return import.meta.url.endsWith('.ts') ? null : resolve(packageRoot, 'dist/cli/shipped');
}

function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
