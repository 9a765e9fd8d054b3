/**
 * One live migration on the kernel, phase by phase: target pod start, QEMU set-up, BlockMigration
 * disk copy, pre-copy (precopy-loops.ts), stop-and-copy or post-copy, with KubeVirt's monitor
 * (monitor-loop.ts) polling beside it. The QEMU loop (precopy-machine.ts) and the monitor
 * (monitor.ts) are pure; this file supplies time and commands, the ledger (transfer-ledger.ts) the
 * bytes, the guest (migrating-guest.ts) its dirtying, and migration-result.ts the report.
 */
import type { Event, FlowNetwork, Link, Process, ProcessGenerator, Simulation } from '../../../sim/index.ts';
import type { LiveMigrationOutcome } from '../../trace/migration.ts';
import { Recorder } from '../../trace/recorder.ts';
import { monitorConfigFor, precopyConfigFor, withDrawnOverlap } from './machine-configs.ts';
import { MigratingGuest } from './migrating-guest.ts';
import type { LiveMigrationRequest, LiveMigrationResult } from './migration-request.ts';
import { migrationResult } from './migration-result.ts';
import type { MonitorConfig } from './monitor.ts';
import { monitorLoop } from './monitor-loop.ts';
import { type PrecopyDriver, rateLimitedPrecopy, unlimitedPrecopy } from './precopy-loops.ts';
import {
  firstPassWireBytes,
  onCheck,
  onWindow,
  type PrecopyAction,
  type PrecopyConfig,
  type PrecopyState,
  postCopyPushSplit,
  remainingDirtyBytes,
  requestPostCopy,
  startPrecopy,
} from './precopy-machine.ts';
import { CommandInbox, type MigrationCommand } from './run-commands.ts';
import type { LiveMigrationPhase } from './run-phase.ts';
import { TransferLedger } from './transfer-ledger.ts';

function positiveOrUndefined(...rates: number[]): number | undefined {
  const finite = rates.filter((r) => r > 0 && Number.isFinite(r));
  return finite.length === 0 ? undefined : Math.min(...finite);
}

/**
 * A running migration. `process` succeeds with the LiveMigrationResult; `cancel()` and `failNode()`
 * act as an operator or a fault would. Start one with `startMigration`.
 */
export class MigrationRun {
  readonly process: Process<LiveMigrationResult>;
  readonly config: PrecopyConfig;
  readonly monitorConfig: MonitorConfig | null;
  phase: LiveMigrationPhase = 'target-pod';
  private readonly inbox: CommandInbox;
  private readonly ledger: TransferLedger;
  private readonly guest: MigratingGuest;
  private readonly requestSeconds: number;
  private migrationStartSeconds: number | null = null;
  private state: PrecopyState | null = null;
  private downtimeSeconds = 0;
  private downtimeBytes = 0;
  private postCopyStartSeconds: number | null = null;
  private phaseStartSeconds = 0;
  private ramStartBytes = 0;
  private lastSyncSeconds = Number.NEGATIVE_INFINITY;

  private readonly record: Recorder<'kubevirt.migration'>;
  constructor(
    readonly sim: Simulation,
    readonly net: FlowNetwork,
    readonly request: LiveMigrationRequest,
    readonly path: readonly Link[],
  ) {
    this.record = new Recorder(sim, 'kubevirt.migration');
    this.config = withDrawnOverlap(sim, request, precopyConfigFor(request));
    this.monitorConfig = monitorConfigFor(request);
    this.requestSeconds = sim.now;
    this.inbox = new CommandInbox(sim);
    this.ledger = new TransferLedger(net, path, request.name);
    this.guest = new MigratingGuest(
      sim,
      request.guest,
      this.config.workingSetPages,
      request.profile.cpuThrottleTimesliceMs,
      request.guest.dirtyRateVariability === undefined
        ? null
        : sim.rng.stream(`kubevirt.migration.dirty-rate/${request.name}`),
    );
    this.process = sim.process(this.run(), `migration ${request.name}`);
  }

  /** An operator cancels (`virtctl migrate-cancel` / deleting the VMIM). Ignored once switched over. */
  cancel(): void {
    this.command({ kind: 'cancel' });
  }

  /** A node of the migration fails now. */
  failNode(node: 'source' | 'target'): void {
    this.command({ kind: 'node-failure', node });
  }

  command(command: MigrationCommand): void {
    if (this.phase === 'finished') return;
    this.inbox.push(command);
  }

  get finished(): boolean {
    return this.phase === 'finished';
  }

  /** The auto-converge throttle applied to the guest now (0 once the migration ended). */
  get throttlePercent(): number {
    return this.guest.throttlePercent;
  }

