import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root folder, wherever it is installed. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The built-in scenario and plan `evaluate` runs with no arguments. */
export const builtIn = {
  scenario: resolve(packageRoot, 'scenarios/seed-witness.yaml'),
  plan: resolve(packageRoot, 'scenarios/plans/kb-shutdown-restart.yaml'),
} as const;

/** The package's version, from its package.json (`harvester-sim --version`). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
