import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root folder, wherever it is installed. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The built-in scenario and plan `evaluate` runs with no arguments. */
export const builtIn = {
  scenario: resolve(packageRoot, 'scenarios/seed-witness.yaml'),
  plan: resolve(packageRoot, 'scenarios/plans/kb-shutdown-restart.yaml'),
} as const;
