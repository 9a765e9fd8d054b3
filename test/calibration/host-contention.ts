/**
 * How busy the lab machine was during a run: the guest's own lateness (`lag_ms` of its DIRTY
 * reports: how late its 1 ms pacing tick woke, the worst in each second) and, where recorded, the
 * host's 1-minute load average (`host-load.csv` beside results.csv). QEMU runs under TCG on 2 cores;
 * when other work takes them, the guest's vCPU is descheduled, and the paced dirtier drops what it
 * misses beyond its 4 ms catch-up, as under auto-converge: the guest dirties less than asked, and a
 * throttle costs it more than on an idle host.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './qemu-comparison.ts';

export interface HostContention {
  /**
   * Median over the run's migration of the guest's worst tick lateness per second, seconds under an
   * auto-converge throttle left out (a throttle stall makes the tick late by design).
   */
  readonly guestLagMedianMs: number | null;
  readonly load1Mean: number | null;
}

function medianOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : median(values);
}

export function guestLagMedianMs(jsonl: string): number | null {
  const lags: number[] = [];
  let migrating = false;
  let throttled = false;
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line);
    if (record.type === 'query-migrate') {
      migrating = record.r?.status === 'active';
      throttled = (record.r?.['cpu-throttle-percentage'] ?? 0) > 0;
    } else if (
      migrating &&
      !throttled &&
      record.type === 'serial' &&
      record.vm === 'src' &&
      /^DIRTY /.test(record.line)
    ) {
      const lag = /lag_ms=([\d.]+)/.exec(record.line);
      if (lag !== null) lags.push(Number(lag[1]));
    }
  }
  return medianOrNull(lags);
}

/** Per run id, for a run set directory. */
export function readHostContention(
  directory: string,
  runIds: readonly string[],
): Map<string, HostContention> {
  const loads = new Map<string, number>();
  const loadFile = join(directory, 'host-load.csv');
  if (existsSync(loadFile)) {
    const [header, ...lines] = readFileSync(loadFile, 'utf8').trim().split('\n');
    const columns = header.split(',');
    for (const line of lines) {
      const cells = line.split(',');
      loads.set(cells[columns.indexOf('run_id')], Number(cells[columns.indexOf('load1_mean')]));
    }
  }
  const result = new Map<string, HostContention>();
  for (const id of runIds) {
    const trace = readFileSync(join(directory, 'traces', `${id}.jsonl`), 'utf8');
    result.set(id, { guestLagMedianMs: guestLagMedianMs(trace), load1Mean: loads.get(id) ?? null });
  }
  return result;
}
