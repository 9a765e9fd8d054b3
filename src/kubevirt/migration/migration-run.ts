/**
 * One live migration on the kernel: target pod start, QEMU set-up, BlockMigration disk copy,
 * pre-copy passes as flows on a FlowNetwork path, stop-and-copy or post-copy, with KubeVirt's
 * monitor polling beside it. The QEMU loop (precopy-machine.ts) and the monitor (monitor.ts) are
 * pure; this file supplies time, bytes and the guest's dirtying.
 */
import type {
  Event,
  Flow,
  FlowNetwork,
  Link,
  Process,
  ProcessGenerator,
  Simulation,
} from '../../../sim/index.ts';
import { throttledDirtyPagesPerSecond } from './guest-dirtying.ts';
import { monitorConfigFor, precopyConfigFor } from './machine-configs.ts';
import type { MigrationOutcome, MigrationRequest, MigrationResult } from './migration-request.ts';
import { initialMonitor, type MonitorConfig, pollMonitor } from './monitor.ts';
import {
  firstPassWireBytes,
  onCheck,
  onWindow,
  type PassRecord,
  type PrecopyAction,
  type PrecopyConfig,
  type PrecopyState,
  remainingDirtyBytes,
  requestPostCopy,
  startPrecopy,
} from './precopy-machine.ts';

export type MigrationCommand =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'abort'; readonly reason: string }
  | { readonly kind: 'start-post-copy' }
  | { readonly kind: 'pause-guest' }
  | { readonly kind: 'node-failure'; readonly node: 'source' | 'target' };

export type MigrationPhase =
  | 'target-pod'
  | 'setup'
  | 'disk-copy'
  | 'pre-copy'
  | 'stop-and-copy'
  | 'post-copy'
  | 'finished';

const SUBSYSTEM = 'kubevirt.migration';

type SwitchAction = Extract<PrecopyAction, { kind: 'stop-and-copy' | 'post-copy' }>;

function positiveOrUndefined(...rates: number[]): number | undefined {
  const finite = rates.filter((r) => r > 0 && Number.isFinite(r));
  return finite.length === 0 ? undefined : Math.min(...finite);
}

/**
 * A running migration. `process` succeeds with the MigrationResult; `cancel()` and `failNode()` act
 * as an operator or a fault would. Start one with `startMigration`.
 */
export class MigrationRun {
  readonly process: Process<MigrationResult>;
  readonly config: PrecopyConfig;
  readonly monitorConfig: MonitorConfig | null;
  phase: MigrationPhase = 'target-pod';
  private readonly commands: MigrationCommand[] = [];
  private wake: Event<undefined> | null = null;
  private readonly requestSeconds: number;
  private migrationStartSeconds: number | null = null;
  private state: PrecopyState | null = null;
  private flow: Flow | null = null;
  /** Bytes of retired flows (earlier passes, disk copy). */
  private retiredBytes = 0;
  private passes: PassRecord[] = [];
  // The guest.
  private writtenPages = 0;
  /** The guest ran at some time since the last sync (the hot set is dirty again). */
  private guestRanSinceSync = false;
  private guestUpdatedSeconds: number;
  private guestPausedAtSeconds: number | null = null;
  private guestStopped = false;
  private throttle = 0;
  private downtimeSeconds = 0;
  private downtimeBytes = 0;
  private postCopyStartSeconds: number | null = null;
  private phaseStartSeconds = 0;
  private ramStartBytes = 0;
  private lastSyncSeconds = Number.NEGATIVE_INFINITY;
  /** Wire bytes of the current pass not yet handed to a flow. */
  private queuedBytes = 0;

  constructor(
    readonly sim: Simulation,
    readonly net: FlowNetwork,
    readonly request: MigrationRequest,
    readonly path: readonly Link[],
  ) {
    this.config = precopyConfigFor(request);
    this.monitorConfig = monitorConfigFor(request);
    this.requestSeconds = sim.now;
    this.guestUpdatedSeconds = sim.now;
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
    this.commands.push(command);
    if (this.wake !== null && !this.wake.triggered) this.wake.succeed(undefined);
  }

  get finished(): boolean {
    return this.phase === 'finished';
  }

  /** The auto-converge throttle applied to the guest now (0 once the migration ended). */
  get throttlePercent(): number {
    return this.throttle;
  }

