import type { Entry } from './message.ts';

/**
 * The replicated log: entries 1..lastIndex and the commit index. Raft §5.3 (log matching) and §5.4.1
 * (election restriction); etcd-io/raft log.go (`raftLog`). No compaction or snapshots.
 */
export class RaftLog {
  private readonly entries: Entry[];
  committed: number;

  constructor(entries: readonly Entry[] = [], committed = 0) {
    this.entries = entries.slice();
    this.committed = committed;
  }

  get lastIndex(): number {
    return this.entries.length;
  }

  get lastTerm(): number {
    return this.term(this.lastIndex);
  }

  /** Term of the entry at `index`; 0 for index 0, -1 when there is no such entry. */
  term(index: number): number {
    if (index === 0) return 0;
    const entry = this.entries[index - 1];
    return entry === undefined ? -1 : entry.term;
  }

  entry(index: number): Entry | undefined {
    return this.entries[index - 1];
  }

  /** Entries from `index` (1-based) to the end. */
  from(index: number): Entry[] {
    return this.entries.slice(Math.max(index, 1) - 1);
  }

  /** A copy of every entry, for persisting. */
  all(): Entry[] {
    return this.entries.slice();
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

  append(entry: Entry): number {
    this.entries.push(entry);
    return this.lastIndex;
  }

  /**
   * Follower side of AppendEntries (Raft Figure 2, receiver rules 2-4): if the log holds an entry at
   * `prevIndex` with `prevTerm`, delete conflicting entries and append the new ones; returns the last
   * new index, or -1 when the consistency check fails.
   */
  maybeAppend(prevIndex: number, prevTerm: number, entries: readonly Entry[]): number {
    if (!this.matchTerm(prevIndex, prevTerm)) return -1;
    for (let i = 0; i < entries.length; i++) {
      const index = prevIndex + 1 + i;
      const existing = this.term(index);
      if (existing === entries[i].term) continue;
      if (index <= this.committed) throw new Error(`entry ${index} conflicts with committed entry`);
      this.entries.length = index - 1;
      for (let j = i; j < entries.length; j++) this.entries.push(entries[j]);
      break;
    }
    return prevIndex + entries.length;
  }

  /** Raises the commit index, never lowers it (Raft Figure 2: "commitIndex = min(leaderCommit, ...)"). */
  commitTo(index: number): boolean {
    const target = Math.min(index, this.lastIndex);
    if (target <= this.committed) return false;
    this.committed = target;
    return true;
  }
}
