/**
 * An etcd member's process: start (Raft runs after a start delay), logical ticks every heartbeat
 * interval, `adjustTicks` and the peer prober while it runs, graceful stop (a leader transfers
 * first) and power loss.
 */
import type { Event } from '../../sim/index.ts';
import type { StopKind } from '../trace/etcd.ts';
import type { Wakeable } from './coast.ts';
import { electionTicks } from './defaults.ts';
import type { EtcdHost } from './host.ts';
import { longestConnectedPeer, transferLeadership } from './leadership-transfer.ts';
import { type MemberState, roleAtStop, type TickDriver } from './member.ts';
import { type MemberId, NONE } from './raft/message.ts';
import { dialErrorText } from './records.ts';

export class MemberLifecycle {
  constructor(
    private readonly host: EtcdHost,
    /** Told when a member exits: quorum may be lost. */
    private readonly exited: () => void,
  ) {}

  /** Starts a stopped member's process; Raft runs after `startDelayMs` (default: environment range). */
  start(id: MemberId, options: { startDelayMs?: number } = {}): void {
    const host = this.host;
    const m = host.member(id);
    if (m.status !== 'down') throw new Error(`etcd member ${id} is ${m.status}, not down`);
    // Messages on their way reach it from now on (the accept backlog): the cluster no longer coasts.
    host.touchAndLeave();
    const { min, max } = host.defaults.environment.processStartMs;
    const delayMs = options.startDelayMs ?? host.rng.uniform(min, max);
    m.status = 'starting';
    m.hostReachable = true;
    const incarnation = ++m.incarnation;
    host.emit('member-start', { member: id, node: m.spec.node, startDelayMs: delayMs });
    host.at(delayMs, () => {
      if (m.incarnation === incarnation) this.run(m);
    });
  }

  /**
   * SIGTERM: a leader first hands leadership to the longest-connected voter and waits for it (polling
   * every tick, etcd `MoveLeader`), then stops; others stop at once (etcd-io/etcd server.go `Stop`,
   * `TransferLeadership`). The event succeeds when the member is gone.
   */
  stopGraceful(id: MemberId, options: { thenPowerOff?: boolean } = {}): Event<void> {
    const host = this.host;
    const m = host.member(id);
    const done = host.sim.event<void>();
    const finish = () => {
      this.exit(m, 'graceful');
      if (options.thenPowerOff) m.hostReachable = false;
      done.succeed();
    };
    host.emit('member-stop', { member: id, how: 'graceful', role: roleAtStop(m) });
    if (m.status !== 'running' || m.raft.role !== 'leader' || host.voters.length === 1) {
      finish();
      return done;
    }
    const to = longestConnectedPeer(host, m);
    if (to === null) {
      finish();
      return done;
    }
    transferLeadership(host, m, to).addCallback(() => finish());
    return done;
  }

  /** Power loss or SIGKILL: the member stops at once and its host no longer answers. */
  powerLoss(id: MemberId): void {
    const m = this.host.member(id);
    this.host.emit('member-stop', { member: id, how: 'power-loss', role: roleAtStop(m) });
    this.exit(m, 'power-loss');
    m.hostReachable = false;
  }

  private run(m: MemberState): void {
    const host = this.host;
    m.raft = host.newRaft(m.spec.id, m.rng, m.raft);
    m.status = 'running';
    m.activeSinceMs = host.nowMs();
    m.ready = false;
    m.publish = null;
    host.emit('member-running', { member: m.spec.id, term: m.raft.term, lastIndex: m.raft.log.lastIndex });
    const incarnation = m.incarnation;
    const alive = () => m.incarnation === incarnation && m.status === 'running';
    const heartbeatS = host.defaults.timing.heartbeatIntervalMs / 1000;
    const firstTickS = m.rng.uniform(0, heartbeatS);
    m.ticks = new Ticks(host, m, incarnation, host.sim.now + firstTickS, heartbeatS);
    m.ticks.arm();
    this.adjustTicks(m, alive);
    for (const peer of host.voters) if (peer !== m.spec.id) this.probe(m, peer, alive);
    host.flush(m);
    const queued = m.inbox;
    m.inbox = [];
    for (const msg of queued) host.deliver(msg);
  }

