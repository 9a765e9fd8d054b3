/**
 * The etcd members on the kernel, driven as etcd drives etcd-io/raft (`raftNode.start` in
 * etcd-io/etcd:server/etcdserver/raft.go): each member's state machine, the handling of its `Ready`
 * (trace the observations, sync the WAL if needed, send the messages) and the delivery of peer
 * messages. Member lifecycle, client requests, quorum and leadership transfer build on it.
 */
import type { Event, RandomStream, Simulation } from '../../sim/index.ts';
import type { EtcdRecordData, EtcdRecordKind } from '../trace/etcd.ts';
import { Recorder } from '../trace/recorder.ts';
import { ARRIVAL, CoastQueue, WAKE, type Wakeable } from './coast.ts';
import { type EtcdDefaults, electionTicks } from './defaults.ts';
import { type EtcdMemberSpec, type MemberState, NO_TICKS } from './member.ts';
import {
  appendAccepted,
  appendEntries,
  type Entry,
  type MemberId,
  type Message,
  NONE,
} from './raft/message.ts';
import { RaftNode } from './raft/raft.ts';
import { recordObservation } from './records.ts';
import { Transport } from './transport.ts';
import type { WriteLoad } from './write-load.ts';

export class EtcdHost {
  readonly members = new Map<MemberId, MemberState>();
  /** The same members in the same order, as a list: what runs after every Ready walks it without an iterator. */
  readonly memberList: MemberState[] = [];
  readonly voters: readonly MemberId[];
  readonly rng: RandomStream;
  readonly recorder: Recorder<'etcd'>;
  private readonly transport: Transport;
  /** No client put waits for a commit (set by the cluster): a leader's answers may then wait too. */
  putsIdle: () => boolean = () => true;
  /** What follows every handled Ready (settle puts, publish, quorum changes); set by the cluster. */
  afterReady: (m: MemberState) => void = () => {};
  /** The cluster's writes, appended by the leader at its ticks; null when nothing writes. */
  writeLoad: WriteLoad | null = null;
  private nextRefValue = 1;
  /**
   * The change listeners read something besides etcd that changed without calling them (node power):
   * the next Ready calls them, whatever it changed, and no member's ticks are skipped until then.
   */
  listenersDue = false;
  /**
   * The cluster coasts (`coastable`): one serving leader, every other member its serving follower,
   * nothing waiting on a commit, no partition, the listeners not due. What the members schedule then
   * (ticks, messages, wakes) waits in `coast` instead of the kernel and is replayed, in the kernel's
   * order, when something next touches etcd (`settle`): a steady cluster costs no kernel event.
   */
  private coasting = false;
  private readonly coast = new CoastQueue();
  /** Replaying the coast: the host's clock (`time`) is the replayed entry's time, `replayAt`. */
  private replaying = false;
  private replayAt = 0;
  /** The write rate when the coast began, which the replayed leader ticks must still read. */
  private coastRate = 0;
  /** The coast's leader (no replayed step can change who leads: it would be an observation). */
  private coastLeader: MemberState | null = null;
  /** What a replayed beat sent, per peer (reused lists: no object per beat). */
  private readonly beatSent = {
    to: [] as (MemberState | null)[],
    prevIndex: [] as number[],
    prevTerm: [] as number[],
    entries: [] as (readonly Entry[] | null)[],
    commit: [] as number[],
    at: [] as number[],
    done: [] as boolean[],
  };
  private readonly tickIntervalS: number;
  /** The replayed beats' answers on their way to the leader: arrival time, sender, new last index. */
  private readonly acks = new AckList();

