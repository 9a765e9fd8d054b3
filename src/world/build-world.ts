import type { WorldObserver } from '../cluster/observer.ts';
import type { Scenario } from '../scenario/types.ts';
import { World, type WorldOptions } from './world.ts';

/** An optional model that joins the world for a run: it observes it. */
export interface WorldExtension {
  readonly observer: WorldObserver;
  /** Called when tracing starts (after the cluster settled): write the starting state. */
  readonly start?: () => void;
  /** Called when the plan ends, before its last record: close what is still open. */
  readonly finish?: () => void;
}

export interface BuildWorldOptions extends WorldOptions {
  /** Optional models added after the standard ones, in order. */
  readonly extensions?: (world: World) => readonly WorldExtension[];
}

/** A world with its extensions, not yet started. */
export interface BuiltWorld {
  readonly world: World;
  readonly extensions: readonly WorldExtension[];
}

/**
 * The one place a world is assembled: nodes, etcd, kube, Rancher, addons, VMs and migrations,
 * Longhorn and the guests always; optional models after them. Call `world.start()` to run it.
 */
export function buildWorld(scenario: Scenario, options: BuildWorldOptions = {}): BuiltWorld {
  const world = new World(scenario, options);
  const extensions = options.extensions?.(world) ?? [];
  for (const extension of extensions) world.observers.push(extension.observer);
  return { world, extensions };
}
