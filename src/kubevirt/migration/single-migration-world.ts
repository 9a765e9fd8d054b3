/**
 * A world holding one migration over one link: what the CLI and the calibration run. A cluster
 * world calls `startMigration` (migration-run.ts) on its own Simulation and FlowNetwork instead.
 */
import { FlowNetwork, Simulation } from '../../../sim/index.ts';
import type { MigrationRequest, MigrationResult } from './migration-request.ts';
import { startMigration } from './migration-run.ts';

export interface SingleMigrationWorld {
  /** Capacity of the one link between source and target (NIC, or loopback in the calibration). */
  readonly linkBytesPerSecond: number;
  readonly seed?: number;
  /** The run stops here; a migration still going is cancelled and reported with reason 'simulation-limit'. */
  readonly untilSeconds?: number;
  readonly maxEvents?: number;
}

const DEFAULT_UNTIL_SECONDS = 7 * 24 * 3600;
const DEFAULT_MAX_EVENTS = 50_000_000;

export function simulateMigration(request: MigrationRequest, world: SingleMigrationWorld): MigrationResult {
  const sim = new Simulation({ seed: world.seed ?? 1 });
  const net = new FlowNetwork(sim);
  const link = net.addLink('migration-link', world.linkBytesPerSecond);
  const run = startMigration(sim, net, request, [link]);
  const until = world.untilSeconds ?? DEFAULT_UNTIL_SECONDS;
  const maxEvents = world.maxEvents ?? DEFAULT_MAX_EVENTS;
  sim.run({ until, maxEvents });
  if (!run.process.triggered) {
    run.command({ kind: 'abort', reason: 'simulation-limit' });
    sim.run({ until: until + 3600, maxEvents });
  }
  if (!run.process.triggered) throw new Error(`migration ${request.name} did not end by t=${sim.now}s`);
  return run.process.value;
}