  constructor(
    readonly sim: Simulation,
    readonly defaults: EtcdDefaults,
    specs: readonly EtcdMemberSpec[],
    networkRoundTripMs: number,
    /** Quiet ticks and answers are no kernel events (EtcdClusterOptions.steadyState). */
    readonly steady = true,
  ) {
    // Ids as internalized strings: comparing two of them is comparing pointers (every message names
    // its sender and receiver, and the host finds members by them).
    const internal = specs.map((m) => ({ ...m, id: internalized(m.id) }));
    this.voters = internal.map((m) => m.id);
    this.tickIntervalS = defaults.timing.heartbeatIntervalMs / 1000;
    if (new Set(this.voters).size !== this.voters.length) throw new Error('etcd member ids must be unique');
    this.rng = sim.rng.stream('etcd');
    this.recorder = new Recorder(sim, 'etcd');
    this.transport = new Transport(
      defaults.environment,
      networkRoundTripMs,
      sim.rng.stream('etcd.transport'),
      this.voters,
    );
    for (const spec of internal) {
      const rng = sim.rng.stream(`etcd.${spec.id}`);
      const state: MemberState = {
        spec,
        rng,
        raft: this.newRaft(spec.id, rng),
        status: 'down',
        incarnation: 0,
        activeSinceMs: 0,
        hostReachable: true,
        ready: false,
        publish: null,
        inbox: [],
        ticks: NO_TICKS,
        answers: new HeldAnswers(),
      };
      this.members.set(spec.id, state);
      this.memberList.push(state);
    }
  }

  /** A state machine for `id`, restarted from `disk` (the previous run's persistent state) if given. */
  newRaft(id: MemberId, rng: RandomStream, disk?: RaftNode): RaftNode {
    const { timing, internals } = this.defaults;
    return new RaftNode(
      {
        id,
        voters: this.voters,
        electionTick: electionTicks(timing),
        heartbeatTick: internals.heartbeatTicks,
        preVote: timing.preVote,
        checkQuorum: timing.checkQuorum,
        randomBelow: (n) => rng.integer(0, n - 1),
      },
      disk?.persistentState(),
    );
  }

  /** Handles a Ready: trace the observations, sync if needed, send the messages. */
  flush(m: MemberState): void {
    // Read at once: the Ready is the state machine's until its next ready().
    const { messages, observations, mustSync } = m.raft.ready();
    const replaying = this.replaying;
    if (replaying) {
      // A coast replays only steady steps: an observation would be a record at the wrong time.
      if (observations.length > 0)
        throw new Error(
          `etcd member ${m.spec.id} observed ${observations[0].type} while the cluster coasted`,
        );
    } else if (this.sim.trace.enabled)
      for (const o of observations) recordObservation(this.recorder, m.spec.id, o);
    if (messages.length > 0) {
      const nowS = this.time();
      const nowMs = nowS * 1000;
      const sentMs = nowMs + (mustSync ? this.transport.syncDelayMs() : 0);
      for (let i = 0; i < messages.length; i++) {
        const msg = messages[i];
        if (!this.transport.reaches(msg.from, msg.to)) continue;
        const arrivalMs = this.transport.arrivalMs(msg.from, msg.to, sentMs);
        const at = nowS + Math.max(0, arrivalMs - nowMs) / 1000;
        const to = this.find(msg.to);
        if (to !== undefined && this.answersMayWait(to) && to.raft.quietAnswer(msg)) to.answers.hold(at, msg);
        else this.arriveAt(at, msg);
      }
    }
    // Replayed, the Ready changes nothing afterReady reads (the coast's conditions): no put waits,
    // every member serves, and no status, role, term or transferee moved (no observation).
    if (!replaying) this.afterReady(m);
    m.ticks.arm();
    if (m.answers.length > 0 && !this.answersStayQuiet(m)) this.releaseAnswers(m);
    if (!replaying) this.updateCoast();
  }

  /** Now (s) as the host's code reads it: the kernel's clock, or the replayed entry's time. */
  time(): number {
    return this.replaying ? this.replayAt : this.sim.now;
  }

