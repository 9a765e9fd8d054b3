/**
 * QEMU's RAM migration loop as a pure state machine (`qemu/qemu:migration/migration.c`
 * migration_iteration_run, migration_update_counters; `migration/ram.c` ram_save_pending,
 * migration_bitmap_sync). No clock and no network inside: the host calls `onWindow` at each
 * rate-limit window (bandwidth measurement), `onCheck` at each loop iteration with the bytes the
 * current pass still has to send, and sends what the returned action says.
 */
import {
  type AutoConvergeParameters,
  type AutoConvergeState,
  autoConvergeOnSync,
  initialAutoConverge,
} from './auto-converge.ts';
import { distinctDirtyPages, markedHotSetPages, unitedWorkingSetPages } from './guest-dirtying.ts';

export interface PrecopyConfig {
  readonly pageSizeBytes: number;
  readonly pageHeaderBytes: number;
  /** Wire bytes of a zero page (header only, plus a fill byte). */
  readonly zeroPageBytes: number;
  /** Pages written at least once: sent in full in the first pass. */
  readonly usedPages: number;
  /** Never-written pages: nearly free in the first pass. */
  readonly zeroPages: number;
  readonly workingSetPages: number;
  /**
   * After the bitmap covered the whole working set, marks count as one run behind the writer again
   * once the sender has swept this share of the set (guest-dirtying.ts).
   */
  readonly resweepFraction: number;
  /** Share of the independent-subsets overlap left while the marks form one run (guest-dirtying.ts). */
  readonly contiguousOverlapFraction: number;
  /** Pages outside the working set that the guest dirties again in every sync interval. */
  readonly hotSetPages: number;
  readonly downtimeLimitSeconds: number;
  /** Device state sent after the last RAM pages while the VM is stopped. */
  readonly deviceStateBytes: number;
  /** Device state and discard bitmap sent at the post-copy switch. */
  readonly postCopySwitchBytes: number;
  readonly autoConverge: AutoConvergeParameters;
  /** An operator asks for post-copy once this pass has been sent (null: only on request). */
  readonly postCopyAfterPass: number | null;
}

export type PassKind = 'disk-copy' | 'pre-copy' | 'post-copy';

/** One pass: wire bytes sent, duration, and bytes newly dirtied during it (found by the sync ending it). */
export interface PassRecord {
  readonly kind: PassKind;
  readonly bytes: number;
  readonly seconds: number;
  readonly dirtyBytes: number;
}

export type PrecopyPhase = 'pre-copy' | 'stop-and-copy' | 'post-copy';

interface OpenPass {
  readonly index: number;
  readonly startSeconds: number;
  readonly startTransferredBytes: number;
  /** Converts the pass's remaining wire bytes into remaining dirty pages. */
  readonly pagesPerWireByte: number;
  /** Share of the pass's pages outside the working set. */
  readonly outsideWorkingSetFraction: number;
  /** The pass's working-set pages form one run ending where the writer is (guest-dirtying.ts). */
  readonly contiguous: boolean;
  /** Working-set pages marked when the pass began. */
  readonly insidePagesAtStart: number;
  /** Working-set pages sent since the bitmap last covered the whole set, before this pass. */
  readonly sweptInsidePages: number;
  /** Pages of the pass when it began. */
  readonly startPages: number;
  /** Hot-set pages marked when the pass began; the sender sends them spread over the pass. */
  readonly hotPagesAtStart: number;
}

export interface PrecopyState {
  readonly phase: PrecopyPhase;
  /** QEMU `dirty-sync-count`: the set-up sync, one per iteration, the final one. */
  readonly syncCount: number;
  /** bandwidth × downtime-limit, from the last window; 0 until the first window. */
  readonly thresholdBytes: number;
  readonly measuredBytesPerSecond: number;
  readonly pass: OpenPass;
  readonly autoConverge: AutoConvergeState;
  readonly maxThrottlePercent: number;
  readonly postCopyRequested: boolean;
  readonly passes: readonly PassRecord[];
}