  private exit(m: MemberState, how: StopKind): void {
    if (m.status === 'down') return;
    this.host.touchAndLeave();
    m.ticks.catchUp();
    this.host.releaseAnswers(m);
    const wasRunning = m.status === 'running';
    m.status = 'down';
    m.incarnation++;
    m.ready = false;
    m.publish = null;
    m.inbox = [];
    if (wasRunning) this.host.emit('member-exit', { member: m.spec.id, how });
    this.exited();
  }

  /**
   * etcd `adjustTicks` (initial-election-tick-advance): a single voter advances ElectionTicks-1 at
   * once; otherwise poll for active peers and, once more than one is active, advance ElectionTicks-2.
   * Nothing happens if that does not occur within rafthttp.ConnReadTimeout.
   */
  private adjustTicks(m: MemberState, alive: () => boolean): void {
    const host = this.host;
    const ticks = electionTicks(host.defaults.timing);
    if (host.voters.length === 1) {
      this.advanceTicks(m, ticks - 1, 0);
      return;
    }
    if (!host.defaults.timing.initialElectionTickAdvance) return;
    const { adjustTicksPollMs, adjustTicksWaitMs, adjustTicksAdvanceBelowElection } = host.defaults.internals;
    const polls = Math.floor(adjustTicksWaitMs / adjustTicksPollMs);
    let poll = 0;
    const check = () => {
      if (!alive()) return;
      const active = host.voters.filter(
        (id) => id !== m.spec.id && host.member(id).status === 'running',
      ).length;
      if (active > 1) {
        this.advanceTicks(m, ticks - adjustTicksAdvanceBelowElection, active);
        return;
      }
      if (++poll < polls) host.at(adjustTicksPollMs, check);
    };
    host.at(adjustTicksPollMs, check);
  }

  private advanceTicks(m: MemberState, ticks: number, activePeers: number): void {
    this.host.emit('ticks-advanced', { member: m.spec.id, ticks, activePeers });
    m.ticks.catchUp();
    for (let i = 0; i < ticks; i++) m.raft.tick();
    this.host.flush(m);
  }

  /** rafthttp `monitorProbingStatus`: an unreachable peer is logged every statusErrorInterval. */
  private probe(m: MemberState, peer: MemberId, alive: () => boolean): void {
    const host = this.host;
    const { proberErrorIntervalMs, proberMonitoringIntervalMs, peerPort } = host.defaults.internals;
    const check = () => {
      if (!alive()) return;
      const p = host.member(peer);
      if (p.status === 'running') {
        host.at(proberMonitoringIntervalMs, check);
        return;
      }
      host.emit('prober-unhealthy', {
        member: m.spec.id,
        remotePeerId: peer,
        roundTripperName: 'ROUND_TRIPPER_RAFT_MESSAGE',
        rtt: '0s',
        error: dialErrorText(p.spec.address ?? p.spec.node, peerPort, p.hostReachable),
        message: 'prober detected unhealthy status',
      });
      host.at(proberErrorIntervalMs, check);
    };
    host.at(proberErrorIntervalMs, check);
  }
}

/**
 * A running member's logical clock: a tick every heartbeat interval from a random first tick (etcd
 * `raftNode.start`: `r.ticker.C` → `r.tick()`), each followed by handling the Ready.
 *
 * A follower (or candidate) that serves clients does nothing at a tick but count towards its
 * election timeout (etcd raft `tickElection`); its Ready is then empty and nothing after it reads
 * the clock (`publish` retries only before the member serves, and only with a leader known: so a
 * member that does not serve yet and knows no leader is the same). Such ticks are not kernel events:
 * they are counted when something next steps the state machine (a message, `adjustTicks`), at the
 * times and in the order they would have run, and the member is woken at the tick where its
 * election timeout would fire if no message came. A leader, and a member that does not yet serve
 * but knows a leader, tick every interval: as kernel events, or, while the cluster coasts, as
 * entries of the host's coast queue (host.ts).
 */
class Ticks implements TickDriver, Wakeable {
  /** Time (s) of the next tick not yet taken: each is the previous plus the interval, as the kernel adds. */
  private next: number;
  /** Time of the armed wake-up (Infinity: none); `token` tells a later arming from a stale one. */
  private armedAt = Number.POSITIVE_INFINITY;
  private token = 0;

