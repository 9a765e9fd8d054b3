/**
 * The replay journal: append-only JSON lines, each entry flushed to disk (fsync) before the step it
 * announces changes anything. It holds what the procedure must restore (recorded values), which
 * steps started and finished, and which nodes the replay powered off, so `--resume` continues
 * without repeating a finished step and `--restore` puts back every recorded value. It never holds
 * a token, certificate or kubeconfig content: only the API server's URL.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

export type JournalEntry =
  | {
      type: 'begin';
      plan: string;
      planFile: string;
      scenarioFile: string;
      server: string;
      trace: string;
      timeScale: number;
      startedAtMs: number;
      /** etcd client URLs found at the start, so a resume needs no API to reach etcd. */
      etcdEndpoints: string[] | null;
    }
  | { type: 'recorded'; key: string; value: string }
  | { type: 'step.start'; index: number; id: string }
  | { type: 'step.done'; index: number; id: string; ok: boolean; detail: string }
  | { type: 'node.off'; node: string }
  | { type: 'node.on'; node: string }
  | { type: 'plan.done'; ok: boolean; reason: string }
  | { type: 'restore.start' }
  | { type: 'restored'; key: string; value: string }
  | { type: 'restore.done' };

export type Stamped = JournalEntry & { seq: number; at: string };

export class Journal {
  private readonly fd: number;
  private readonly entries: Stamped[];

  private constructor(
    readonly path: string,
    entries: Stamped[],
  ) {
    this.entries = entries;
    this.fd = openSync(path, 'a');
  }

  /** A new journal; refuses to overwrite one. */
  static create(path: string): Journal {
    if (existsSync(path) && readFileSync(path, 'utf8').trim() !== '')
      throw new Error(`${path}: a journal already exists; use --resume ${path} or --restore ${path}`);
    return new Journal(path, []);
  }

  /** An existing journal; a torn line (the process died while writing it) is ignored and terminated. */
  static open(path: string): Journal {
    if (!existsSync(path)) throw new Error(`${path}: no such journal`);
    const lines = readFileSync(path, 'utf8').split('\n');
    const entries: Stamped[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        entries.push(JSON.parse(line) as Stamped);
      } catch {
        // A torn write of a killed replay (each entry is one write): it never took effect.
      }
    }
    const journal = new Journal(path, entries);
    // Terminate a torn line so the next entry starts on its own line.
    const text = readFileSync(path, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) writeSync(journal.fd, '\n');
    return journal;
  }

  all(): readonly Stamped[] {
    return this.entries;
  }

  begin(): Extract<JournalEntry, { type: 'begin' }> {
    const first = this.entries[0];
    if (first?.type !== 'begin')
      throw new Error(`${this.path}: the journal does not start with a begin entry`);
    return first;
  }

  /** Appends one entry and flushes it to disk before returning. */
  append(entry: JournalEntry): void {
    const stamped = { ...entry, seq: this.entries.length, at: new Date().toISOString() } as Stamped;
    writeSync(this.fd, `${JSON.stringify(stamped)}\n`);
    fsyncSync(this.fd);
    this.entries.push(stamped);
  }

  recorded(): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of this.entries) if (e.type === 'recorded' && !out.has(e.key)) out.set(e.key, e.value);
    return out;
  }

  restored(): Set<string> {
    return new Set(this.entries.flatMap((e) => (e.type === 'restored' ? [e.key] : [])));
  }

  done(index: number): boolean {
    return this.entries.some((e) => e.type === 'step.done' && e.index === index && e.ok);
  }

  planDone(): boolean {
    return this.entries.some((e) => e.type === 'plan.done');
  }

  /** Nodes the replay powered off, in order, and not powered on since. */
  poweredOff(): string[] {
    const off: string[] = [];
    for (const e of this.entries) {
      if (e.type === 'node.off' && !off.includes(e.node)) off.push(e.node);
      if (e.type === 'node.on') off.splice(off.indexOf(e.node) >>> 0, off.includes(e.node) ? 1 : 0);
    }
    return off;
  }

  /** The last node the replay powered off (the KB's "last shutdown node"). */
  lastPoweredOff(): string | null {
    const offs = this.entries.filter((e) => e.type === 'node.off');
    const last = offs[offs.length - 1];
    return last?.type === 'node.off' ? last.node : null;
  }

  close(): void {
    closeSync(this.fd);
  }
}
