/**
 * Guests that trim: fstrim.timer (or the scenario's trim schedule), the `discard` mount option and
 * Windows delete notifications send UNMAPs to their volumes. On an IO error the VM pauses ("VM Paused
 * due to IO error at the volume: disk-N"); KubeVirt unpauses it (with backoff from v0.59), QEMU
 * re-issues the failed discard, and the VM flaps until the UNMAP succeeds — on affected Longhorn
 * versions, until the rebuild ends (KB the_potential_risk_with_filesystem_trim; research §4).
 */
import { Interrupt, type Process, type ProcessGenerator, type Simulation } from '../../sim/index.ts';
import type { WorldObserver } from '../cluster/observer.ts';
import { valuesOf } from '../profiles/sourced.ts';
import type { Scenario, ScenarioVm, VmRef } from '../scenario/types.ts';
import type { TrimTrigger, UnmapOutcome } from '../trace/longhorn.ts';
import { Recorder } from '../trace/recorder.ts';
import type { GuestBlockStorage } from './block-storage.ts';
import { GUEST_SIMULATOR_LIMITS, type GuestDefaults, guestDefaults } from './defaults.ts';
import { previousWeeklyCalendarPoint, WEEK_SECONDS } from './fstrim-timer.ts';
import { IoErrorRetryState } from './io-error-retry.ts';
import { type GuestModelOptions, type GuestTrimOptions, LINUX_GUEST } from './trim-options.ts';

/** Bounds on every loop: trims and discards per VM run, flaps per IO error, backoff waits per pause. */
const LIMITS = valuesOf(GUEST_SIMULATOR_LIMITS);

export interface GuestModelInit {
  readonly sim: Simulation;
  readonly scenario: Scenario;
  readonly storage: GuestBlockStorage;
  readonly options?: GuestModelOptions;
}

interface GuestVm {
  readonly ref: VmRef;
  readonly key: string;
  readonly spec: ScenarioVm;
  readonly trim: GuestTrimOptions;
  /** Volume keys, in disk order (disk-0 first). */
  readonly volumes: readonly string[];
  /** systemd's host-specific position inside the AccuracySec window. */
  readonly accuracyOffsetSeconds: number;
  processes: Process<void>[];
  running: boolean;
  paused: boolean;
  pausedSinceSeconds: number | null;
  pausedSeconds: number;
  flaps: number;
  /** Calendar point (Monday 00:00, Unix seconds) the last timer run served; Persistent=true catches up a missed one at boot. */
  lastTimerCalendarEpochSeconds: number;
  /** Simulated time of the last run of the scenario's trim schedule. */
  lastScheduledRunSeconds: number;
  retry: IoErrorRetryState | null;
  /** Volumes whose engine fails I/O (faulted) under this running VM: it stays paused while any is. */
  failingVolumes: Set<string>;
}

export class GuestModel implements WorldObserver {
  readonly defaults: GuestDefaults;
  private readonly sim: Simulation;
  private readonly storage: GuestBlockStorage;
  private readonly vms = new Map<string, GuestVm>();
  private readonly startEpochSeconds: number;
  private readonly reactionSeconds: number;
  private readonly record: Recorder<'guest'>;

  constructor(init: GuestModelInit) {
    const options = init.options ?? {};
    this.sim = init.sim;
    this.storage = init.storage;
    this.defaults = guestDefaults(options.kubevirtVersion ?? init.scenario.profile.components.kubevirt);
    this.startEpochSeconds = options.startEpochSeconds ?? this.defaults.startEpochSeconds.value;
    this.reactionSeconds = options.unpauseReactionSeconds ?? this.defaults.unpauseReactionSeconds.value;
    this.record = new Recorder(init.sim, 'guest');
    for (const spec of init.scenario.vms) {
      const key = `${spec.namespace}/${spec.name}`;
      const trim: GuestTrimOptions = { ...LINUX_GUEST, ...options.defaults, ...options.perVm?.[key] };
      const accuracy = trim.fstrimTimer?.accuracySeconds ?? this.defaults.fstrimAccuracySeconds.value;
      this.vms.set(key, {
        ref: { namespace: spec.namespace, name: spec.name },
        key,
        spec,
        trim,
        volumes: spec.volumeNames.map((name) => `${spec.namespace}/${name}`),
        accuracyOffsetSeconds: init.sim.rng.stream(`guest/${key}/accuracy`).uniform(0, accuracy),
        processes: [],
        running: false,
        paused: false,
        pausedSinceSeconds: null,
        pausedSeconds: 0,
        flaps: 0,
        lastTimerCalendarEpochSeconds: previousWeeklyCalendarPoint(this.startEpochSeconds),
        lastScheduledRunSeconds: Number.NEGATIVE_INFINITY,
        retry: null,
        failingVolumes: new Set(),
      });
    }
  }

  // ---- queries -------------------------------------------------------------------------------

  isPaused(vm: string): boolean {
    return this.vm(vm).paused;
  }

  pausedVms(): string[] {
    return [...this.vms.values()].filter((g) => g.paused).map((g) => g.key);
  }