  /** The job's `DataRemaining`: disk still to copy plus dirty RAM still to send. */
  get dataRemainingBytes(): number {
    const flowRemaining = this.flow?.remainingBytes ?? 0;
    switch (this.phase) {
      case 'target-pod':
      case 'setup':
        return this.request.guest.blockMigrationDiskBytes + this.request.guest.memoryBytes;
      case 'disk-copy':
        return flowRemaining + this.request.guest.memoryBytes;
      case 'pre-copy':
        return this.state === null
          ? 0
          : remainingDirtyBytes(this.state, this.config, this.passRemainingBytes);
      case 'stop-and-copy':
      case 'post-copy':
        return flowRemaining;
      default:
        return 0;
    }
  }

  private get transferredBytes(): number {
    return this.retiredBytes + (this.flow?.sentBytes ?? 0);
  }

  private emit(kind: string, data: Record<string, unknown>): void {
    if (this.sim.trace.enabled)
      this.sim.trace.emit(SUBSYSTEM, kind, { migration: this.request.name, ...data });
  }

  private advanceGuest(): void {
    const now = this.sim.now;
    const running = !this.guestStopped && this.guestPausedAtSeconds === null;
    if (running) {
      const rate = throttledDirtyPagesPerSecond(
        {
          dirtyPagesPerSecond: this.request.guest.dirtyPagesPerSecond,
          workingSetPages: this.config.workingSetPages,
          throttleCatchUpMs: this.request.guest.throttleCatchUpMs,
        },
        this.throttle,
        this.request.profile.cpuThrottleTimesliceMs,
      );
      this.writtenPages += rate * (now - this.guestUpdatedSeconds);
      if (now > this.guestUpdatedSeconds) this.guestRanSinceSync = true;
    }
    this.guestUpdatedSeconds = now;
  }

  private armWake(): Event<undefined> {
    if (this.wake === null || this.wake.triggered) this.wake = this.sim.event<undefined>();
    if (this.commands.length > 0 && !this.wake.triggered) this.wake.succeed(undefined);
    return this.wake;
  }

  private startFlow(sizeBytes: number, rateCap: number | undefined, label: string): Flow {
    this.flow = this.net.startFlow({
      path: this.path,
      sizeBytes,
      rateCapBytesPerSecond: rateCap,
      name: `${this.request.name}/${label}`,
    });
    return this.flow;
  }

  private retireFlow(): number {
    const flow = this.flow;
    if (flow === null) return 0;
    const sent = flow.sentBytes;
    flow.cancel();
    this.retiredBytes += sent;
    this.flow = null;
    return sent;
  }

  /** Waits for `event` or a command; returns the command, or null when the event came. */
  private *waitOr(event: Event<any>): Generator<Event<any>, MigrationCommand | null, any> {
    if (this.commands.length > 0) return this.commands.shift() as MigrationCommand;
    yield this.sim.anyOf([event, this.armWake()]);
    return this.commands.shift() ?? null;
  }

  private finish(
    outcome: MigrationOutcome,
    reason: string,
    vmRunsOn: MigrationResult['vmRunsOn'],
  ): MigrationResult {
    this.advanceGuest();
    if (this.flow !== null) this.retireFlow();
    const recorded =
      [...this.passes, ...(this.state?.passes ?? [])].reduce((sum, pass) => sum + pass.bytes, 0) +
      this.downtimeBytes;
    let open: PassRecord[] = [];
    if (this.retiredBytes > recorded) {
      // The pass under way when the migration ended.
      const kind =
        this.phase === 'disk-copy' ? 'disk-copy' : this.phase === 'post-copy' ? 'post-copy' : 'pre-copy';
      const since =
        this.phase === 'pre-copy' && this.state !== null
          ? this.state.pass.startSeconds
          : this.phaseStartSeconds;
      open = [{ kind, bytes: this.retiredBytes - recorded, seconds: this.sim.now - since, dirtyBytes: 0 }];
    }
    this.phase = 'finished';
    this.throttle = 0;
    const now = this.sim.now;
    const paused = this.guestPausedAtSeconds === null ? 0 : now - this.guestPausedAtSeconds;
    const result: MigrationResult = {
      name: this.request.name,
      outcome,
      reason,
      vmRunsOn,
      totalSeconds: now - this.requestSeconds,
      targetPodStartSeconds: (this.migrationStartSeconds ?? now) - this.requestSeconds,
      migrationSeconds: this.migrationStartSeconds === null ? 0 : now - this.migrationStartSeconds,
      downtimeMs: this.downtimeSeconds * 1000,
      downtimeBytes: this.downtimeBytes,
      guestPausedSeconds: paused,
      iterations: this.state?.syncCount ?? 0,
      transferredBytes: this.retiredBytes,
      maxThrottlePercent: this.state?.maxThrottlePercent ?? 0,
      postCopyStartSeconds: this.postCopyStartSeconds,
      passes: [...this.passes, ...(this.state?.passes ?? []), ...open].sort(passOrder),
    };
    this.emit('result', { outcome, reason, vmRunsOn, totalSeconds: result.totalSeconds });
    return result;
  }