  /** A peer message arrives at `at`: a kernel event, or a coast entry. */
  private arriveAt(at: number, msg: Message): void {
    if (this.coasting) this.coast.push(at, ARRIVAL, msg, null, 0);
    else this.sim.timeoutAt(at, msg).addCallback(this.arrived);
  }

  /** A tick driver wakes at `at` with `token`: a kernel event, or a coast entry. */
  wakeAt(at: number, driver: Wakeable, token: number): void {
    if (this.coasting) this.coast.push(at, WAKE, null, driver, token);
    else this.sim.timeoutAt(at, token).addCallback(driver.woken);
  }

  /**
   * Before anything reads or steps a member (outside a replay): replays the coast's entries due
   * before now, in order, each counted as the kernel event it stands for. The touching event comes
   * after them, as it would in the kernel (one of the same instant would be ordered by chance).
   */
  settle(): void {
    if (this.coasting && !this.replaying) this.replayUntil(this.sim.now, false);
  }

  /** `settle`, then the coast ends: what it holds becomes kernel events (a condition may move). */
  touchAndLeave(): void {
    this.settle();
    this.leaveCoast();
  }

  /**
   * The run ends at this instant: what the kernel would still have taken at it is replayed, and the
   * ticks the members skipped before it are taken (and counted, for a member that does not serve).
   */
  finish(): void {
    if (this.coasting) this.replayUntil(this.sim.now, true);
    this.leaveCoast();
    for (const m of this.memberList) m.ticks.catchUp();
  }

  private replayUntil(until: number, inclusive: boolean): void {
    const queue = this.coast;
    if (queue.size === 0) return;
    if (this.writeLoad !== null && this.writeLoad.rateNow() !== this.coastRate)
      throw new Error(
        'the etcd write rate changed while the cluster coasted without etcd being told (a node or API change must touch etcd first)',
      );
    this.replaying = true;
    try {
      for (;;) {
        const at = queue.peekTime();
        if (inclusive ? at > until : at >= until) break;
        const kind = queue.pop();
        this.replayAt = at;
        this.sim.eventCount++;
        if (kind === ARRIVAL) this.deliver(queue.poppedMessage as Message);
        else {
          const driver = queue.poppedDriver as Wakeable;
          const value = queue.poppedToken;
          if (
            (driver as unknown) !== this.coastLeader?.ticks ||
            !this.replayBeats(at, value, until, inclusive)
          )
            driver.wake(value);
        }
      }
    } finally {
      this.replaying = false;
    }
  }

