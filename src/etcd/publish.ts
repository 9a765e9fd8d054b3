/**
 * etcd `publish` (v3.5: `publishV3`, etcd-io/etcd:server/etcdserver/server.go): after each start the
 * member proposes its attributes through Raft and serves clients only once that entry has committed
 * and reached it; an attempt times out after the request timeout and is retried.
 */
import type { Event } from '../../sim/index.ts';
import { requestTimeoutMs } from './defaults.ts';
import type { EtcdHost } from './host.ts';
import type { MemberState } from './member.ts';
import { propose } from './proposals.ts';
import { type MemberId, NONE } from './raft/message.ts';

export class Publish {
  private waiters: { id: MemberId; event: Event<void> }[] = [];

  constructor(private readonly host: EtcdHost) {}

  /** Succeeds when member `id` serves clients (at once if it does). */
  whenReady(id: MemberId): Event<void> {
    const event = this.host.sim.event<void>();
    if (this.host.canServe(this.host.member(id))) event.succeed();
    else this.waiters.push({ id, event });
    return event;
  }

  /** After each Ready of `m`: is its publish entry applied, or is a (new) attempt due? */
  progress(m: MemberState): void {
    const host = this.host;
    if (m.status !== 'running' || m.ready) return;
    const p = m.publish;
    if (p !== null && p.index > 0 && m.raft.log.committed >= p.index) {
      const entry = m.raft.log.entry(p.index);
      if (entry !== undefined && entry.kind === 'publish' && entry.ref === p.ref) {
        m.ready = true;
        m.publish = null;
        host.emit('member-ready', { member: m.spec.id, term: m.raft.term });
        const waiting = this.waiters;
        this.waiters = waiting.filter((w) => w.id !== m.spec.id);
        for (const w of waiting) if (w.id === m.spec.id) w.event.succeed();
        return;
      }
      m.publish = null;
    }
    if (m.publish !== null && host.nowMs() - m.publish.sentMs < requestTimeoutMs(host.defaults)) return;
    if (m.raft.lead === NONE) {
      m.publish = null;
      return;
    }
    const attempt = { ref: host.nextRef(), index: 0, sentMs: host.nowMs() };
    m.publish = attempt;
    propose(host, m, 'publish', attempt.ref, (_leader, index) => {
      attempt.index = index;
    });
  }
}
