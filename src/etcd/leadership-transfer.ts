/**
 * Leadership transfer as a client sees it: etcd's `MoveLeader` / `TransferLeadership` ask the leader
 * to transfer and then poll every tick until it sees the new leader, or give up at the request
 * timeout (etcd-io/etcd:server/etcdserver/server.go). A stopping leader picks the voter it has been
 * connected to longest (`longestConnected`).
 */
import type { Event } from '../../sim/index.ts';
import { requestTimeoutMs } from './defaults.ts';
import type { EtcdHost } from './host.ts';
import type { MemberState } from './member.ts';
import type { MemberId } from './raft/message.ts';

export type TransferResult =
  | { readonly ok: true; readonly from: MemberId; readonly to: MemberId; readonly tookMs: number }
  | { readonly ok: false; readonly reason: 'no-leader' | 'target-unavailable' | 'timeout' };

/** Leader transfer and etcd's wait for it: poll every tick until `from` sees `to` as leader. */
export function transferLeadership(host: EtcdHost, from: MemberState, to: MemberId): Event<TransferResult> {
  const result = host.sim.event<TransferResult>();
  const startMs = host.nowMs();
  from.ticks.catchUp();
  from.raft.transferLeadership(to);
  host.flush(from);
  const pollMs = host.defaults.internals.transferPollTicks * host.defaults.timing.heartbeatIntervalMs;
  const deadlineMs = startMs + requestTimeoutMs(host.defaults);
  const check = () => {
    if (from.status === 'running' && from.raft.lead === to) {
      const tookMs = host.nowMs() - startMs;
      host.emit('transfer-done', { member: from.spec.id, to, tookMs });
      result.succeed({ ok: true, from: from.spec.id, to, tookMs });
    } else if (from.status !== 'running' || host.nowMs() >= deadlineMs) {
      result.succeed({ ok: false, reason: 'timeout' });
    } else {
      host.at(pollMs, check);
    }
  };
  host.at(pollMs, check);
  return result;
}

/** `etcdctl move-leader <to>`: the current leader (or null) transfers leadership to `to`. */
export function moveLeader(host: EtcdHost, leader: MemberId | null, to: MemberId): Event<TransferResult> {
  const target = host.member(to);
  if (leader === null) return host.settled<TransferResult>({ ok: false, reason: 'no-leader' });
  if (target.status !== 'running')
    return host.settled<TransferResult>({ ok: false, reason: 'target-unavailable' });
  if (leader === to) return host.settled<TransferResult>({ ok: true, from: to, to, tookMs: 0 });
  return transferLeadership(host, host.member(leader), to);
}

/** etcd `longestConnected`: the running voter whose peer connection is oldest. */
export function longestConnectedPeer(host: EtcdHost, m: MemberState): MemberId | null {
  let best: MemberState | null = null;
  for (const id of host.voters) {
    const p = host.member(id);
    if (id === m.spec.id || p.status !== 'running') continue;
    if (best === null || p.activeSinceMs < best.activeSinceMs) best = p;
  }
  return best === null ? null : best.spec.id;
}