  /**
   * The coast's leader ticks at `t` (a replayed wake, `value` its token): when the beat is a plain one
   * (the write load appends, every running follower's log ends where the leader's progress says, the
   * leader keeps its quorum), it and the beats after it are replayed without a message per append or
   * a queue entry per arrival, each step as etcd raft takes it (raft.ts `tickBeat`, `appendSent`,
   * `acceptExtension`, `syncOnly`) and each draw of the transport made in the order the kernel would
   * have made it. It stops, handing what is on the wire to the queue, before anything else queued,
   * the leader's next tick if an arrival is later, or `until`. Returns false, having changed nothing
   * but stepping the answers due (as the wake does first), when the beat at `t` is not plain.
   */
  private replayBeats(t: number, value: number, until: number, inclusive: boolean): boolean {
    const leader = this.coastLeader as MemberState;
    const ticks = leader.ticks;
    if (!ticks.beatDue(value, t)) return false;
    const raft = leader.raft;
    const leaderId = leader.spec.id;
    const queue = this.coast;
    const transport = this.transport;
    const writeLoad = this.writeLoad as WriteLoad;
    const sent = this.beatSent;
    // The answers of the beats replayed here wait as fields (`acks`), stepped by `appendAcked` as
    // `stepAnswers` would step them, when no answer held before waits after the first tick.
    let light = false;
    for (let first = true; ; first = false) {
      // As the wake begins: the answers that arrived before the tick.
      this.replayAt = t;
      ticks.catchUp();
      if (first) light = leader.answers.length === 0;
      else if (light) this.ackBefore(raft, t);
      if (!this.plainBeat(leader, t)) {
        if (first) return false;
        this.holdAcks(leader);
        ticks.arm();
        return true;
      }
      if (!first) this.sim.eventCount++;
      ticks.beatTaken();
      writeLoad.accrue(leader, t * 1000);
      const nextTick = t + this.tickIntervalS;
      const nowMs = t * 1000;
      let n = 0;
      if (raft.tickBeat()) {
        // flush: the sync (the append), then one arrival per peer in the voters' order (the outbox's).
        const sentMs = nowMs + (raft.syncOnly() ? transport.syncDelayMs() : 0);
        for (const to of this.memberList) {
          if (to === leader) continue;
          const id = to.spec.id;
          const prevIndex = raft.prevIndexFor(id);
          sent.to[n] = to;
          sent.prevIndex[n] = prevIndex;
          sent.prevTerm[n] = raft.log.term(prevIndex);
          sent.entries[n] = raft.log.from(prevIndex + 1);
          sent.commit[n] = raft.log.committed;
          raft.appendSent(id);
          sent.at[n] = t + Math.max(0, transport.arrivalMs(leaderId, id, sentMs) - nowMs) / 1000;
          sent.done[n] = false;
          n++;
        }
      } else raft.syncOnly();
      if (leader.answers.length > 0 && !this.answersStayQuiet(leader)) this.releaseAnswers(leader);
      // The arrivals in time order (of one time, in the order sent).
      for (let taken = 0; taken < n; taken++) {
        let k = -1;
        for (let j = 0; j < n; j++) if (!sent.done[j] && (k < 0 || sent.at[j] < sent.at[k])) k = j;
        const at = sent.at[k];
        if (!(at < queue.peekTime()) || !(at < nextTick) || beyond(at, until, inclusive)) {
          // The rest stay on the wire as the leader's flush left them: queue entries.
          for (let j = 0; j < n; j++)
            if (!sent.done[j]) queue.push(sent.at[j], ARRIVAL, this.beatMessage(leader, j), null, 0);
          this.holdAcks(leader);
          ticks.arm();
          return true;
        }
        sent.done[k] = true;
        this.replayAt = at;
        this.sim.eventCount++;
        const to = sent.to[k] as MemberState;
        // A down member's host drops it (deliver).
        if (to.status !== 'running') continue;
        to.ticks.catchUp();
        const entries = sent.entries[k] as readonly Entry[];
        const last = to.raft.acceptExtension(leaderId, raft.term, sent.prevIndex[k], entries, sent.commit[k]);
        const fromMs = at * 1000;
        const answerSentMs = fromMs + (entries.length > 0 ? transport.syncDelayMs() : 0);
        const answerAt =
          at + Math.max(0, transport.arrivalMs(to.spec.id, leaderId, answerSentMs) - fromMs) / 1000;
        // Quiet (the leader's progress for it is past its last index until its next tick).
        if (light) this.acks.add(answerAt, to.spec.id, last);
        else {
          const answer = appendAccepted(to.spec.id, leaderId, raft.term, last);
          if (this.answersMayWait(leader) && raft.quietAnswer(answer)) leader.answers.hold(answerAt, answer);
          else this.arriveAt(answerAt, answer);
        }
        to.ticks.arm();
      }
      t = nextTick;
      if (!(t < queue.peekTime()) || beyond(t, until, inclusive)) {
        this.holdAcks(leader);
        ticks.arm();
        return true;
      }
    }
  }

  /** Steps into the leader the replayed beats' answers that arrived before `t`, in arrival order. */
  private ackBefore(raft: RaftNode, t: number): void {
    const acks = this.acks;
    while (acks.length > 0 && acks.at[0] < t) {
      raft.appendAcked(acks.from[0], acks.index[0]);
      acks.shift();
    }
  }

