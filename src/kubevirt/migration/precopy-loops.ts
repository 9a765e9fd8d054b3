/**
 * QEMU's pre-copy loop on the kernel's clock, in its two pacings: with max-bandwidth set (100 ms
 * windows) and without (KubeVirt's default). Each iteration asks the pure machine
 * (precopy-machine.ts) through the run's `check`; the loops only decide when to check and how the
 * bytes of a pass become flows.
 */
import type { Event, Simulation } from '../../../sim/index.ts';
import { MIGRATION_SIMULATOR_LIMITS } from '../defaults.ts';
import type { LiveMigrationResult, MigrationProfile } from './migration-request.ts';
import type { PrecopyAction } from './precopy-machine.ts';
import type { TransferLedger } from './transfer-ledger.ts';

/** A window ends when this close to its length (float sums of timeouts). */
const TIME_TOLERANCE_SECONDS = MIGRATION_SIMULATOR_LIMITS.timeToleranceSeconds.value;

export type SwitchAction = Extract<PrecopyAction, { kind: 'stop-and-copy' | 'post-copy' }>;

/** What the loops drive, supplied by the run. */
export interface PrecopyDriver {
  readonly sim: Simulation;
  readonly profile: MigrationProfile;
  readonly ledger: TransferLedger;
  /** The pre-copy pass under way (1 = the bulk pass). */
  passIndex(): number;
  /** One iteration of QEMU's loop: sync effects applied, the machine's action returned. */
  check(): PrecopyAction;
  /** A bandwidth-measurement window of `seconds` ended, `sentBytes` sent in it. */
  endWindow(sentBytes: number, seconds: number): void;
  /** Waits for `event`, acting on commands meanwhile; a result when a command ended the migration. */
  waitHandling(event: Event<any>): Generator<Event<any>, LiveMigrationResult | null, any>;
  /** Waits out the least interval between two dirty-bitmap syncs. */
  waitSyncCost(): Generator<Event<any>, LiveMigrationResult | null, any>;
}

type LoopEnd = Generator<Event<any>, LiveMigrationResult | SwitchAction, any>;

function isSwitch(action: PrecopyAction): action is SwitchAction {
  return action.kind === 'stop-and-copy' || action.kind === 'post-copy';
}

/**
 * With max-bandwidth set, QEMU works in 100 ms windows (`migration_rate_limit`): a check at the
 * window start, then the window's quota sent in a burst at link speed, a check at once whenever a
 * pass drains inside the burst, and a sleep to the window end. The traces show both: syncs on
 * window boundaries, and a few ms apart at the very end (m256-bw32-r4000-w32-dt30: 0.1 s, 6 ms, 2 ms).
 */
export function* rateLimitedPrecopy(
  run: PrecopyDriver,
  rateLimit: number,
  burstCap: number | undefined,
): LoopEnd {
  const { sim, ledger } = run;
  const windowSeconds = run.profile.bufferDelayMs / 1000;
  for (;;) {
    const windowStart = sim.now;
    const windowStartBytes = ledger.transferredBytes;
    let action = run.check();
    if (isSwitch(action)) return action;
    let quota = rateLimit * windowSeconds;
    // migration_update_counters ends the window once 100 ms have passed, whatever is left to send.
    while (quota > 0 && ledger.queuedBytes > 0 && sim.now < windowStart + windowSeconds) {
      const burst = Math.min(quota, ledger.queuedBytes);
      ledger.queuedBytes -= burst;
      const flow = ledger.start(burst, burstCap, `pass-${run.passIndex()}`);
      const ended = yield* run.waitHandling(flow.done);
      if (ended !== null) return ended;
      quota -= ledger.retire();
      if (ledger.queuedBytes <= 0) {
        const paced = yield* run.waitSyncCost();
        if (paced !== null) return paced;
        action = run.check();
        if (isSwitch(action)) return action;
      }
    }
    const windowEnd = windowStart + windowSeconds;
    if (sim.now < windowEnd) {
      const ended = yield* run.waitHandling(sim.timeout(windowEnd - sim.now));
      if (ended !== null) return ended;
    }
    run.endWindow(ledger.transferredBytes - windowStartBytes, sim.now - windowStart);
  }
}

/**
 * Without max-bandwidth (KubeVirt's default), QEMU sends as fast as the stream goes and checks
 * after each ram_save_iterate (at most MAX_WAIT = 50 ms) and whenever a pass drains; bandwidth is
 * still measured per 100 ms.
 */
export function* unlimitedPrecopy(run: PrecopyDriver, streamCap: number | undefined): LoopEnd {
  const { sim, ledger } = run;
  const { bufferDelayMs, unlimitedIterationMs } = run.profile;
  let windowStart = sim.now;
  let windowStartBytes = ledger.transferredBytes;
  for (;;) {
    const flow = ledger.start(ledger.queuedBytes, streamCap, `pass-${run.passIndex()}`);
    ledger.queuedBytes = 0;
    for (;;) {
      const ended = yield* run.waitHandling(sim.anyOf([sim.timeout(unlimitedIterationMs / 1000), flow.done]));
      if (ended !== null) return ended;
      if (sim.now - windowStart >= bufferDelayMs / 1000 - TIME_TOLERANCE_SECONDS) {
        run.endWindow(ledger.transferredBytes - windowStartBytes, sim.now - windowStart);
        windowStart = sim.now;
        windowStartBytes = ledger.transferredBytes;
      }
      if (flow.done.processed) {
        const paced = yield* run.waitSyncCost();
        if (paced !== null) return paced;
      }
      const action = run.check();
      if (isSwitch(action)) return action;
      if (action.kind === 'next-pass') break;
    }
  }
}