export type PrecopyAction =
  | { readonly kind: 'send' }
  /** A sync found more than the threshold: send this many wire bytes as the next pass. */
  | { readonly kind: 'next-pass'; readonly wireBytes: number }
  /** Stop the VM and send this at link speed. */
  | { readonly kind: 'stop-and-copy'; readonly wireBytes: number }
  /** Stop, send the switch bytes at link speed, resume on the target, push the rest. */
  | { readonly kind: 'post-copy'; readonly switchBytes: number; readonly pushBytes: number };

export interface CheckInput {
  readonly nowSeconds: number;
  /** Wire bytes the current pass has still to send. */
  readonly remainingWireBytes: number;
  /** All wire bytes of the RAM migration so far. */
  readonly transferredBytes: number;
  /** Pages the guest wrote since the last sync (not distinct). */
  readonly writtenPagesSinceSync: number;
  /** The guest ran (not stopped or paused) at some time since the last sync. */
  readonly guestRanSinceSync: boolean;
}

export function wireBytesPerPage(config: PrecopyConfig): number {
  return config.pageSizeBytes + config.pageHeaderBytes;
}

/** Wire bytes of the first pass: used pages in full, zero pages as headers. */
export function firstPassWireBytes(config: PrecopyConfig): number {
  return config.usedPages * wireBytesPerPage(config) + config.zeroPages * config.zeroPageBytes;
}

/** The state after set-up: one sync (all pages marked), the first pass open. */
export function startPrecopy(
  config: PrecopyConfig,
  nowSeconds: number,
  transferredBytes: number,
): PrecopyState {
  const allPages = config.usedPages + config.zeroPages;
  const wire = firstPassWireBytes(config);
  return {
    phase: 'pre-copy',
    syncCount: 1,
    thresholdBytes: 0,
    measuredBytesPerSecond: 0,
    pass: {
      index: 1,
      startSeconds: nowSeconds,
      startTransferredBytes: transferredBytes,
      pagesPerWireByte: wire > 0 ? allPages / wire : 0,
      outsideWorkingSetFraction: allPages > 0 ? Math.max(0, 1 - config.workingSetPages / allPages) : 0,
      contiguous: false,
      insidePagesAtStart: Math.min(config.workingSetPages, allPages),
      sweptInsidePages: 0,
      startPages: allPages,
      hotPagesAtStart: config.hotSetPages,
    },
    autoConverge: { ...initialAutoConverge(nowSeconds), periodStartTransferredBytes: transferredBytes },
    maxThrottlePercent: 0,
    postCopyRequested: false,
    passes: [],
  };
}

/** End of a rate-limit window: bandwidth = bytes sent / window; threshold = bandwidth × downtime-limit. */
export function onWindow(
  state: PrecopyState,
  config: PrecopyConfig,
  window: { readonly sentBytes: number; readonly seconds: number },
): PrecopyState {
  if (!(window.seconds > 0)) return state;
  const measured = window.sentBytes / window.seconds;
  // Field by field rather than a spread: this runs at every 100 ms window of every migration.
  return {
    phase: state.phase,
    syncCount: state.syncCount,
    thresholdBytes: measured * config.downtimeLimitSeconds,
    measuredBytesPerSecond: measured,
    pass: state.pass,
    autoConverge: state.autoConverge,
    maxThrottlePercent: state.maxThrottlePercent,
    postCopyRequested: state.postCopyRequested,
    passes: state.passes,
  };
}

/** `migrate-start-postcopy`: taken at the next check. */
export function requestPostCopy(state: PrecopyState): PrecopyState {
  return state.postCopyRequested ? state : { ...state, postCopyRequested: true };
}