  /** The job's `DataRemaining`: disk still to copy plus dirty RAM still to send. */
  get dataRemainingBytes(): number {
    switch (this.phase) {
      case 'target-pod':
      case 'setup':
        return this.request.guest.blockMigrationDiskBytes + this.request.guest.memoryBytes;
      case 'disk-copy':
        return this.ledger.flowRemainingBytes + this.request.guest.memoryBytes;
      case 'pre-copy':
        return this.state === null
          ? 0
          : remainingDirtyBytes(this.state, this.config, this.ledger.passRemainingBytes);
      case 'stop-and-copy':
      case 'post-copy':
        return this.ledger.flowRemainingBytes;
      default:
        return 0;
    }
  }

  /** The job's `DataProcessed`: every byte sent so far (libvirt `data_processed`). */
  get dataProcessedBytes(): number {
    return this.ledger.transferredBytes;
  }

  /** The job's `MemoryBps`: the rate of the flow under way (0 between flows and once finished). */
  get transferBytesPerSecond(): number {
    return this.phase === 'finished' ? 0 : (this.ledger.flow?.currentRateBytesPerSecond ?? 0);
  }

  /** The job's `MemDirtyRate`: pages the guest dirties per second now (libvirt reports pages, not bytes). */
  get dirtyPagesPerSecond(): number {
    return this.phase === 'finished' ? 0 : this.guest.dirtyPagesPerSecond;
  }

  private finish(
    outcome: LiveMigrationOutcome,
    reason: string,
    vmRunsOn: LiveMigrationResult['vmRunsOn'],
  ): LiveMigrationResult {
    this.guest.advance();
    if (this.ledger.flow !== null) this.ledger.retire();
    const result = migrationResult({
      name: this.request.name,
      outcome,
      reason,
      vmRunsOn,
      nowSeconds: this.sim.now,
      requestSeconds: this.requestSeconds,
      migrationStartSeconds: this.migrationStartSeconds,
      phase: this.phase,
      phaseStartSeconds: this.phaseStartSeconds,
      downtimeSeconds: this.downtimeSeconds,
      destinationResumeSeconds: this.request.profile.destinationResumeSeconds,
      downtimeBytes: this.downtimeBytes,
      guestPausedAtSeconds: this.guest.pausedAtSeconds,
      postCopyStartSeconds: this.postCopyStartSeconds,
      precopy: this.state,
      passes: this.ledger.passes,
      retiredBytes: this.ledger.retiredBytes,
    });
    this.phase = 'finished';
    this.guest.throttlePercent = 0;
    this.record.emit('result', {
      migration: this.request.name,
      outcome,
      reason,
      vmRunsOn,
      totalSeconds: result.totalSeconds,
    });
    return result;
  }

  /** Before the switch: what a command does. null = keep going. */
  private beforeSwitch(command: MigrationCommand): LiveMigrationResult | null {
    switch (command.kind) {
      case 'cancel':
        return this.finish('cancelled', 'operator-cancel', 'source');
      case 'abort':
        return this.finish('aborted', command.reason, 'source');
      case 'node-failure':
        return command.node === 'source'
          ? this.finish('failed', 'source-node-failure', 'none')
          : this.finish('failed', 'target-node-failure', 'source');
      case 'start-post-copy':
        if (this.state !== null && this.request.settings.allowPostCopy)
          this.state = requestPostCopy(this.state);
        return null;
      case 'pause-guest':
        this.guest.pause();
        this.record.emit('pause-guest', { migration: this.request.name });
        return null;
    }
  }

