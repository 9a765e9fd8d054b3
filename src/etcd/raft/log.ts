import type { Entry, EntryKind } from './message.ts';

/** Consecutive indexes `first..last` of one term and kind: one entry, or a run of write-load entries. */
interface Run {
  readonly term: number;
  readonly kind: EntryKind;
  readonly ref: number;
  readonly first: number;
  last: number;
}

/** How many log indexes an entry covers: 1, or its `count` for a batch of the cluster's writes. */
export function entryCount(entry: Entry): number {
  return entry.count ?? 1;
}

/**
 * The replicated log: entries 1..lastIndex and the commit index. Raft §5.3 (log matching) and §5.4.1
 * (election restriction); etcd-io/raft log.go (`raftLog`). No compaction or snapshots.
 *
 * Stored as runs: the cluster's write load (one index per write, `src/etcd/write-load.ts`) arrives in
 * batches and consecutive batches of one term share a run, so a log of millions of indexes costs a
 * few objects per term. Raft's log matching property (same index and term, same entry) is what makes
 * comparing runs by term exact.
 */
export class RaftLog {
  private runs: Run[] = [];
  committed: number;
  /** Bumped by every change of the entries: `from`'s last answer stands while it is unchanged. */
  private version = 0;
  private fromCache: { index: number; version: number; entries: Entry[] } | null = null;

  constructor(entries: readonly Entry[] = [], committed = 0) {
    for (const entry of entries) this.append(entry);
    this.committed = committed;
  }

  get lastIndex(): number {
    const n = this.runs.length;
    return n === 0 ? 0 : this.runs[n - 1].last;
  }

  get lastTerm(): number {
    const n = this.runs.length;
    return n === 0 ? 0 : this.runs[n - 1].term;
  }

  /** Position of the run holding `index`, or -1. */
  private find(index: number): number {
    const runs = this.runs;
    if (index < 1 || index > this.lastIndex) return -1;
    let lo = 0;
    let hi = runs.length - 1;
    if (runs[hi].first <= index) return hi;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid].first <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Term of the entry at `index`; 0 for index 0, -1 when there is no such entry. */
  term(index: number): number {
    if (index === 0) return 0;
    const i = this.find(index);
    return i < 0 ? -1 : this.runs[i].term;
  }

  /** The entry at `index` (one index of a run stands for itself). */
  entry(index: number): Entry | undefined {
    const i = this.find(index);
    if (i < 0) return undefined;
    const run = this.runs[i];
    return { term: run.term, kind: run.kind, ref: run.ref };
  }

  /**
   * Entries from `index` (1-based) to the end; a run cut at `index` gives a shorter batch. Read-only:
   * the same list is handed out again while the log has not changed (a leader's beat sends the same
   * entries to every follower that lacks them).
   */
  from(index: number): readonly Entry[] {
    const cache = this.fromCache;
    if (cache !== null && cache.index === index && cache.version === this.version) return cache.entries;
    const entries = this.slice(index);
    if (cache === null) this.fromCache = { index, version: this.version, entries };
    else {
      cache.index = index;
      cache.version = this.version;
      cache.entries = entries;
    }
    return entries;
  }

  private slice(index: number): Entry[] {
    const start = Math.max(index, 1);
    const i = this.find(start);
    if (i < 0) return [];
    // Usually one run (what a follower lacks since the last beat): a literal sized for it, then push.
    const head = this.runs[i];
    const out: Entry[] = [{ term: head.term, kind: head.kind, ref: head.ref, count: head.last - start + 1 }];
    for (let j = i + 1; j < this.runs.length; j++) {
      const run = this.runs[j];
      out.push({ term: run.term, kind: run.kind, ref: run.ref, count: run.last - run.first + 1 });
    }
    return out;
  }

  /** A copy of every entry, for persisting. */
  all(): Entry[] {
    return this.slice(1);
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /**
   * Raft §5.4.1: "If the logs have last entries with different terms, then the log with the later term
   * is more up-to-date. If the logs end with the same term, then whichever log is longer is more
   * up-to-date." (etcd-io/raft log.go `isUpToDate`).
   */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    return lastTerm > this.lastTerm || (lastTerm === this.lastTerm && lastIndex >= this.lastIndex);
  }

  /** Appends `entry` (its `count` indexes) after the last; returns the new last index. */
  append(entry: Entry): number {
    return this.appendFields(entry.term, entry.kind, entry.ref, entryCount(entry));
  }

  /** `append` of an entry given by its fields (a leader's own append builds no entry object). */
  appendFields(term: number, kind: EntryKind, ref: number, count: number): number {
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`entry count must be a positive integer, got ${count}`);
    this.version++;
    const last = this.runs[this.runs.length - 1];
    // Entries of kind 'writes' stand for many log indexes and extend a run of the same term.
    if (last !== undefined && kind === 'writes' && last.kind === 'writes' && last.term === term)
      last.last += count;
    else {
      const first = this.lastIndex + 1;
      this.runs.push({ term, kind, ref, first, last: first + count - 1 });
    }
    return this.lastIndex;
  }

  /** Drops every entry after `index`. */
  private truncateAfter(index: number): void {
    this.version++;
    while (this.runs.length > 0 && this.runs[this.runs.length - 1].first > index) this.runs.pop();
    const last = this.runs[this.runs.length - 1];
    if (last !== undefined && last.last > index) last.last = index;
  }

  /**
   * Follower side of AppendEntries (Raft Figure 2, receiver rules 2-4): if the log holds an entry at
   * `prevIndex` with `prevTerm`, delete conflicting entries and append the new ones; returns the last
   * new index, or -1 when the consistency check fails.
   */
  maybeAppend(prevIndex: number, prevTerm: number, entries: readonly Entry[]): number {
    if (!this.matchTerm(prevIndex, prevTerm)) return -1;
    let index = prevIndex + 1;
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k];
      const end = index + entryCount(e) - 1;
      // The first index of this entry where our log differs (another term, or no entry).
      let c = index;
      while (c <= end) {
        const i = this.find(c);
        if (i < 0 || this.runs[i].term !== e.term) break;
        c = Math.min(this.runs[i].last, end) + 1;
      }
      if (c <= end) {
        if (c <= this.lastIndex) {
          if (c <= this.committed) throw new Error(`entry ${c} conflicts with committed entry`);
          this.truncateAfter(c - 1);
        }
        // A batch of writes cut where the logs differ (all of it when none of it is here yet).
        this.append(e.kind === 'writes' && c !== index ? { ...e, count: end - c + 1 } : e);
        for (let j = k + 1; j < entries.length; j++) this.append(entries[j]);
        return this.lastIndex;
      }
      index = end + 1;
    }
    return index - 1;
  }

  /** Raises the commit index, never lowers it (Raft Figure 2: "commitIndex = min(leaderCommit, ...)"). */
  commitTo(index: number): boolean {
    const target = Math.min(index, this.lastIndex);
    if (target <= this.committed) return false;
    this.committed = target;
    return true;
  }
}