interface SyncResult {
  readonly state: PrecopyState;
  readonly pendingPages: number;
  readonly outsidePages: number;
  readonly newDirtyPages: number;
  readonly contiguous: boolean;
  readonly insidePages: number;
  readonly hotPages: number;
  readonly sweptInsidePages: number;
}

function sync(state: PrecopyState, config: PrecopyConfig, input: CheckInput): SyncResult {
  const remainingPages = input.remainingWireBytes * state.pass.pagesPerWireByte;
  const outsideUnsent = remainingPages * state.pass.outsideWorkingSetFraction;
  const insidePages = remainingPages - outsideUnsent;
  // The hot set's unsent share is the pass's unsent share (the sender meets it spread over the pass).
  const passShare = state.pass.startPages > 0 ? Math.min(1, remainingPages / state.pass.startPages) : 0;
  const hotUnsent = Math.min(outsideUnsent, state.pass.hotPagesAtStart * passShare);
  const hotPages = markedHotSetPages(hotUnsent, config.hotSetPages, input.guestRanSinceSync);
  const outsidePages = outsideUnsent - hotUnsent + hotPages;
  const fresh = distinctDirtyPages(input.writtenPagesSinceSync, config.workingSetPages);
  const united = unitedWorkingSetPages(
    insidePages,
    fresh,
    config.workingSetPages,
    state.pass.contiguous,
    config.contiguousOverlapFraction,
  );
  // Once the bitmap covers the whole set the sender's position relative to the writer is arbitrary;
  // the marks form one run behind the writer again after the sender has swept the set once.
  const saturated = insidePages + fresh >= config.workingSetPages;
  const sweptInsidePages = saturated
    ? 0
    : state.pass.sweptInsidePages + Math.max(0, state.pass.insidePagesAtStart - insidePages);
  const contiguous =
    !saturated &&
    (state.pass.contiguous || sweptInsidePages >= config.resweepFraction * config.workingSetPages);
  const newDirtyPages = Math.max(0, united - insidePages) + (hotPages - hotUnsent);
  const syncCount = state.syncCount + 1;
  const autoConverge = autoConvergeOnSync(
    state.autoConverge,
    {
      nowSeconds: input.nowSeconds,
      newDirtyPages,
      transferredBytes: input.transferredBytes,
      pageSizeBytes: config.pageSizeBytes,
    },
    config.autoConverge,
  );
  const operatorAsks = config.postCopyAfterPass !== null && syncCount >= config.postCopyAfterPass + 1;
  return {
    state: {
      ...state,
      syncCount,
      autoConverge,
      maxThrottlePercent: Math.max(state.maxThrottlePercent, autoConverge.throttlePercent),
      postCopyRequested: state.postCopyRequested || operatorAsks,
    },
    pendingPages: outsidePages + united,
    outsidePages,
    insidePages: united,
    hotPages,
    newDirtyPages,
    contiguous,
    sweptInsidePages,
  };
}

function closePass(state: PrecopyState, config: PrecopyConfig, input: CheckInput, newDirtyPages: number) {
  const record: PassRecord = {
    kind: 'pre-copy',
    bytes: input.transferredBytes - state.pass.startTransferredBytes,
    seconds: input.nowSeconds - state.pass.startSeconds,
    dirtyBytes: newDirtyPages * config.pageSizeBytes,
  };
  return [...state.passes, record];
}

/** The answer of most checks, shared. */
const SEND: PrecopyAction = Object.freeze({ kind: 'send' });

/**
 * One iteration of QEMU's loop: if post-copy was requested, switch; else if the current pass's
 * remaining dirty bytes are at most the threshold, sync the dirty bitmap and stop if what is dirty is
 * below the threshold, else go on with a new pass; else keep sending.
 */
