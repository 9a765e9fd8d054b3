/**
 * What each dirty-bitmap sync of a calibration run found, read from its trace
 * (`test/calibration/qemu/traces/<run_id>.jsonl`, README there): the pages still unsent just
 * before the sync, the pages marked just after it, the interval since the previous sync and the pages
 * the guest wrote in it. The dirty-page geometry fits (fit-parameters.ts) read these.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CalibrationRun, QEMU_CALIBRATION_DIRECTORY } from './qemu-runs.ts';

/** QEMU counts `remaining` in 4 KiB pages and sends each normal page with an 8-byte header (ram.c). */
const PAGE_BYTES = 4096;
const WIRE_BYTES_PER_PAGE = PAGE_BYTES + 8;
const MiB = 2 ** 20;

export interface SyncObservation {
  readonly runId: string;
  readonly workingSetPages: number;
  /** `dirty-sync-count` after this sync (the set-up sync is 1). */
  readonly syncCount: number;
  /** Since the previous sync (MIGRATION_PASS events, QEMU's clock). */
  readonly intervalSeconds: number;
  /** `remaining` of the last sample before the sync, in pages. */
  readonly unsentPages: number;
  /** `remaining` of the first sample after the sync plus the pages sent in between. */
  readonly markedPages: number;
  /** Guest writes in the interval: its per-second DIRTY report around the sync × interval. */
  readonly writtenPages: number;
  /** markedPages of the previous sync (pages of the pass this sync ends); null for the first. */
  readonly passPages: number | null;
}

interface Sample {
  readonly seconds: number;
  readonly syncCount: number;
  readonly remainingBytes: number;
  readonly transferredBytes: number;
}

/** The syncs from the second on of one trace (jsonl text), pre-copy only. */
export function parseSyncObservations(run: CalibrationRun, jsonl: string): SyncObservation[] {
  const samples: Sample[] = [];
  const passes: { seconds: number; pass: number }[] = [];
  const reports: { seconds: number; pagesPerSecond: number }[] = [];
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line);
    if (record.type === 'query-migrate' && record.r?.ram !== undefined) {
      const ram = record.r.ram;
      samples.push({
        seconds: record.t,
        syncCount: ram['dirty-sync-count'],
        remainingBytes: ram.remaining,
        transferredBytes: ram.transferred,
      });
    } else if (record.type === 'event' && record.event?.event === 'MIGRATION_PASS') {
      const at = record.event.timestamp;
      passes.push({ seconds: at.seconds + at.microseconds / 1e6, pass: record.event.data.pass });
    } else if (
      record.type === 'serial' &&
      typeof record.line === 'string' &&
      record.line.startsWith('DIRTY ')
    ) {
      const achieved = /achieved=(\d+)/.exec(record.line);
      if (achieved !== null) reports.push({ seconds: record.t, pagesPerSecond: Number(achieved[1]) });
    }
  }
  const observations: SyncObservation[] = [];
  const workingSetPages = (run.wssMib * MiB) / PAGE_BYTES;
  let previousSeconds: number | null = null;
  let passPages: number | null = null;
  for (const { seconds, pass } of passes) {
    const before = samples.filter((s) => s.syncCount === pass - 1 && s.seconds < seconds).at(-1);
    const after = samples.find((s) => s.syncCount === pass && s.seconds > seconds);
    const report = reports.filter((r) => r.seconds <= seconds + 1).at(-1);
    if (pass >= 2 && previousSeconds !== null && before !== undefined && after !== undefined) {
      const interval = seconds - previousSeconds;
      const marked =
        after.remainingBytes / PAGE_BYTES +
        (after.transferredBytes - before.transferredBytes) / WIRE_BYTES_PER_PAGE;
      observations.push({
        runId: run.runId,
        workingSetPages,
        syncCount: pass,
        intervalSeconds: interval,
        unsentPages: before.remainingBytes / PAGE_BYTES,
        markedPages: marked,
        writtenPages: (report?.pagesPerSecond ?? 0) * interval,
        passPages,
      });
      passPages = marked;
    } else {
      passPages = null;
    }
    previousSeconds = seconds;
  }
  return observations;
}

/** Every pre-copy run with a dirtying guest; each must have its trace. */
export function readSyncObservations(
  runs: readonly CalibrationRun[],
  directory: string = QEMU_CALIBRATION_DIRECTORY,
): SyncObservation[] {
  return runs
    .filter((run) => !run.postcopy && run.achievedRatePps > 0)
    .flatMap((run) => {
      const path = join(directory, 'traces', `${run.runId}.jsonl`);
      if (!existsSync(path)) {
        throw new Error(`${path}: missing: results.csv lists run ${run.runId}, whose trace the fits read`);
      }
      return parseSyncObservations(run, readFileSync(path, 'utf8'));
    });
}