  /** The replayed beats' answers not yet stepped wait as held answers (messages), in arrival order. */
  private holdAcks(leader: MemberState): void {
    const acks = this.acks;
    const term = leader.raft.term;
    while (acks.length > 0) {
      leader.answers.hold(acks.at[0], appendAccepted(acks.from[0], leader.spec.id, term, acks.index[0]));
      acks.shift();
    }
  }

  /** The append the replayed beat sent as `sent[k]`, as a message (when it goes back on the queue). */
  private beatMessage(leader: MemberState, k: number): Message {
    const sent = this.beatSent;
    const to = (sent.to[k] as MemberState).spec.id;
    const entries = sent.entries[k] as readonly Entry[];
    return appendEntries(
      leader.spec.id,
      to,
      leader.raft.term,
      sent.prevIndex[k],
      sent.prevTerm[k],
      entries,
      sent.commit[k],
    );
  }

  /**
   * A plain beat at `t`: the leader leads with no transferee and keeps its quorum at this tick, the
   * write load appends at it, and every running follower of its term has no held answer and a log
   * ending where the leader's progress for it says (the append extends it exactly).
   */
  private plainBeat(leader: MemberState, t: number): boolean {
    const raft = leader.raft;
    if (raft.role !== 'leader' || raft.leadTransferee !== NONE) return false;
    if (this.writeLoad === null || !this.writeLoad.appendsAt(t * 1000)) return false;
    if (!raft.keepsQuorumAtNextTick()) return false;
    for (const m of this.memberList) {
      if (m === leader || m.status === 'down') continue;
      if (m.status !== 'running' || m.answers.length > 0) return false;
      const f = m.raft;
      const prevIndex = raft.prevIndexFor(m.spec.id);
      if (f.role !== 'follower' || f.term !== raft.term || f.log.lastIndex !== prevIndex) return false;
      if (f.log.lastTerm !== raft.log.term(prevIndex)) return false;
    }
    return true;
  }

  /** After a Ready handled in the present: the cluster starts or stops coasting. */
  private updateCoast(): void {
    const leader = this.coastable();
    if (leader !== null) {
      if (!this.coasting) {
        this.coasting = true;
        this.coastLeader = leader;
        this.coastRate = this.writeLoad === null ? 0 : this.writeLoad.rateNow();
      }
    } else this.leaveCoast();
  }

  /** The coast's entries become kernel events at their times, in their order. */
  private leaveCoast(): void {
    if (!this.coasting) return;
    this.coasting = false;
    const queue = this.coast;
    while (queue.size > 0) {
      const kind = queue.pop();
      if (kind === ARRIVAL) this.arriveAt(queue.poppedAt, queue.poppedMessage as Message);
      else this.wakeAt(queue.poppedAt, queue.poppedDriver as Wakeable, queue.poppedToken);
    }
  }

  /**
   * A steady cluster whose members' next steps change nothing anything outside etcd reads: one
   * serving leader with no transferee, every other member down or running, serving and following it
   * in its term, no put waiting on a commit, no partition, the listeners not due, and the API writing
   * (a write rate that only drops when a node or the API changes, which touch etcd first), and the
   * running members a majority. A message to a down member is dropped at its arrival; a member starts
   * only through `start`, which touches.
   */
  private coastable(): MemberState | null {
    if (!this.steady || this.listenersDue || !this.transport.uncut() || !this.putsIdle()) return null;
    if (this.writeLoad !== null && !(this.writeLoad.rateNow() > 0)) return null;
    let leader: MemberState | null = null;
    let running = 0;
    for (const m of this.memberList) {
      if (m.status === 'down') continue;
      if (m.status !== 'running' || !m.ready) return null;
      running++;
      if (m.raft.role === 'leader') {
        if (leader !== null) return null;
        leader = m;
      }
    }
    // checkQuorum must pass at every replayed tick: the running members, each answering every beat,
    // are a majority.
    if (leader === null || leader.raft.leadTransferee !== NONE || running < leader.raft.quorum) return null;
    const { term, id } = leader.raft;
    for (const m of this.memberList) {
      if (m === leader || m.status === 'down') continue;
      const raft = m.raft;
      if (raft.role !== 'follower' || raft.term !== term || raft.lead !== id) return null;
    }
    return leader;
  }

