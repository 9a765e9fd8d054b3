/** The Longhorn model: what the world and the plan runner use. */
export { type HarvesterStorageView, harvesterStorageView } from './accounting.ts';
export {
  type DataEngine,
  type LonghornModelDefaults,
  longhornModelDefaults,
  longhornModelParameters,
  TRIM_BUG_AFFECTED_RANGES,
  unmapWhileRebuilding,
} from './defaults.ts';
export { LonghornModel, type LonghornModelInit, type UnmapResult } from './model.ts';
export type { LonghornModelOptions, VolumeSelectors } from './options.ts';
export type { Replica, ReplicaMode } from './replica.ts';
export type { Robustness, VolumeState } from './robustness.ts';
