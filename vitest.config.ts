// Tests run from the TypeScript sources: the package's own entry points ("harvester-sim",
// "harvester-sim/testing") resolve through the "source" export condition, not the built dist/.
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Whole-cluster runs and CLI processes take seconds; on a loaded 2-core machine, many. Speed
  // targets live in bench/, so a test's timeout only guards against a hang.
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
  resolve: { conditions: ['source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
});
