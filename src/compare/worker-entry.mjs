// piscina's worker file when no bundle can be had (src/simulate/worker-file.ts): a worker thread does
// not inherit the main thread's tsx loader, so it registers its own before importing the TypeScript
// worker.
import { register } from 'tsx/esm/api';

register();
const { runSeedBatch } = await import('./worker.ts');
export default runSeedBatch;