  private *run(): ProcessGenerator<LiveMigrationResult> {
    const { profile, settings, guest } = this.request;
    const sim = this.sim;
    const ledger = this.ledger;
    // Target virt-launcher pod: Pending → Scheduling → Scheduled → PreparingTarget → TargetReady.
    const podReady = sim.timeout(profile.targetPodStartSeconds);
    const podReadyEnded = yield* this.waitHandling(podReady);
    if (podReadyEnded !== null) return podReadyEnded;
    this.migrationStartSeconds = sim.now;
    this.record.emit('start', {
      migration: this.request.name,
      acceptableCompletionSeconds: this.monitorConfig?.acceptableCompletionSeconds ?? null,
    });
    if (this.monitorConfig !== null)
      sim.process(monitorLoop(this, this.monitorConfig), `monitor ${this.request.name}`);
    if (this.request.cancelAfterSeconds !== null) {
      sim.timeout(this.request.cancelAfterSeconds).addCallback(() => this.cancel());
    }
    const limit = positiveOrUndefined(
      settings.bandwidthPerMigrationBytesPerSecond,
      profile.perStreamBytesPerSecond,
    );
    const linkSpeed = positiveOrUndefined(profile.perStreamBytesPerSecond);

    this.phase = 'setup';
    const setupEnd = sim.timeout(profile.qemuSetupSeconds);
    const setupEndEnded = yield* this.waitHandling(setupEnd);
    if (setupEndEnded !== null) return setupEndEnded;

    if (guest.blockMigrationDiskBytes > 0) {
      // NBD drive-mirror of the local disks until ready, before RAM (qemuMigrationSrcNBDStorageCopy).
      this.phase = 'disk-copy';
      const started = sim.now;
      this.phaseStartSeconds = started;
      const flow = ledger.start(guest.blockMigrationDiskBytes, limit, 'disk');
      const copyEnded = yield* this.waitHandling(flow.done);
      if (copyEnded !== null) return copyEnded;
      const bytes = ledger.retire();
      ledger.passes.push({ kind: 'disk-copy', bytes, seconds: sim.now - started, dirtyBytes: 0 });
    }

    this.phase = 'pre-copy';
    this.guest.advance();
    this.guest.synced();
    this.ramStartBytes = ledger.retiredBytes;
    this.state = startPrecopy(this.config, sim.now, 0);
    ledger.queuedBytes = firstPassWireBytes(this.config);
    const rateLimit = settings.bandwidthPerMigrationBytesPerSecond;
    const driver = this.precopyDriver();
    const ended =
      rateLimit > 0
        ? yield* rateLimitedPrecopy(driver, rateLimit, linkSpeed)
        : yield* unlimitedPrecopy(driver, limit);
    if (!('kind' in ended)) return ended;
    const action = ended;
    // The switch: the VM stops on the source.
    this.guest.stopped = true;
    const stopped = sim.now;
    const switchBytes = action.kind === 'stop-and-copy' ? action.wireBytes : action.switchBytes;
    this.phase = 'stop-and-copy';
    const switchFlow = ledger.start(switchBytes, linkSpeed, action.kind);
    if (action.kind === 'stop-and-copy') {
      // migration_completion works in sequence: vm_stop_force_state, then ram_save_complete and the
      // device state written and flushed, then the completion; `downtime` spans all of it
      // (migration_calculate_complete). So the fixed time adds to the bytes at link speed, as the
      // fit it comes from (downtime_ms = fixed + downtime_bytes / link) has it.
      const sent = yield* this.waitSwitchover([switchFlow.done], stopped);
      if (sent !== null) return sent;
      const completed = yield* this.waitSwitchover([sim.timeout(profile.switchoverFixedSeconds)], stopped);
      if (completed !== null) return completed;
    } else {
      // The post-copy switch ends once the package (device state, discard bitmap) is sent
      // (migration.c postcopy_start, `ms->downtime`); its fixed time is the whole measured downtime.
      const handshake = sim.timeout(profile.postCopySwitchFixedSeconds);
      const failure = yield* this.waitSwitchover([handshake, switchFlow.done], stopped);
      if (failure !== null) return failure;
    }
    this.downtimeBytes = ledger.retire();
    this.downtimeSeconds = sim.now - stopped;
    if (action.kind === 'stop-and-copy') return this.finish('completed', 'converged', 'target');
    // Post-copy: the guest runs on the target; the rest is pushed (and faulted in) once.
    this.phase = 'post-copy';
    this.postCopyStartSeconds = stopped - (this.migrationStartSeconds as number);
    this.record.emit('post-copy', {
      migration: this.request.name,
      pushBytes: action.pushBytes,
    });
    const pushStart = sim.now;
    this.phaseStartSeconds = pushStart;
    // Whole windows at max-postcopy-bandwidth, then the rest below the threshold unthrottled.
    const split = postCopyPushSplit(
      action.pushBytes,
      settings.postCopyBandwidthBytesPerSecond,
      profile.bufferDelayMs / 1000,
      settings.downtimeLimitMs / 1000,
    );
    const stages: [number, number | undefined, string][] = [
      [
        split.rateLimitedBytes,
        positiveOrUndefined(settings.postCopyBandwidthBytesPerSecond, profile.perStreamBytesPerSecond),
        'post-copy',
      ],
      [split.completionBytes, linkSpeed, 'post-copy-completion'],
    ];
    let pushedBytes = 0;
    for (const [bytes, cap, label] of stages) {
      if (bytes <= 0) continue;
      const push = ledger.start(bytes, cap, label);
      for (;;) {
        const c = yield* this.inbox.waitOr(push.done);
        if (c === null) break;
        if (c.kind === 'node-failure')
          return this.finish('vm-lost', `${c.node}-node-failure-in-post-copy`, 'none');
      }
      pushedBytes += ledger.retire();
    }
    ledger.passes.push({
      kind: 'post-copy',
      bytes: pushedBytes,
      seconds: sim.now - pushStart,
      dirtyBytes: 0,
    });
    return this.finish('post-copy', 'post-copy-completed', 'target');
  }

