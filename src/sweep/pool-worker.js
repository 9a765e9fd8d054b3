// A worker thread of the sweep pool when no bundle can be had (src/simulate/worker-file.ts). Worker
// threads do not inherit the main thread's module hooks, so tsx registers its loader here (as
// src/cli/harvester-sim.js does), then each task is a batch of grid points.
import { register } from 'tsx/esm/api';

register();
const { runPointBatch } = await import('./point-run.ts');
export default runPointBatch;
