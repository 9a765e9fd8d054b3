import { createHash, type Hash } from 'node:crypto';

/**
 * One trace record: when, which subsystem, what kind of thing happened, and its data. The domain
 * layers narrow `kind` and `data` into typed unions; the kernel only moves records to sinks.
 */
export interface TraceRecord<K extends string = string, D = Record<string, unknown>> {
  timeSeconds: number;
  subsystem: string;
  kind: K;
  data: D;
}

export interface TraceSink {
  write(record: TraceRecord<string, unknown>): void;
}

/**
 * Sends records to sinks. With no sink attached `enabled` is false and models skip building records,
 * so tracing costs one property read when off.
 */
export class Tracer {
  private sinks: TraceSink[] = [];
  enabled = false;

  constructor(private readonly clock: () => number) {}

  addSink<S extends TraceSink>(sink: S): S {
    this.sinks.push(sink);
    this.enabled = true;
    return sink;
  }

  removeSink(sink: TraceSink): void {
    this.sinks = this.sinks.filter((s) => s !== sink);
    this.enabled = this.sinks.length > 0;
  }

  emit<D>(subsystem: string, kind: string, data: D): void {
    if (!this.enabled) return;
    const record: TraceRecord<string, D> = { timeSeconds: this.clock(), subsystem, kind, data };
    for (const sink of this.sinks) sink.write(record);
  }
}

/** Keeps every record in memory (tests, evaluation of one run). */
export class MemorySink implements TraceSink {
  readonly records: TraceRecord<string, any>[] = [];
  write(record: TraceRecord<string, unknown>): void {
    this.records.push(record);
  }
}

/** Hashes the canonical JSON of every record: equal hashes mean byte-identical traces. */
export class HashSink implements TraceSink {
  private readonly hash: Hash = createHash('sha256');
  count = 0;
  write(record: TraceRecord<string, unknown>): void {
    this.hash.update(canonicalJson(record));
    this.hash.update('\n');
    this.count++;
  }
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

/** Writes one canonical JSON line per record through the function given (a file, stdout). */
export class JsonLinesSink implements TraceSink {
  constructor(private readonly writeLine: (line: string) => void) {}
  write(record: TraceRecord<string, unknown>): void {
    this.writeLine(canonicalJson(record));
  }
}

/** The stable hash of a list of records, the same as a HashSink that saw them. */
export function traceHash(records: readonly TraceRecord<string, unknown>[]): string {
  const sink = new HashSink();
  for (const record of records) sink.write(record);
  return sink.digest();
}

/** JSON with object keys sorted at every level, so equal values give equal bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    if (v instanceof Map) return Object.fromEntries([...v.entries()].sort(byKey));
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

function byKey(a: [unknown, unknown], b: [unknown, unknown]): number {
  const x = String(a[0]);
  const y = String(b[0]);
  return x < y ? -1 : x > y ? 1 : 0;
}
