// piscina's worker file: a worker thread does not inherit the main thread's tsx loader, so it
// registers its own before importing the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
const { runSeed } = await import('./worker.ts');
export default runSeed;