  /** Seconds paused so far, the open pause included. */
  pausedSeconds(vm: string): number {
    const g = this.vm(vm);
    return g.pausedSeconds + (g.pausedSinceSeconds === null ? 0 : this.sim.now - g.pausedSinceSeconds);
  }

  flapCount(vm: string): number {
    return this.vm(vm).flaps;
  }

  // ---- WorldObserver -------------------------------------------------------------------------

  vmStarted(vm: VmRef, _node: string): void {
    const g = this.vm(`${vm.namespace}/${vm.name}`);
    if (g.running) return;
    g.running = true;
    g.processes = [];
    if (this.periodicTrim(g) !== 'none')
      g.processes.push(this.sim.process(this.trimLoop(g), `guest-trim ${g.key}`));
    if (this.discards(g)) g.processes.push(this.sim.process(this.discardLoop(g), `guest-discard ${g.key}`));
    const failing = g.volumes.filter((v) => this.storage.ioFailing(v));
    if (failing.length > 0) this.volumeIoFailing(failing[0], [g.key], true);
    for (const v of failing.slice(1)) g.failingVolumes.add(v);
  }

  /**
   * A volume's engine started (or stopped) failing I/O: a faulted Longhorn volume answers every write
   * with an error, so each running VM writing to it pauses ("VM Paused due to IO error at the volume:
   * disk-N", QEMU's werror=stop; research longhorn.md §4 for the pause) and stays paused until the
   * volume takes writes again (auto-salvage). Modelled as one pause: KubeVirt's unpause retries fail
   * at once while the volume is faulted.
   */
  volumeIoFailing(volume: string, vms: readonly string[], failing: boolean): void {
    for (const key of vms) {
      const g = this.vms.get(key);
      if (g === undefined || !g.running) continue;
      if (failing) {
        if (g.failingVolumes.has(volume)) continue;
        g.failingVolumes.add(volume);
        if (!g.paused) this.pause(g, g.volumes.indexOf(volume), 'volume-faulted');
      } else if (g.failingVolumes.delete(volume) && g.failingVolumes.size === 0 && g.paused) {
        this.unpause(g);
      }
    }
  }

  vmStopped(vm: VmRef, _node: string, _reason: 'stopped' | 'node-lost' | 'force-reset'): void {
    const g = this.vm(`${vm.namespace}/${vm.name}`);
    if (!g.running) return;
    g.running = false;
    for (const p of g.processes) if (p.isAlive) p.interrupt('vm stopped');
    g.processes = [];
    g.failingVolumes.clear();
    if (g.paused) this.unpause(g);
  }

  // ---- triggers ------------------------------------------------------------------------------

  private periodicTrim(g: GuestVm): 'timer' | 'scenario' | 'none' {
    if (g.trim.os !== 'linux') return 'none';
    if (g.trim.fstrimTimer !== undefined) return g.trim.fstrimTimer.enabled ? 'timer' : 'none';
    return g.spec.guest.fstrim === null ? 'none' : 'scenario';
  }

  private discards(g: GuestVm): boolean {
    return g.trim.os === 'linux' ? g.trim.discardMountOption : !g.trim.windowsDisableDeleteNotify;
  }

  private epoch(): number {
    return this.startEpochSeconds + this.sim.now;
  }

  /** When the next periodic trim runs (sim seconds) and, for the timer, which calendar point it serves. */
  private nextTrim(
    g: GuestVm,
    kind: 'timer' | 'scenario',
  ): { atSeconds: number; calendarEpochSeconds: number } {
    const now = this.sim.now;
    if (kind === 'scenario') {
      // The first point of `first + k × period` at or after now and after the last run.
      const schedule = g.spec.guest.fstrim as NonNullable<ScenarioVm['guest']['fstrim']>;
      const k = Math.max(0, Math.ceil((now - schedule.firstRunSeconds) / schedule.periodSeconds));
      let at = schedule.firstRunSeconds + k * schedule.periodSeconds;
      if (at <= g.lastScheduledRunSeconds) at += schedule.periodSeconds;
      return { atSeconds: Math.max(now, at), calendarEpochSeconds: 0 };
    }
    const timer = g.trim.fstrimTimer;
    const randomized = timer?.randomizedDelaySeconds ?? this.defaults.fstrimRandomizedDelaySeconds.value;
    const delay =
      randomized > 0 ? this.sim.rng.stream(`guest/${g.key}/randomized-delay`).uniform(0, randomized) : 0;
    const nowEpoch = this.epoch();
    let point = previousWeeklyCalendarPoint(nowEpoch);
    if (point <= g.lastTimerCalendarEpochSeconds) point += WEEK_SECONDS;
    while (point + g.accuracyOffsetSeconds + delay <= nowEpoch) point += WEEK_SECONDS;
    return {
      atSeconds: point + g.accuracyOffsetSeconds + delay - this.startEpochSeconds,
      calendarEpochSeconds: point,
    };
  }

