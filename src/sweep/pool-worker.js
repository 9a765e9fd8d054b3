// A worker thread of the sweep pool. Worker threads do not inherit the main thread's module hooks,
// so tsx registers its loader here (as src/cli/harvester-sim.js does), then each task is one grid point.
import { register } from 'tsx/esm/api';

register();
const { preparedFor, runPoint } = await import('./point-run.ts');

/** @param {{ spec: import('./spec.ts').SweepSpec, index: number }} task */
export default function runTask({ spec, index }) {
  return runPoint(preparedFor(spec), index);
}
