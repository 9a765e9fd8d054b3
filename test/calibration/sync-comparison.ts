/**
 * The model against QEMU sync by sync: for each run, when each dirty-bitmap sync came (QEMU's
 * MIGRATION_PASS events, from the `migrate` command's set-up event; the model's `sync` trace records,
 * from its `start`) and the auto-converge throttle in effect after it (QEMU's `cpu-throttle-percentage`
 * in the first query-migrate sample after the event; the model's `throttle` records). Pre-copy syncs
 * only: a post-copy run has its set-up sync, the end of the first pass and the discard-bitmap sync.
 * docs/validation.md reports the summary per set and per kind of run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowNetwork, Simulation } from '../../sim/index.ts';
import { MemorySink } from '../../sim/trace.ts';
import { startMigration } from '../../src/kubevirt/migration/migration-run.ts';
import { median } from './qemu-comparison.ts';
import { type CalibrationRun, calibrationRequest, recordedCampaign } from './qemu-runs.ts';

export interface SyncPoint {
  /** `dirty-sync-count` after this sync (the set-up sync is 1). */
  readonly count: number;
  /** Seconds since `migrate`. */
  readonly seconds: number;
  /** Auto-converge throttle in effect after the sync, per cent. */
  readonly throttlePercent: number;
}

export interface RunSyncs {
  readonly run: CalibrationRun;
  readonly qemu: readonly SyncPoint[];
  readonly model: readonly SyncPoint[];
}

/**
 * The throttle in effect after sync `count`: that of the first sample that has seen the sync
 * (`dirty-sync-count` ≥ count; migration_bitmap_sync sets the throttle before it sends
 * MIGRATION_PASS). A sample's time is when the harness received the reply, so the first sample
 * received after the event's timestamp can still describe the state before the sync (m512-bw48-r14000-w128-dt300-ac: the
 * sample after pass 6 reads sync 5 and 20 %, the next sync 6 and 30 %). Traces without the count
 * fall back to the first sample after the event.
 */
function throttleAfter(
  samples: readonly { seconds: number; syncCount: number; throttle: number }[],
  count: number,
  seconds: number,
): number {
  const seen = samples.find((s) => s.syncCount >= count && s.seconds >= seconds - 1);
  return (seen ?? samples.find((s) => s.seconds >= seconds))?.throttle ?? 0;
}

/** QEMU's syncs from a trace (jsonl text). */
export function qemuSyncs(jsonl: string): SyncPoint[] {
  let origin: number | null = null;
  const passes: { seconds: number; count: number }[] = [];
  const samples: { seconds: number; syncCount: number; throttle: number }[] = [];
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line);
    if (record.type === 'event' && record.vm === 'src') {
      const at = record.event?.timestamp;
      const seconds = at === undefined ? record.t : at.seconds + at.microseconds / 1e6;
      if (record.event?.event === 'MIGRATION' && record.event.data?.status === 'setup') origin = seconds;
      if (record.event?.event === 'MIGRATION_PASS') passes.push({ seconds, count: record.event.data.pass });
    } else if (record.type === 'query-migrate' && record.r?.status !== undefined) {
      samples.push({
        seconds: record.t,
        syncCount: record.r.ram?.['dirty-sync-count'] ?? 0,
        throttle: record.r['cpu-throttle-percentage'] ?? 0,
      });
    }
  }
  if (origin === null) return [];
  const start = origin;
  return passes.map((p) => ({
    count: p.count,
    seconds: p.seconds - start,
    throttlePercent: throttleAfter(samples, p.count, p.seconds),
  }));
}

/** The model's syncs for a run, from the trace records of one simulated migration. */
export function modelSyncs(run: CalibrationRun): SyncPoint[] {
  const campaign = recordedCampaign();
  const sim = new Simulation({ seed: 1 });
  const sink = sim.trace.addSink(new MemorySink());
  const net = new FlowNetwork(sim);
  const link = net.addLink('migration-link', campaign.linkBytesPerSecond);
  startMigration(sim, net, calibrationRequest(run, campaign), [link]);
  sim.run({ until: run.capSeconds + 60 });
  let origin = 0;
  let throttle = 0;
  const points: SyncPoint[] = [{ count: 1, seconds: 0, throttlePercent: 0 }];
  for (const r of sink.records) {
    if (r.subsystem !== 'kubevirt.migration') continue;
    const data = r.data as { count?: number; percent?: number };
    if (r.kind === 'start') origin = r.timeSeconds;
    else if (r.kind === 'throttle') throttle = data.percent ?? throttle;
    else if (r.kind === 'sync')
      points.push({ count: data.count ?? 0, seconds: r.timeSeconds - origin, throttlePercent: throttle });
  }
  return points;
}

export function readRunSyncs(runs: readonly CalibrationRun[], directory: string): RunSyncs[] {
  return runs.map((run) => {
    const path = join(directory, 'traces', `${run.runId}.jsonl`);
    if (!existsSync(path)) throw new Error(`${path}: missing: the sync comparison reads every trace`);
    return { run, qemu: qemuSyncs(readFileSync(path, 'utf8')), model: modelSyncs(run) };
  });
}

export interface SyncAgreement {
  readonly runs: number;
  /** Syncs compared: the second to the last that both have, pre-copy, before the cap. */
  readonly syncs: number;
  /** Median over those syncs of |model − QEMU| time, relative to QEMU's time since `migrate`. */
  readonly medianRelativeTimeError: number;
  /** Syncs after which model and QEMU throttle the guest alike (auto-converge runs only). */
  readonly throttleAgrees: number;
  readonly throttleSyncs: number;
}

/** Sync-by-sync agreement over runs that completed in QEMU (pre-copy part; post-copy runs: pass 2). */
export function syncAgreement(sets: readonly RunSyncs[]): SyncAgreement {
  const errors: number[] = [];
  let throttleAgrees = 0;
  let throttleSyncs = 0;
  for (const { run, qemu, model } of sets) {
    const last = run.postcopy ? 2 : Math.min(qemu.length, model.length);
    for (const q of qemu) {
      if (q.count < 2 || q.count > last) continue;
      const m = model.find((p) => p.count === q.count);
      if (m === undefined || q.seconds <= 0) continue;
      errors.push(Math.abs(m.seconds - q.seconds) / q.seconds);
      if (run.autoConverge) {
        throttleSyncs += 1;
        if (m.throttlePercent === q.throttlePercent) throttleAgrees += 1;
      }
    }
  }
  return {
    runs: sets.length,
    syncs: errors.length,
    medianRelativeTimeError: errors.length === 0 ? Number.NaN : median(errors),
    throttleAgrees,
    throttleSyncs,
  };
}