  private *trimLoop(g: GuestVm): ProcessGenerator<void> {
    const kind = this.periodicTrim(g) as 'timer' | 'scenario';
    try {
      const persistent = g.trim.fstrimTimer?.persistent ?? this.defaults.fstrimPersistent.value;
      const missed = previousWeeklyCalendarPoint(this.epoch());
      if (
        kind === 'timer' &&
        persistent &&
        missed > g.lastTimerCalendarEpochSeconds &&
        missed + g.accuracyOffsetSeconds <= this.epoch()
      ) {
        g.lastTimerCalendarEpochSeconds = missed;
        yield* this.runTrim(g, 'fstrim.timer');
      }
      for (let i = 0; i < LIMITS.maxPeriodicTrimsPerVmRun; i++) {
        const next = this.nextTrim(g, kind);
        yield this.sim.timeout(next.atSeconds - this.sim.now);
        if (kind === 'timer') g.lastTimerCalendarEpochSeconds = next.calendarEpochSeconds;
        else g.lastScheduledRunSeconds = this.sim.now;
        if (g.paused) continue;
        yield* this.runTrim(g, kind === 'timer' ? 'fstrim.timer' : 'scenario');
      }
    } catch (error) {
      if (!(error instanceof Interrupt)) throw error;
    }
  }

  private *discardLoop(g: GuestVm): ProcessGenerator<void> {
    const interval = g.trim.discardIntervalSeconds ?? this.defaults.discardIntervalSeconds.value;
    const trigger: TrimTrigger = g.trim.os === 'linux' ? 'discard' : 'windows-retrim';
    try {
      for (let i = 0; i < LIMITS.maxDiscardsPerVmRun; i++) {
        yield this.sim.timeout(interval);
        if (g.paused) continue;
        yield* this.runTrim(g, trigger, false);
      }
    } catch (error) {
      if (!(error instanceof Interrupt)) throw error;
    }
  }

  /** UNMAPs on each volume; an IO error pauses the VM until a retried UNMAP succeeds. */
  private *runTrim(g: GuestVm, trigger: TrimTrigger, record = true): ProcessGenerator<void> {
    if (record) this.record.emit('trim.started', { vm: g.key, trigger, volumes: [...g.volumes] });
    let worst: UnmapOutcome = 'ok';
    for (let disk = 0; disk < g.volumes.length; disk++) {
      let outcome = this.storage.unmap(g.ref, g.volumes[disk]).outcome;
      if (outcome === 'io-error') {
        worst = 'io-error';
        outcome = yield* this.flapUntilUnmapSucceeds(g, disk);
      } else if (outcome !== 'ok' && worst === 'ok') worst = outcome;
    }
    if (record || worst !== 'ok') this.record.emit('trim.finished', { vm: g.key, trigger, outcome: worst });
  }

  private *flapUntilUnmapSucceeds(g: GuestVm, disk: number): ProcessGenerator<UnmapOutcome> {
    const config = this.defaults.ioErrorRetry.value;
    g.retry ??= config === null ? null : new IoErrorRetryState(config);
    for (let flap = 0; flap < LIMITS.maxFlapsPerIoError; flap++) {
      if (!g.paused) this.pause(g, disk, 'trim');
      if (g.retry !== null) {
        let wait = g.retry.delaySeconds(this.sim.now);
        for (let i = 0; wait > 0 && i < LIMITS.maxRetryWaitsPerPause; i++) {
          yield this.sim.timeout(wait);
          wait = g.retry.delaySeconds(this.sim.now);
        }
      }
      yield this.sim.timeout(this.reactionSeconds);
      // A faulted volume under the VM keeps it paused (volumeIoFailing).
      if (g.failingVolumes.size === 0) this.unpause(g);
      // QEMU re-issues the request that failed (werror=stop).
      const outcome = this.storage.unmap(g.ref, g.volumes[disk]).outcome;
      if (outcome !== 'io-error') return outcome;
    }
    return 'io-error';
  }

  private pause(g: GuestVm, disk: number, cause: 'trim' | 'volume-faulted'): void {
    g.paused = true;
    g.pausedSinceSeconds = this.sim.now;
    g.flaps++;
    this.storage.setWritesSuspended(g.ref, true);
    this.record.emit('vm.paused', {
      vm: g.key,
      reason: 'io-error',
      volume: g.volumes[disk],
      disk: `disk-${disk}`,
      cause,
      flap: g.flaps,
    });
  }

  private unpause(g: GuestVm): void {
    const since = g.pausedSinceSeconds ?? this.sim.now;
    const seconds = this.sim.now - since;
    g.paused = false;
    g.pausedSinceSeconds = null;
    g.pausedSeconds += seconds;
    this.storage.setWritesSuspended(g.ref, false);
    this.record.emit('vm.unpaused', { vm: g.key, pausedSeconds: seconds, flap: g.flaps });
  }

  private vm(key: string): GuestVm {
    const g = this.vms.get(key);
    if (g === undefined) throw new Error(`guest: unknown VM ${key} (expected namespace/name)`);
    return g;
  }
}
