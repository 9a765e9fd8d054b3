/**
 * A world holding one migration over one link: what the CLI and the calibration run. A cluster
 * world calls `startMigration` (migration-run.ts) on its own Simulation and FlowNetwork instead.
 */
import { FlowNetwork, Simulation } from '../../../sim/index.ts';
import { MIGRATION_SIMULATOR_LIMITS } from '../defaults.ts';
import type { LiveMigrationRequest, LiveMigrationResult } from './migration-request.ts';
import { startMigration } from './migration-run.ts';

export interface SingleMigrationWorld {
  /** Capacity of the one link between source and target (NIC, or loopback in the calibration). */
  readonly linkBytesPerSecond: number;
  readonly seed?: number;
  /** The run stops here; a migration still going is cancelled and reported with reason 'simulation-limit'. */
  readonly untilSeconds?: number;
  readonly maxEvents?: number;
}

export function simulateMigration(
  request: LiveMigrationRequest,
  world: SingleMigrationWorld,
): LiveMigrationResult {
  const sim = new Simulation({ seed: world.seed ?? 1 });
  const net = new FlowNetwork(sim);
  const link = net.addLink('migration-link', world.linkBytesPerSecond);
  const run = startMigration(sim, net, request, [link]);
  const until = world.untilSeconds ?? MIGRATION_SIMULATOR_LIMITS.untilSeconds.value;
  const maxEvents = world.maxEvents ?? MIGRATION_SIMULATOR_LIMITS.maxEvents.value;
  sim.run({ until, maxEvents });
  if (!run.process.triggered) {
    run.command({ kind: 'abort', reason: 'simulation-limit' });
    sim.run({ until: until + MIGRATION_SIMULATOR_LIMITS.cancelWindDownSeconds.value, maxEvents });
  }
  if (!run.process.triggered) throw new Error(`migration ${request.name} did not end by t=${sim.now}s`);
  return run.process.value;
}
