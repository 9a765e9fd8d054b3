/**
 * Quorum as clients see it: who leads, whether a leader has a majority running, and the moments it
 * is lost and regained (trace records `quorum-lost` / `quorum-regained`, and `whenQuorum` waiters).
 */
import type { Event } from '../../sim/index.ts';
import type { EtcdHost } from './host.ts';
import type { MemberState } from './member.ts';
import { type MemberId, NONE } from './raft/message.ts';
import { quorumSize } from './raft/quorum.ts';

export class QuorumWatch {
  private waiters: { up: boolean; event: Event<void> }[] = [];
  private up = false;
  /** What the trace last said (quorum-regained: true, quorum-lost: false). */
  private recordedUp = false;
  /** The leader was handing over leadership at the last check with quorum. */
  private transferring = false;

  constructor(private readonly host: EtcdHost) {}

  /** The running leader with the highest term, or null. */
  leader(): MemberId | null {
    let best: MemberState | null = null;
    for (const m of this.host.members.values()) {
      if (
        m.status === 'running' &&
        m.raft.role === 'leader' &&
        (best === null || m.raft.term > best.raft.term)
      )
        best = m;
    }
    return best === null ? null : best.spec.id;
  }

  /**
   * A leader whose term no running member it reaches has passed, with a majority of the voters
   * running and reachable from it (under a partition, what is cut off from the leader neither
   * counts for its quorum nor deposes it until the partition heals).
   */
  hasQuorum(): boolean {
    const leader = this.leader();
    if (leader === null) return false;
    const term = this.host.member(leader).raft.term;
    let running = 0;
    for (const m of this.host.members.values()) {
      if (m.status !== 'running' || !this.host.reaches(leader, m.spec.id)) continue;
      if (m.raft.term > term) return false;
      running++;
    }
    return running >= quorumSize(this.host.voters.length);
  }

  /** Writes can commit now: quorum and no leadership transfer (which drops proposals). */
  canWrite(): boolean {
    const leader = this.leader();
    return this.hasQuorum() && leader !== null && this.host.member(leader).raft.leadTransferee === NONE;
  }

  /** Succeeds when `hasQuorum()` is `up` (at once if it already is). */
  whenQuorum(up: boolean): Event<void> {
    const event = this.host.sim.event<void>();
    if (this.hasQuorum() === up) event.succeed();
    else this.waiters.push({ up, event });
    return event;
  }

  /** Records and announces a change of `hasQuorum()` since the last check. */
  check(): void {
    const up = this.hasQuorum();
    if (up === this.up) {
      if (up) this.transferring = this.leaderTransferring();
      return;
    }
    this.up = up;
    if (up || !this.transferring) this.record();
    else this.confirmLossAfterTransfer();
    this.transferring = false;
    const waiting = this.waiters;
    this.waiters = waiting.filter((w) => w.up !== up);
    for (const w of waiting) if (w.up === up) w.event.succeed();
  }

  private leaderTransferring(): boolean {
    const leader = this.leader();
    return leader !== null && this.host.member(leader).raft.leadTransferee !== NONE;
  }

  /**
   * A leadership transfer hands the lead from one member to the next within milliseconds; the
   * majority runs throughout, so it is not a quorum loss (issue 11: it showed as "etcd quorum lost"
   * and "regained" at one instant). The loss is recorded only if no leader has quorum an election
   * timeout later, when etcd raft abandons the transfer (`abortLeaderTransfer` after electionTimeout).
   */
  private confirmLossAfterTransfer(): void {
    this.host.at(this.host.defaults.timing.electionTimeoutMs, () => {
      if (!this.up) this.record();
    });
  }

  /** Writes quorum-regained or quorum-lost when the state differs from what the trace last said. */
  private record(): void {
    if (this.up === this.recordedUp) return;
    this.recordedUp = this.up;
    const running = this.host.voters.filter((id) => this.host.member(id).status === 'running');
    const leader = this.leader();
    if (this.up && leader !== null)
      this.host.emit('quorum-regained', { leader, term: this.host.member(leader).raft.term, running });
    else this.host.emit('quorum-lost', { leader, running });
  }
}