export function onCheck(
  state: PrecopyState,
  config: PrecopyConfig,
  input: CheckInput,
): { state: PrecopyState; action: PrecopyAction } {
  if (state.phase !== 'pre-copy') throw new Error(`onCheck in phase ${state.phase}`);
  const perPage = wireBytesPerPage(config);
  if (state.postCopyRequested) {
    // postcopy_start → ram_postcopy_send_discard_bitmap syncs the bitmap once more.
    const s = sync(state, config, input);
    return {
      state: { ...s.state, phase: 'post-copy', passes: closePass(state, config, input, s.newDirtyPages) },
      action: {
        kind: 'post-copy',
        switchBytes: config.postCopySwitchBytes,
        pushBytes: s.pendingPages * perPage,
      },
    };
  }
  const remainingPages = input.remainingWireBytes * state.pass.pagesPerWireByte;
  if (remainingPages * config.pageSizeBytes > state.thresholdBytes && remainingPages > 0) {
    return { state, action: SEND };
  }
  const s = sync(state, config, input);
  const passes = closePass(state, config, input, s.newDirtyPages);
  if (s.pendingPages === 0 || s.pendingPages * config.pageSizeBytes < state.thresholdBytes) {
    // migration_completion: vCPUs stop, ram_save_complete syncs once more (nothing new) and sends all.
    return {
      state: { ...s.state, phase: 'stop-and-copy', syncCount: s.state.syncCount + 1, passes },
      action: { kind: 'stop-and-copy', wireBytes: s.pendingPages * perPage + config.deviceStateBytes },
    };
  }
  const pass: OpenPass = {
    index: state.pass.index + 1,
    startSeconds: input.nowSeconds,
    startTransferredBytes: input.transferredBytes,
    pagesPerWireByte: 1 / perPage,
    outsideWorkingSetFraction: s.outsidePages / s.pendingPages,
    contiguous: s.contiguous,
    insidePagesAtStart: s.insidePages,
    sweptInsidePages: s.sweptInsidePages,
    startPages: s.pendingPages,
    hotPagesAtStart: s.hotPages,
  };
  return {
    state: { ...s.state, pass, passes },
    action: { kind: 'next-pass', wireBytes: s.pendingPages * perPage },
  };
}

/**
 * The post-copy push split as QEMU 7.2 sends it (`migration/migration.c` migration_iteration_run,
 * migration_completion; `migration/savevm.c` qemu_savevm_state_complete_postcopy): in post-copy the
 * loop keeps its 100 ms rate-limit windows at max-postcopy-bandwidth, and once what is pending falls
 * below the threshold (the window's bandwidth × downtime-limit, migration_update_counters) it
 * completes, sending the rest without the rate limit. So the push is whole windows at the post-copy
 * rate until at most the threshold is left, then that rest at link speed. Unlimited post-copy
 * bandwidth (0): all at link speed. The trace m256-bw16-r16000-w128-dt300-pc shows it: 5.6 MB
 * pending at 21.30 s, completed at 21.40 s with a window's 1.7 MB of it sent at the rate.
 */
export function postCopyPushSplit(
  pushBytes: number,
  postCopyBytesPerSecond: number,
  windowSeconds: number,
  downtimeLimitSeconds: number,
): { rateLimitedBytes: number; completionBytes: number } {
  if (!(postCopyBytesPerSecond > 0) || pushBytes <= 0)
    return { rateLimitedBytes: 0, completionBytes: Math.max(0, pushBytes) };
  const quota = postCopyBytesPerSecond * windowSeconds;
  const threshold = postCopyBytesPerSecond * downtimeLimitSeconds;
  const windows = Math.max(0, Math.ceil((pushBytes - threshold) / quota));
  const rateLimitedBytes = Math.min(pushBytes, windows * quota);
  return { rateLimitedBytes, completionBytes: pushBytes - rateLimitedBytes };
}

/** Dirty bytes still to send, as QEMU reports `remaining` (pages × page size). */
export function remainingDirtyBytes(
  state: PrecopyState,
  config: PrecopyConfig,
  remainingWireBytes: number,
): number {
  return remainingWireBytes * state.pass.pagesPerWireByte * config.pageSizeBytes;
}
