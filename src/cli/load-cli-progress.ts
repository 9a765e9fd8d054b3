import { createRequire } from 'node:module';

/**
 * cli-progress, loaded when a bar is drawn: only a terminal shows one, and loading the package cost
 * about a tenth of `--help`'s start-up (issue 10). It is a CommonJS package, so `require` loads it
 * synchronously where the bar is made.
 */
export function loadCliProgress(): typeof import('cli-progress') {
  return createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
}