  /** Before the switch: what a command does. null = keep going. */
  private beforeSwitch(command: MigrationCommand): MigrationResult | null {
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
        this.advanceGuest();
        if (this.guestPausedAtSeconds === null) this.guestPausedAtSeconds = this.sim.now;
        this.emit('pause-guest', {});
        return null;
    }
  }

  private *run(): ProcessGenerator<MigrationResult> {
    const { profile, settings, guest } = this.request;
    const sim = this.sim;
    // Target virt-launcher pod: Pending → Scheduling → Scheduled → PreparingTarget → TargetReady.
    const podReady = sim.timeout(profile.targetPodStartSeconds);
    const podReadyEnded = yield* this.waitHandling(podReady);
    if (podReadyEnded !== null) return podReadyEnded;
    this.migrationStartSeconds = sim.now;
    this.emit('start', {
      acceptableCompletionSeconds: this.monitorConfig?.acceptableCompletionSeconds ?? null,
    });
    if (this.monitorConfig !== null)
      sim.process(this.monitor(this.monitorConfig), `monitor ${this.request.name}`);
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
      const flow = this.startFlow(guest.blockMigrationDiskBytes, limit, 'disk');
      const copyEnded = yield* this.waitHandling(flow.done);
      if (copyEnded !== null) return copyEnded;
      const bytes = this.retireFlow();
      this.passes.push({ kind: 'disk-copy', bytes, seconds: sim.now - started, dirtyBytes: 0 });
    }

    this.phase = 'pre-copy';
    this.advanceGuest();
    this.writtenPages = 0;
    this.guestRanSinceSync = false;
    this.ramStartBytes = this.retiredBytes;
    this.state = startPrecopy(this.config, sim.now, 0);
    this.queuedBytes = firstPassWireBytes(this.config);
    const rateLimit = settings.bandwidthPerMigrationBytesPerSecond;
    const ended =
      rateLimit > 0
        ? yield* this.rateLimitedPrecopy(rateLimit, linkSpeed)
        : yield* this.unlimitedPrecopy(limit);
    if (!('kind' in ended)) return ended;
    const action = ended;
    // The switch: the VM stops on the source.
    this.guestStopped = true;
    const stopped = sim.now;
    const switchBytes = action.kind === 'stop-and-copy' ? action.wireBytes : action.switchBytes;
    this.phase = 'stop-and-copy';
    this.startFlow(switchBytes, linkSpeed, action.kind);
    const handshake = sim.timeout(profile.switchoverFixedSeconds);
    const failure = yield* this.waitSwitchover([handshake, (this.flow as Flow).done]);
    this.downtimeBytes = this.retireFlow();
    this.downtimeSeconds = sim.now - stopped;
    if (failure !== null) return failure;
    if (action.kind === 'stop-and-copy') return this.finish('completed', 'converged', 'target');
    // Post-copy: the guest runs on the target; the rest is pushed (and faulted in) once.
    this.phase = 'post-copy';
    this.postCopyStartSeconds = stopped - (this.migrationStartSeconds as number);
    this.emit('post-copy', { pushBytes: action.pushBytes });
    const pushStart = sim.now;
    this.phaseStartSeconds = pushStart;
    const push = this.startFlow(
      action.pushBytes,
      positiveOrUndefined(settings.postCopyBandwidthBytesPerSecond, profile.perStreamBytesPerSecond),
      'post-copy',
    );
    for (;;) {
      const c = yield* this.waitOr(push.done);
      if (c === null) break;
      if (c.kind === 'node-failure')
        return this.finish('vm-lost', `${c.node}-node-failure-in-post-copy`, 'none');
    }
    this.passes.push({
      kind: 'post-copy',
      bytes: push.sentBytes,
      seconds: sim.now - pushStart,
      dirtyBytes: 0,
    });
    return this.finish('post-copy', 'post-copy-completed', 'target');
  }

  /** Wire bytes the current pass has still to send. */
  private get passRemainingBytes(): number {
    return this.queuedBytes + (this.flow?.remainingBytes ?? 0);
  }

  /** One iteration of QEMU's loop: asks the machine, applies sync effects, returns its action. */
  private check(): PrecopyAction {
    this.advanceGuest();
    const state = this.state as PrecopyState;
    const step = onCheck(state, this.config, {
      nowSeconds: this.sim.now,
      remainingWireBytes: this.passRemainingBytes,
      transferredBytes: this.transferredBytes - this.ramStartBytes,
      writtenPagesSinceSync: this.writtenPages,
      guestRanSinceSync: this.guestRanSinceSync,
    });
    this.state = step.state;
    if (step.state.syncCount !== state.syncCount) {
      this.writtenPages = 0;
      this.guestRanSinceSync = false;
      this.lastSyncSeconds = this.sim.now;
      const throttle = step.state.autoConverge.throttlePercent;
      if (throttle !== this.throttle) {
        this.throttle = throttle;
        this.emit('throttle', { percent: throttle });
      }
      this.emit('sync', { count: step.state.syncCount, thresholdBytes: step.state.thresholdBytes });
    }
    if (step.action.kind !== 'send') {
      this.retireFlow();
      this.queuedBytes = step.action.kind === 'next-pass' ? step.action.wireBytes : 0;
    }
    return step.action;
  }

  /**
   * A drained pass is checked at once, but a dirty-bitmap sync is not free: consecutive syncs are at
   * least `minSyncIntervalMs` apart (the last syncs of m256-bw32-r4000-w32-dt30 came 6.3 and 1.6 ms
   * apart). Without it a tiny guest would sync without end at one instant before the first window
   * measures a bandwidth (threshold 0).
   */
  private *waitSyncCost(): Generator<Event<any>, MigrationResult | null, any> {
    const wait = this.lastSyncSeconds + this.request.profile.minSyncIntervalMs / 1000 - this.sim.now;
    return wait > 0 ? yield* this.waitHandling(this.sim.timeout(wait)) : null;
  }

  /** Waits for `event`, acting on commands meanwhile; a result when a command ended the migration. */
  private *waitHandling(event: Event<any>): Generator<Event<any>, MigrationResult | null, any> {
    for (;;) {
      const c = yield* this.waitOr(event);
      if (c === null) return null;
      const done = this.beforeSwitch(c);
      if (done !== null) return done;
    }
  }

  /**
   * With max-bandwidth set, QEMU works in 100 ms windows (`migration_rate_limit`): a check at the
   * window start, then the window's quota sent in a burst at link speed, a check at once whenever a
   * pass drains inside the burst, and a sleep to the window end. The traces show both: syncs on
   * window boundaries, and a few ms apart at the very end (m256-bw32-r4000-w32-dt30: 0.1 s, 6 ms, 2 ms).
   */
  private *rateLimitedPrecopy(
    rateLimit: number,
    burstCap: number | undefined,
  ): Generator<Event<any>, MigrationResult | SwitchAction, any> {
    const sim = this.sim;
    const windowSeconds = this.request.profile.bufferDelayMs / 1000;
    for (;;) {
      const windowStart = sim.now;
      const windowStartBytes = this.transferredBytes;
      let action = this.check();
      if (action.kind === 'stop-and-copy' || action.kind === 'post-copy') return action;
      let quota = rateLimit * windowSeconds;
      // migration_update_counters ends the window once 100 ms have passed, whatever is left to send.
      while (quota > 0 && this.queuedBytes > 0 && sim.now < windowStart + windowSeconds) {
        const burst = Math.min(quota, this.queuedBytes);
        this.queuedBytes -= burst;
        const flow = this.startFlow(burst, burstCap, `pass-${(this.state as PrecopyState).pass.index}`);
        const ended = yield* this.waitHandling(flow.done);
        if (ended !== null) return ended;
        quota -= this.retireFlow();
        if (this.queuedBytes <= 0) {
          const paced = yield* this.waitSyncCost();
          if (paced !== null) return paced;
          action = this.check();
          if (action.kind === 'stop-and-copy' || action.kind === 'post-copy') return action;
        }
      }
      const windowEnd = windowStart + windowSeconds;
      if (sim.now < windowEnd) {
        const ended = yield* this.waitHandling(sim.timeout(windowEnd - sim.now));
        if (ended !== null) return ended;
      }
      this.state = onWindow(this.state as PrecopyState, this.config, {
        sentBytes: this.transferredBytes - windowStartBytes,
        seconds: sim.now - windowStart,
      });
    }
  }

  /**
   * Without max-bandwidth (KubeVirt's default), QEMU sends as fast as the stream goes and checks
   * after each ram_save_iterate (at most MAX_WAIT = 50 ms) and whenever a pass drains; bandwidth is
   * still measured per 100 ms.
   */
  private *unlimitedPrecopy(
    streamCap: number | undefined,
  ): Generator<Event<any>, MigrationResult | SwitchAction, any> {
    const sim = this.sim;
    const { bufferDelayMs, unlimitedIterationMs } = this.request.profile;
    let windowStart = sim.now;
    let windowStartBytes = this.transferredBytes;
    for (;;) {
      const flow = this.startFlow(
        this.queuedBytes,
        streamCap,
        `pass-${(this.state as PrecopyState).pass.index}`,
      );
      this.queuedBytes = 0;
      for (;;) {
        const ended = yield* this.waitHandling(
          sim.anyOf([sim.timeout(unlimitedIterationMs / 1000), flow.done]),
        );
        if (ended !== null) return ended;
        if (sim.now - windowStart >= bufferDelayMs / 1000 - 1e-9) {
          this.state = onWindow(this.state as PrecopyState, this.config, {
            sentBytes: this.transferredBytes - windowStartBytes,
            seconds: sim.now - windowStart,
          });
          windowStart = sim.now;
          windowStartBytes = this.transferredBytes;
        }
        if (flow.done.processed) {
          const paced = yield* this.waitSyncCost();
          if (paced !== null) return paced;
        }
        const action = this.check();
        if (action.kind === 'stop-and-copy' || action.kind === 'post-copy') return action;
        if (action.kind === 'next-pass') break;
      }
    }
  }

  /** Waits for all of the switch-over events; a node failure in between ends the migration. */
  private *waitSwitchover(events: Event<any>[]): Generator<Event<any>, MigrationResult | null, any> {
    const all = this.sim.allOf(events);
    for (;;) {
      const c = yield* this.waitOr(all);
      if (c === null) return null;
      if (c.kind === 'node-failure') {
        this.retireFlow();
        return c.node === 'source'
          ? this.finish('failed', 'source-node-failure', 'none')
          : this.finish('failed', 'target-node-failure-at-switch', 'source');
      }
    }
  }

  private *monitor(config: MonitorConfig): ProcessGenerator<void> {
    const start = this.sim.now;
    let state = initialMonitor(config, 0);
    const pollSeconds = this.request.settings.monitorPollIntervalMs / 1000;
    while (!this.finished) {
      yield this.sim.anyOf([this.sim.timeout(pollSeconds), this.process]);
      if (this.finished) return;
      const poll = pollMonitor(state, config, {
        elapsedSeconds: this.sim.now - start,
        dataRemainingBytes: this.dataRemainingBytes,
      });
      state = poll.state;
      if (poll.action.kind === 'none') continue;
      this.emit('monitor', { action: poll.action.kind, elapsedSeconds: this.sim.now - start });
      if (poll.action.kind === 'abort') this.command({ kind: 'abort', reason: poll.action.reason });
      else this.command({ kind: poll.action.kind });
    }
  }
}

function passOrder(a: PassRecord, b: PassRecord): number {
  const rank = { 'disk-copy': 0, 'pre-copy': 1, 'post-copy': 2 } as const;
  return rank[a.kind] - rank[b.kind];
}

/** Starts one migration over `path` (the links its stream crosses) inside an existing world. */
export function startMigration(
  sim: Simulation,
  net: FlowNetwork,
  request: MigrationRequest,
  path: readonly Link[],
): MigrationRun {
  return new MigrationRun(sim, net, request, path);
}