  /** The run as the pre-copy loops drive it; its methods stay private to the run. */
  private precopyDriver(): PrecopyDriver {
    return {
      sim: this.sim,
      profile: this.request.profile,
      ledger: this.ledger,
      passIndex: () => (this.state as PrecopyState).pass.index,
      check: () => this.check(),
      endWindow: (sentBytes, seconds) => {
        this.state = onWindow(this.state as PrecopyState, this.config, { sentBytes, seconds });
      },
      waitHandling: (event) => this.waitHandling(event),
      waitSyncCost: () => this.waitSyncCost(),
    };
  }

  /** One iteration of QEMU's loop: asks the machine, applies sync effects, returns its action. */
  private check(): PrecopyAction {
    this.guest.advance();
    const state = this.state as PrecopyState;
    const step = onCheck(state, this.config, {
      nowSeconds: this.sim.now,
      remainingWireBytes: this.ledger.passRemainingBytes,
      transferredBytes: this.ledger.transferredBytes - this.ramStartBytes,
      writtenPagesSinceSync: this.guest.writtenPages,
      guestRanSinceSync: this.guest.ranSinceSync,
    });
    this.state = step.state;
    if (step.state.syncCount !== state.syncCount) {
      this.guest.synced();
      this.lastSyncSeconds = this.sim.now;
      const throttle = step.state.autoConverge.throttlePercent;
      if (throttle !== this.guest.throttlePercent) {
        this.guest.throttlePercent = throttle;
        this.record.emit('throttle', {
          migration: this.request.name,
          percent: throttle,
        });
      }
      this.record.emit('sync', {
        migration: this.request.name,
        count: step.state.syncCount,
        thresholdBytes: step.state.thresholdBytes,
      });
    }
    if (step.action.kind !== 'send') {
      this.ledger.retire();
      this.ledger.queuedBytes = step.action.kind === 'next-pass' ? step.action.wireBytes : 0;
    }
    return step.action;
  }

  /**
   * A drained pass is checked at once, but a dirty-bitmap sync is not free: consecutive syncs are at
   * least `minSyncIntervalMs` apart (the last syncs of m256-bw32-r4000-w32-dt30 came 6.3 and 1.6 ms
   * apart). Without it a tiny guest would sync without end at one instant before the first window
   * measures a bandwidth (threshold 0).
   */
  private *waitSyncCost(): Generator<Event<any>, LiveMigrationResult | null, any> {
    const wait = this.lastSyncSeconds + this.request.profile.minSyncIntervalMs / 1000 - this.sim.now;
    return wait > 0 ? yield* this.waitHandling(this.sim.timeout(wait)) : null;
  }

  /** Waits for `event`, acting on commands meanwhile; a result when a command ended the migration. */
  private *waitHandling(event: Event<any>): Generator<Event<any>, LiveMigrationResult | null, any> {
    for (;;) {
      const c = yield* this.inbox.waitOr(event);
      if (c === null) return null;
      const done = this.beforeSwitch(c);
      if (done !== null) return done;
    }
  }

  /** Waits for all of the switch-over events; a node failure in between ends the migration. */
  private *waitSwitchover(
    events: Event<any>[],
    stoppedSeconds: number,
  ): Generator<Event<any>, LiveMigrationResult | null, any> {
    const all = this.sim.allOf(events);
    for (;;) {
      const c = yield* this.inbox.waitOr(all);
      if (c === null) return null;
      if (c.kind === 'node-failure') {
        // What went while the VM was stopped is downtime, also when a node fails before the switch ends.
        this.downtimeBytes = this.ledger.retire();
        this.downtimeSeconds = this.sim.now - stoppedSeconds;
        return c.node === 'source'
          ? this.finish('failed', 'source-node-failure', 'none')
          : this.finish('failed', 'target-node-failure-at-switch', 'source');
      }
    }
  }
}

/** Starts one migration over `path` (the links its stream crosses) inside an existing world. */
export function startMigration(
  sim: Simulation,
  net: FlowNetwork,
  request: LiveMigrationRequest,
  path: readonly Link[],
): MigrationRun {
  return new MigrationRun(sim, net, request, path);
}
