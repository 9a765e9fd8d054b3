/**
 * KubeVirt's migration monitor beside a running migration: every monitorPollIntervalMs it reads the
 * job's DataRemaining, asks the pure monitor (monitor.ts) and turns its action into a command.
 */
import type { Process, ProcessGenerator, Simulation } from '../../../sim/index.ts';
import { Recorder } from '../../trace/recorder.ts';
import type { LiveMigrationRequest } from './migration-request.ts';
import { initialMonitor, type MonitorConfig, pollMonitor } from './monitor.ts';
import type { MigrationCommand } from './run-commands.ts';

/** The running migration as the monitor sees it (MigrationRun). */
export interface MonitoredMigration {
  readonly sim: Simulation;
  readonly request: LiveMigrationRequest;
  readonly process: Process<unknown>;
  readonly finished: boolean;
  /** The job's `DataRemaining`. */
  readonly dataRemainingBytes: number;
  command(command: MigrationCommand): void;
}

/** Polls until the migration has finished; started with the migration's `start` record. */
export function* monitorLoop(run: MonitoredMigration, config: MonitorConfig): ProcessGenerator<void> {
  const { sim, request } = run;
  const record = new Recorder(sim, 'kubevirt.migration');
  const start = sim.now;
  let state = initialMonitor(config, 0);
  const pollSeconds = request.settings.monitorPollIntervalMs / 1000;
  while (!run.finished) {
    yield sim.anyOf([sim.timeout(pollSeconds), run.process]);
    if (run.finished) return;
    const poll = pollMonitor(state, config, {
      elapsedSeconds: sim.now - start,
      dataRemainingBytes: run.dataRemainingBytes,
    });
    state = poll.state;
    if (poll.action.kind === 'none') continue;
    record.emit('monitor', {
      migration: request.name,
      action: poll.action.kind,
      elapsedSeconds: sim.now - start,
    });
    if (poll.action.kind === 'abort') run.command({ kind: 'abort', reason: poll.action.reason });
    else run.command({ kind: poll.action.kind });
  }
}
