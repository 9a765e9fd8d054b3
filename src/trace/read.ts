import { isKnownRecord } from './catalogue.ts';
import type { AnyRecord, Trace } from './record.ts';

/** A trace file line that is not a record of the contract. */
export class TraceReadError extends Error {}

/**
 * Reads a trace written as JSON lines (`evaluate --trace`, or an observed run) into typed records.
 * Each line must be `{ timeSeconds, subsystem, kind, data }` with a subsystem and kind of the
 * contract (docs/trace.md) and times that do not go back. Blank lines are skipped.
 */
export function parseTrace(text: string, file: string): Trace {
  const records: AnyRecord[] = [];
  let lastSeconds = Number.NEGATIVE_INFINITY;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new TraceReadError(
        `${where}: expected a JSON record, found ${excerpt(line)} (${(error as Error).message})`,
      );
    }
    const record = value as Record<string, unknown>;
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new TraceReadError(`${where}: expected a JSON object, found ${excerpt(line)}`);
    const { timeSeconds, subsystem, kind, data } = record;
    if (typeof timeSeconds !== 'number' || !Number.isFinite(timeSeconds))
      throw new TraceReadError(
        `${where}: timeSeconds: expected a finite number, found ${JSON.stringify(timeSeconds)}`,
      );
    if (timeSeconds < lastSeconds)
      throw new TraceReadError(
        `${where}: timeSeconds: expected ≥ ${lastSeconds} (records in time order), found ${timeSeconds}`,
      );
    if (typeof subsystem !== 'string' || typeof kind !== 'string' || !isKnownRecord(subsystem, kind))
      throw new TraceReadError(
        `${where}: subsystem/kind: expected a record kind of the trace contract (docs/trace.md), found ${JSON.stringify(subsystem)}/${JSON.stringify(kind)}`,
      );
    if (data === null || typeof data !== 'object' || Array.isArray(data))
      throw new TraceReadError(`${where}: data: expected an object, found ${JSON.stringify(data)}`);
    lastSeconds = timeSeconds;
    records.push(record as unknown as AnyRecord);
  }
  return records;
}

function excerpt(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