  /**
   * A serving leader's answers from up-to-date followers change only its progress and commit index
   * (etcd raft stepLeader): stepping them late, in arrival order, before anything reads or steps the
   * leader gives the same state, so they need no kernel event. Not while a put waits for its commit
   * or the listeners are due (their next Ready matters).
   */
  private answersMayWait(to: MemberState): boolean {
    return this.steady && to.status === 'running' && to.ready && !this.listenersDue && this.putsIdle();
  }

  private answersStayQuiet(m: MemberState): boolean {
    if (!this.answersMayWait(m)) return false;
    const held = m.answers.msg;
    for (let i = 0; i < held.length; i++) if (!m.raft.quietAnswer(held[i])) return false;
    return true;
  }

  /** Steps the waiting answers that arrived before now, in arrival order (called by the tick driver). */
  stepAnswers(m: MemberState): void {
    const answers = m.answers;
    if (answers.length === 0) return;
    answers.stepBefore(this.time(), m.raft);
  }

  /** Waiting answers become kernel events at their arrival times (something may now read them). */
  releaseAnswers(m: MemberState): void {
    const answers = m.answers;
    for (let i = 0; i < answers.length; i++) this.arriveAt(answers.at[i], answers.msg[i]);
    answers.clear();
  }

  /** A peer message's arrival event (its value is the message): one callback for all of them. */
  private readonly arrived = (e: Event<Message>): void => this.deliver(e.value as Message);

  deliver(msg: Message): void {
    this.settle();
    const target = this.find(msg.to);
    if (target === undefined || target.status === 'down') return;
    // A partition that began while the message was on the wire drops it too.
    if (!this.transport.reaches(msg.from, msg.to)) return;
    if (target.status === 'starting') {
      // The peer listener is open from process start, so a connection waits in the accept backlog
      // and its request is served once the server runs (etcd-io/etcd server/embed/etcd.go StartEtcd:
      // peer listeners are opened before NewServer replays the WAL).
      target.inbox.push(msg);
      return;
    }
    target.ticks.catchUp();
    target.raft.step(msg);
    this.flush(target);
  }

  /**
   * Sets (or clears) a network partition between members' hosts (see Transport.setCut). Held answers
   * were sent under the old cut: those that arrived before now are stepped, the others become kernel
   * events, so `deliver` drops them at their arrival if the new cut is between their ends (a partition
   * that begins while a message is on the wire drops it).
   */
  setCut(cut: ((from: MemberId, to: MemberId) => boolean) | null): void {
    this.touchAndLeave();
    for (const m of this.members.values()) {
      m.ticks.catchUp();
      this.releaseAnswers(m);
    }
    this.transport.setCut(cut);
  }

  /** Whether messages pass from `from` to `to` now. */
  reaches(from: MemberId, to: MemberId): boolean {
    return this.transport.reaches(from, to);
  }

  /** One-way delay of a client request forwarded between members (no WAL sync involved). */
  forwardMs(): number {
    // A draw of the transport's stream: the coast's draws come first.
    this.settle();
    return this.transport.oneWayMs();
  }

  /** The member `id`, by a walk of the few members (ids are the voters' strings: compared by pointer first). */
  private find(id: MemberId): MemberState | undefined {
    const list = this.memberList;
    for (let i = 0; i < list.length; i++) if (list[i].spec.id === id) return list[i];
    return undefined;
  }

  member(id: MemberId): MemberState {
    const m = this.members.get(id);
    if (m === undefined)
      throw new Error(`no etcd member ${JSON.stringify(id)}; members: ${this.voters.join(', ')}`);
    return m;
  }

