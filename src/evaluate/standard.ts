import type { WorldExtension } from '../plan/runner/runner.ts';
import type { World } from '../world/world.ts';
import type { SubsystemEvaluator } from './evaluate.ts';

/** The models every evaluation adds to the world (storage and migrations join here as they land). */
export function standardExtensions(_world: World): WorldExtension[] {
  return [];
}

/** The evaluators every evaluation runs besides the control plane's. */
export const standardEvaluators: readonly SubsystemEvaluator[] = [];