  constructor(
    private readonly host: EtcdHost,
    private readonly m: MemberState,
    /** The run this driver ticks for: a later start or stop of the member makes it inert. */
    private readonly incarnation: number,
    firstTickAt: number,
    private readonly intervalS: number,
  ) {
    this.next = firstTickAt;
  }

  private alive(): boolean {
    return this.m.incarnation === this.incarnation && this.m.status === 'running';
  }

  /**
   * Ticks may be skipped: a non-leader's Ready after a tick is empty unless its election timer fires,
   * and nothing after it reads the clock when the member serves, or when it does not serve yet but
   * knows no leader (`publish` then has no attempt and waits for one: publish.ts).
   */
  private quiet(): boolean {
    const host = this.host;
    const m = this.m;
    if (!host.steady || host.listenersDue || m.raft.role === 'leader') return false;
    return m.ready || (m.raft.lead === NONE && m.publish === null);
  }

  catchUp(): void {
    const host = this.host;
    host.settle();
    if (!this.alive()) return;
    host.stepAnswers(this.m);
    const raft = this.m.raft;
    const now = host.time();
    let taken = 0;
    while (this.next < now && raft.electionElapsed + 1 < raft.randomizedElectionTimeout) {
      raft.tick();
      this.next += this.intervalS;
      taken++;
    }
    // A member that does not serve ticked as kernel events before its ticks were skipped: each
    // still counts as the event it stands for (a serving member's skipped ticks never were events).
    if (taken > 0 && !this.m.ready) host.sim.eventCount += taken;
  }

  arm(): void {
    if (!this.alive()) return;
    let at = this.next;
    const quiet = this.quiet();
    if (quiet) {
      // tickElection fires at the tick where electionElapsed reaches randomizedElectionTimeout:
      // `k` intervals on, each added as the kernel adds. The sum only grows, so a wake already armed
      // no later than its product's estimate less any rounding stays (a follower's usual case: each
      // heartbeat moves its fire tick one interval later), without the additions. Each addition
      // rounds by at most half an ulp of a partial sum no larger than the last (EPSILON / 2 of it),
      // and the estimate itself by two: (k + 2) * EPSILON of the sum bounds them all.
      const raft = this.m.raft;
      const k = raft.randomizedElectionTimeout - raft.electionElapsed - 1;
      const interval = this.intervalS;
      const span = Math.abs(at) + Math.abs(k) * interval;
      if (this.armedAt <= at + k * interval - span * (Math.abs(k) + 2) * Number.EPSILON) return;
      for (let j = k; j > 0; j--) at += interval;
    }
    if (at >= this.armedAt) return;
    this.armedAt = at;
    // The event carries its token, doubled, plus 1 when it is the skipping wake of a member that does
    // not serve (see `wake`): one callback for every arming, no closure each.
    this.host.wakeAt(at, this, ++this.token * 2 + (quiet && !this.m.ready ? 1 : 0));
  }

  beatDue(value: number, at: number): boolean {
    return value >>> 1 === this.token && this.alive() && this.next === at;
  }

  beatTaken(): void {
    // What `wake` does around the tick: the armed wake is spent, the next tick one interval on.
    this.armedAt = Number.POSITIVE_INFINITY;
    this.next = this.next + this.intervalS;
  }

  readonly woken = (e: Event<number>): void => this.wake(e.value as number);

  wake(value: number): void {
    const host = this.host;
    // The coast first: a replayed arming may have made this wake a stale one.
    host.settle();
    const token = value >>> 1;
    if (token !== this.token) {
      // A member that does not serve had a tick event at every tick, none stale: a stale skipping
      // wake stands for no event of that schedule, so it is not counted.
      if ((value & 1) === 1) host.sim.eventCount--;
      return;
    }
    if (!this.alive()) return;
    this.armedAt = Number.POSITIVE_INFINITY;
    this.catchUp();
    const m = this.m;
    const now = host.time();
    if (this.next === now) {
      if (m.raft.role === 'leader') host.writeLoad?.accrue(m, now * 1000);
      m.raft.tick();
      this.next = now + this.intervalS;
      host.flush(m);
    } else this.arm();
  }
}
