/**
 * The client write path: a proposal goes to the leader the receiving member knows, is appended there
 * and answered once committed with the term it was proposed in; a put fails at once when the member
 * does not serve clients, and times out otherwise (etcd-io/etcd:server/etcdserver/v3_server.go
 * `processInternalRaftRequestOnce`).
 */
import type { Event } from '../../sim/index.ts';
import { requestTimeoutMs } from './defaults.ts';
import type { EtcdHost } from './host.ts';
import type { MemberState } from './member.ts';
import { type MemberId, NONE } from './raft/message.ts';

export type PutResult =
  | { readonly ok: true; readonly index: number; readonly term: number; readonly latencyMs: number }
  | { readonly ok: false; readonly reason: 'unavailable' | 'timeout'; readonly latencyMs: number };

interface PendingPut {
  readonly ref: number;
  readonly leader: MemberId;
  readonly index: number;
  readonly term: number;
  readonly settle: (result: PutResult) => void;
}

/** Hands a proposal to the leader `via` knows; `accepted` gets the entry's index and term. */
export function propose(
  host: EtcdHost,
  via: MemberState,
  kind: 'put' | 'publish',
  ref: number,
  accepted: (leader: MemberId, index: number, term: number) => void,
): void {
  const lead = via.raft.lead;
  if (via.status !== 'running' || lead === NONE) return;
  const hand = () => {
    const leader = host.member(lead);
    if (leader.status !== 'running') return;
    leader.ticks.catchUp();
    const index = leader.raft.propose(kind, ref);
    if (index > 0) accepted(lead, index, leader.raft.term);
    host.flush(leader);
  };
  if (lead === via.spec.id) hand();
  else host.at(host.forwardMs(), hand);
}

export class ClientPuts {
  private pending: PendingPut[] = [];

  constructor(private readonly host: EtcdHost) {}

  /**
   * A client write through member `via`: forwarded to the leader, answered when committed, failed
   * when `via` does not serve clients or at the timeout (default: etcd's request timeout).
   */
  put(via: MemberId, options: { timeoutMs?: number } = {}): Event<PutResult> {
    const host = this.host;
    const m = host.member(via);
    const startMs = host.nowMs();
    const result = host.sim.event<PutResult>();
    let settled = false;
    const settle = (r: PutResult) => {
      if (settled) return;
      settled = true;
      result.succeed(r);
    };
    if (!host.canServe(m)) {
      settle({ ok: false, reason: 'unavailable', latencyMs: 0 });
      return result;
    }
    host.at(options.timeoutMs ?? requestTimeoutMs(host.defaults), () =>
      settle({ ok: false, reason: 'timeout', latencyMs: host.nowMs() - startMs }),
    );
    const ref = host.nextRef();
    propose(host, m, 'put', ref, (leader, index, term) => {
      this.pending.push({
        ref,
        leader,
        index,
        term,
        settle: (r) => settle(r.ok ? { ...r, latencyMs: host.nowMs() - startMs } : r),
      });
    });
    return result;
  }

  /** No put waits for its commit. */
  idle(): boolean {
    return this.pending.length === 0;
  }

  /** Answers the puts `m` leads whose entries have committed; the answer travels back to the client. */
  settle(m: MemberState): void {
    if (this.pending.length === 0 || m.status !== 'running') return;
    const log = m.raft.log;
    const id = m.spec.id;
    const remaining: PendingPut[] = [];
    for (const p of this.pending) {
      if (p.leader !== id || log.committed < p.index) remaining.push(p);
      else if (log.term(p.index) === p.term) {
        const result: PutResult = { ok: true, index: p.index, term: p.term, latencyMs: 0 };
        this.host.at(this.host.forwardMs(), () => p.settle(result));
      }
      // An overwritten entry is never acknowledged; the client times out.
    }
    this.pending = remaining;
  }
}