  /** A fresh proposal reference, shared by client puts and `publish` attempts. */
  nextRef(): number {
    return this.nextRefValue++;
  }

  /** The member answers clients: it runs and has published (or the version serves before that). */
  canServe(m: MemberState): boolean {
    return m.status === 'running' && (m.ready || this.defaults.internals.servesClientsBeforePublish);
  }

  emit<K extends EtcdRecordKind>(kind: K, data: EtcdRecordData[K]): void {
    if (this.replaying) throw new Error(`etcd ${kind} while the cluster coasted: a record at the wrong time`);
    this.recorder.emit(kind, data);
  }

  nowMs(): number {
    return this.time() * 1000;
  }

  at(delayMs: number, fn: () => void): void {
    if (this.replaying) throw new Error('an etcd timer armed while the cluster coasted');
    this.sim.timeout(Math.max(0, delayMs) / 1000).addCallback(fn);
  }

  settled<T>(value: T): Event<T> {
    const e = this.sim.event<T>();
    e.succeed(value);
    return e;
  }
}

/** Accepted append answers by their fields, in arrival order (of one time, in the order sent). */
class AckList {
  readonly at: number[] = [];
  readonly from: MemberId[] = [];
  readonly index: number[] = [];

  get length(): number {
    return this.at.length;
  }

  add(at: number, from: MemberId, index: number): void {
    let i = this.at.length;
    this.at.push(at);
    this.from.push(from);
    this.index.push(index);
    while (i > 0 && this.at[i - 1] > at) {
      this.at[i] = this.at[i - 1];
      this.from[i] = this.from[i - 1];
      this.index[i] = this.index[i - 1];
      i--;
    }
    this.at[i] = at;
    this.from[i] = from;
    this.index[i] = index;
  }

  shift(): void {
    this.at.shift();
    this.from.shift();
    this.index.shift();
  }
}

/** A replayed event at `at` is past the replay's end (`until`, itself included or not). */
function beyond(at: number, until: number, inclusive: boolean): boolean {
  return inclusive ? at > until : at >= until;
}

/** The same text as a property key: V8 keeps keys internalized (one copy per text). */
function internalized(text: string): string {
  return Object.keys({ [text]: true })[0];
}

/**
 * A leader's held answers in arrival order, as two lists (no object per answer): an answer is added
 * after every answer arriving at or before it, so answers arriving at the same time keep the order
 * they were sent in (what a stable sort by arrival gives).
 */
export class HeldAnswers {
  readonly at: number[] = [];
  readonly msg: Message[] = [];

  get length(): number {
    return this.at.length;
  }

  hold(at: number, msg: Message): void {
    const times = this.at;
    const msgs = this.msg;
    let i = times.length;
    times.push(at);
    msgs.push(msg);
    while (i > 0 && times[i - 1] > at) {
      times[i] = times[i - 1];
      msgs[i] = msgs[i - 1];
      i--;
    }
    times[i] = at;
    msgs[i] = msg;
  }

  /** Steps into `raft`, in order, the answers that arrived before `now`, and drops them. */
  stepBefore(now: number, raft: { step(m: Message): void }): void {
    const times = this.at;
    const msgs = this.msg;
    const n = times.length;
    // In arrival order, so the ones due are a prefix.
    let k = 0;
    while (k < n && times[k] < now) raft.step(msgs[k++]);
    if (k === 0) return;
    for (let i = k; i < n; i++) {
      times[i - k] = times[i];
      msgs[i - k] = msgs[i];
    }
    // Shortened by pop (inlined by V8; setting `length` is a runtime call).
    for (let i = 0; i < k; i++) {
      times.pop();
      msgs.pop();
    }
  }

  clear(): void {
    while (this.at.length > 0) {
      this.at.pop();
      this.msg.pop();
    }
  }
}
