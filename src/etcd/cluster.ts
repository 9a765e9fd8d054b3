import type { Event, RandomStream, Simulation } from '../../sim/index.ts';
import { type EtcdDefaults, electionTicks } from './defaults.ts';
import { type MemberId, type Message, NONE } from './raft/message.ts';
import type { Observation } from './raft/observation.ts';
import { quorumSize } from './raft/quorum.ts';
import { RaftNode } from './raft/raft.ts';
import type { Role } from './raft/role.ts';
import {
  dialErrorText,
  ETCD_SUBSYSTEM,
  type EtcdRecordData,
  type EtcdRecordKind,
  observationRecord,
  type StopKind,
} from './records.ts';
import { Transport } from './transport.ts';

export interface EtcdMemberSpec {
  readonly id: MemberId;
  /** The node (host) the member runs on. */
  readonly node: string;
  /** Peer address for log texts ("dial tcp <address>:2380"); the node name when absent. */
  readonly address?: string;
}

export interface EtcdClusterOptions {
  readonly members: readonly EtcdMemberSpec[];
  readonly defaults: EtcdDefaults;
  /** Round trip of the network between nodes, added to loopback delivery (0: all on one host). */
  readonly networkRoundTripMs?: number;
  /** Start every member at t=0 with no start delay, as a freshly formed cluster (default true). */
  readonly startAll?: boolean;
}

export type MemberStatus = 'down' | 'starting' | 'running';

export interface MemberView {
  readonly id: MemberId;
  readonly node: string;
  readonly status: MemberStatus;
  readonly role: Role | 'down';
  readonly term: number;
  readonly lead: MemberId | null;
  /** `publish` committed since the last start: the member serves clients. */
  readonly ready: boolean;
  readonly lastIndex: number;
  readonly commitIndex: number;
}

export type PutResult =
  | { readonly ok: true; readonly index: number; readonly term: number; readonly latencyMs: number }
  | { readonly ok: false; readonly reason: 'unavailable' | 'timeout'; readonly latencyMs: number };

export type TransferResult =
  | { readonly ok: true; readonly from: MemberId; readonly to: MemberId; readonly tookMs: number }
  | { readonly ok: false; readonly reason: 'no-leader' | 'target-unavailable' | 'timeout' };

interface MemberState {
  readonly spec: EtcdMemberSpec;
  readonly rng: RandomStream;
  /** The state machine; between runs it stands for the member's disk (HardState and WAL). */
  raft: RaftNode;
  status: MemberStatus;
  incarnation: number;
  activeSinceMs: number;
  hostReachable: boolean;
  ready: boolean;
  publish: { ref: number; index: number; sentMs: number } | null;
  /** Messages that reached the peer port while the process was starting; handled once Raft runs. */
  inbox: Message[];
}

interface PendingPut {
  readonly ref: number;
  readonly leader: MemberId;
  readonly index: number;
  readonly term: number;
  readonly settle: (result: PutResult) => void;
}

/**
 * etcd members on the kernel: ticks every heartbeat interval, peer messages delivered after a WAL
 * sync and the link delay, process start after a delay, graceful stop with leadership transfer,
 * power loss, `move-leader`, `publish` before serving clients, and the queries the cluster world
 * needs. Every state change is a trace record of subsystem 'etcd' (see records.ts).
 */
export class EtcdCluster {
  readonly defaults: EtcdDefaults;
  private readonly members = new Map<MemberId, MemberState>();
  private readonly voters: readonly MemberId[];
  private readonly transport: Transport;
  private readonly rng: RandomStream;
  private pendingPuts: PendingPut[] = [];
  private quorumWaiters: { up: boolean; event: Event<void> }[] = [];
  private readyWaiters: { id: MemberId; event: Event<void> }[] = [];
  private nextRef = 1;
  private quorumUp = false;

  constructor(
    readonly sim: Simulation,
    options: EtcdClusterOptions,
  ) {
    this.defaults = options.defaults;
    this.voters = options.members.map((m) => m.id);
    if (new Set(this.voters).size !== this.voters.length) throw new Error('etcd member ids must be unique');
    this.rng = sim.rng.stream('etcd');
    this.transport = new Transport(
      this.defaults.environment,
      options.networkRoundTripMs ?? 0,
      sim.rng.stream('etcd.transport'),
    );
    for (const spec of options.members) {
      const rng = sim.rng.stream(`etcd.${spec.id}`);
      const member: MemberState = {
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
      };
      this.members.set(spec.id, member);
    }
    if (options.startAll ?? true) for (const id of this.voters) this.start(id, { startDelayMs: 0 });
  }

  // --- operations ---

  /** Starts a stopped member's process; Raft runs after `startDelayMs` (default: environment range). */
  start(id: MemberId, options: { startDelayMs?: number } = {}): void {
    const m = this.member(id);
    if (m.status !== 'down') throw new Error(`etcd member ${id} is ${m.status}, not down`);
    const { min, max } = this.defaults.environment.processStartMs;
    const delayMs = options.startDelayMs ?? this.rng.uniform(min, max);
    m.status = 'starting';
    m.hostReachable = true;
    const incarnation = ++m.incarnation;
    this.emit('member-start', { member: id, node: m.spec.node, startDelayMs: delayMs });
    this.at(delayMs, () => {
      if (m.incarnation === incarnation) this.run(m);
    });
  }

  /**
   * SIGTERM: a leader first hands leadership to the longest-connected voter and waits for it (polling
   * every tick, etcd `MoveLeader`), then stops; others stop at once (etcd-io/etcd server.go `Stop`,
   * `TransferLeadership`). The event succeeds when the member is gone.
   */
  stopGraceful(id: MemberId, options: { thenPowerOff?: boolean } = {}): Event<void> {
    const m = this.member(id);
    const done = this.sim.event<void>();
    const finish = () => {
      this.exit(m, 'graceful');
      if (options.thenPowerOff) m.hostReachable = false;
      done.succeed();
    };
    this.emit('member-stop', {
      member: id,
      how: 'graceful',
      role: m.status === 'running' ? m.raft.role : 'down',
    });
    if (m.status !== 'running' || m.raft.role !== 'leader' || this.voters.length === 1) {
      finish();
      return done;
    }
    const to = this.longestConnectedPeer(m);
    if (to === null) {
      finish();
      return done;
    }
    const transfer = this.transfer(m, to);
    transfer.addCallback(() => finish());
    return done;
  }

  /** Power loss or SIGKILL: the member stops at once and its host no longer answers. */
  powerLoss(id: MemberId): void {
    const m = this.member(id);
    this.emit('member-stop', {
      member: id,
      how: 'power-loss',
      role: m.status === 'running' ? m.raft.role : 'down',
    });
    this.exit(m, 'power-loss');
    m.hostReachable = false;
  }

  /** `etcdctl move-leader <to>`: the current leader transfers leadership to `to`. */
  moveLeader(to: MemberId): Event<TransferResult> {
    const target = this.member(to);
    const leader = this.leader();
    if (leader === null) return this.settled<TransferResult>({ ok: false, reason: 'no-leader' });
    if (target.status !== 'running')
      return this.settled<TransferResult>({ ok: false, reason: 'target-unavailable' });
    if (leader === to) return this.settled<TransferResult>({ ok: true, from: to, to, tookMs: 0 });
    return this.transfer(this.member(leader), to);
  }

  /**
   * A client write through member `via`: forwarded to the leader, answered when committed, failed
   * when `via` does not serve clients or at the timeout (default: etcd's request timeout).
   */
  put(via: MemberId, options: { timeoutMs?: number } = {}): Event<PutResult> {
    const m = this.member(via);
    const startMs = this.nowMs();
    const result = this.sim.event<PutResult>();
    let settled = false;
    const settle = (r: PutResult) => {
      if (settled) return;
      settled = true;
      result.succeed(r);
    };
    if (!this.canServe(m)) {
      settle({ ok: false, reason: 'unavailable', latencyMs: 0 });
      return result;
    }
    this.at(options.timeoutMs ?? this.requestTimeoutMs(), () =>
      settle({ ok: false, reason: 'timeout', latencyMs: this.nowMs() - startMs }),
    );
    const ref = this.nextRef++;
    this.propose(m, 'put', ref, (leader, index, term) => {
      this.pendingPuts.push({
        ref,
        leader,
        index,
        term,
        settle: (r) => settle(r.ok ? { ...r, latencyMs: this.nowMs() - startMs } : r),
      });
    });
    return result;
  }

  // --- queries ---

  /** The running leader with the highest term, or null. */
  leader(): MemberId | null {
    let best: MemberState | null = null;
    for (const m of this.members.values()) {
      if (
        m.status === 'running' &&
        m.raft.role === 'leader' &&
        (best === null || m.raft.term > best.raft.term)
      )
        best = m;
    }
    return best === null ? null : best.spec.id;
  }

  /** A leader whose term no running member has passed, with a majority of the voters running. */
  hasQuorum(): boolean {
    const leader = this.leader();
    if (leader === null) return false;
    const term = this.member(leader).raft.term;
    let running = 0;
    for (const m of this.members.values()) {
      if (m.status !== 'running') continue;
      if (m.raft.term > term) return false;
      running++;
    }
    return running >= quorumSize(this.voters.length);
  }

  /** Writes can commit now: quorum and no leadership transfer (which drops proposals). */
  canWrite(): boolean {
    const leader = this.leader();
    return this.hasQuorum() && leader !== null && this.member(leader).raft.leadTransferee === NONE;
  }

  /** A linearizable read through `via` (default: the leader) can be answered: it needs quorum. */
  canServeLinearizable(via?: MemberId): boolean {
    const id = via ?? this.leader();
    return id !== null && this.canServe(this.member(id)) && this.hasQuorum();
  }

  /** A serializable read is answered from the member's own store, quorum or not, once it serves. */
  canServeSerializable(id: MemberId): boolean {
    return this.canServe(this.member(id));
  }

  /**
   * Succeeds when `hasQuorum()` is `up` (at once if it already is). Combine with a timeout
   * (`sim.anyOf([etcd.whenQuorum(), sim.timeout(s)])`): nothing guarantees quorum returns.
   */
  whenQuorum(up = true): Event<void> {
    const event = this.sim.event<void>();
    if (this.hasQuorum() === up) event.succeed();
    else this.quorumWaiters.push({ up, event });
    return event;
  }

  /** Succeeds when member `id` serves clients (at once if it does). */
  whenReady(id: MemberId): Event<void> {
    const event = this.sim.event<void>();
    if (this.canServe(this.member(id))) event.succeed();
    else this.readyWaiters.push({ id, event });
    return event;
  }

  view(id: MemberId): MemberView {
    const m = this.member(id);
    const running = m.status === 'running';
    return {
      id,
      node: m.spec.node,
      status: m.status,
      role: running ? m.raft.role : 'down',
      term: m.raft.term,
      lead: running && m.raft.lead !== NONE ? m.raft.lead : null,
      ready: running && m.ready,
      lastIndex: m.raft.log.lastIndex,
      commitIndex: m.raft.log.committed,
    };
  }

  memberIds(): readonly MemberId[] {
    return this.voters;
  }

  /** The member placed on `node`, or null. */
  memberOn(node: string): MemberId | null {
    for (const m of this.members.values()) if (m.spec.node === node) return m.spec.id;
    return null;
  }

  // --- process lifecycle ---

  private run(m: MemberState): void {
    m.raft = this.newRaft(m.spec.id, m.rng, m.raft);
    m.status = 'running';
    m.activeSinceMs = this.nowMs();
    m.ready = false;
    m.publish = null;
    this.emit('member-running', { member: m.spec.id, term: m.raft.term, lastIndex: m.raft.log.lastIndex });
    const incarnation = m.incarnation;
    const alive = () => m.incarnation === incarnation && m.status === 'running';
    const heartbeatS = this.defaults.timing.heartbeatIntervalMs / 1000;
    const firstTickS = m.rng.uniform(0, heartbeatS);
    const cluster = this;
    this.sim.process(
      (function* () {
        yield cluster.sim.timeout(firstTickS);
        while (alive()) {
          m.raft.tick();
          cluster.flush(m);
          yield cluster.sim.timeout(heartbeatS);
        }
      })(),
      `etcd/${m.spec.id}/ticks`,
    );
    this.adjustTicks(m, alive);
    for (const peer of this.voters) if (peer !== m.spec.id) this.probe(m, peer, alive);
    this.flush(m);
    const queued = m.inbox;
    m.inbox = [];
    for (const msg of queued) this.deliver(msg);
  }

  private exit(m: MemberState, how: StopKind): void {
    if (m.status === 'down') return;
    const wasRunning = m.status === 'running';
    m.status = 'down';
    m.incarnation++;
    m.ready = false;
    m.publish = null;
    m.inbox = [];
    if (wasRunning) this.emit('member-exit', { member: m.spec.id, how });
    this.checkQuorumChange();
  }

  /**
   * etcd `adjustTicks` (initial-election-tick-advance): a single voter advances ElectionTicks-1 at
   * once; otherwise poll for active peers and, once more than one is active, advance ElectionTicks-2.
   * Nothing happens if that does not occur within rafthttp.ConnReadTimeout.
   */
  private adjustTicks(m: MemberState, alive: () => boolean): void {
    const ticks = electionTicks(this.defaults.timing);
    if (this.voters.length === 1) {
      this.advanceTicks(m, ticks - 1, 0);
      return;
    }
    if (!this.defaults.timing.initialElectionTickAdvance) return;
    const { adjustTicksPollMs, adjustTicksWaitMs, adjustTicksAdvanceBelowElection } = this.defaults.internals;
    const polls = Math.floor(adjustTicksWaitMs / adjustTicksPollMs);
    let poll = 0;
    const check = () => {
      if (!alive()) return;
      const active = this.voters.filter(
        (id) => id !== m.spec.id && this.member(id).status === 'running',
      ).length;
      if (active > 1) {
        this.advanceTicks(m, ticks - adjustTicksAdvanceBelowElection, active);
        return;
      }
      if (++poll < polls) this.at(adjustTicksPollMs, check);
    };
    this.at(adjustTicksPollMs, check);
  }

  private advanceTicks(m: MemberState, ticks: number, activePeers: number): void {
    this.emit('ticks-advanced', { member: m.spec.id, ticks, activePeers });
    for (let i = 0; i < ticks; i++) m.raft.tick();
    this.flush(m);
  }

  /** rafthttp `monitorProbingStatus`: an unreachable peer is logged every statusErrorInterval. */
  private probe(m: MemberState, peer: MemberId, alive: () => boolean): void {
    const { proberErrorIntervalMs, proberMonitoringIntervalMs } = this.defaults.internals;
    const check = () => {
      if (!alive()) return;
      const p = this.member(peer);
      if (p.status === 'running') {
        this.at(proberMonitoringIntervalMs, check);
        return;
      }
      this.emit('prober-unhealthy', {
        member: m.spec.id,
        remotePeerId: peer,
        roundTripperName: 'ROUND_TRIPPER_RAFT_MESSAGE',
        rtt: '0s',
        error: dialErrorText(p.spec.address ?? p.spec.node, p.hostReachable),
        message: 'prober detected unhealthy status',
      });
      this.at(proberErrorIntervalMs, check);
    };
    this.at(proberErrorIntervalMs, check);
  }

  // --- Raft plumbing ---

  private newRaft(id: MemberId, rng: RandomStream, disk?: RaftNode): RaftNode {
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
  private flush(m: MemberState): void {
    const ready = m.raft.ready();
    if (this.sim.trace.enabled) for (const o of ready.observations) this.record(m, o);
    if (ready.messages.length > 0) {
      const sentMs = this.nowMs() + (ready.mustSync ? this.transport.syncDelayMs() : 0);
      for (const msg of ready.messages) {
        const arrivalMs = this.transport.arrivalMs(msg.from, msg.to, sentMs);
        this.at(arrivalMs - this.nowMs(), () => this.deliver(msg));
      }
    }
    this.settlePuts(m);
    this.publishProgress(m);
    this.checkQuorumChange();
  }

  private deliver(msg: Message): void {
    const target = this.members.get(msg.to);
    if (target === undefined || target.status === 'down') return;
    if (target.status === 'starting') {
      // The peer listener is open from process start, so a connection waits in the accept backlog
      // and its request is served once the server runs (etcd-io/etcd server/embed/etcd.go StartEtcd:
      // peer listeners are opened before NewServer replays the WAL).
      target.inbox.push(msg);
      return;
    }
    target.raft.step(msg);
    this.flush(target);
  }

  /** Hands a proposal to the leader `via` knows; `accepted` gets the entry's index and term. */
  private propose(
    via: MemberState,
    kind: 'put' | 'publish',
    ref: number,
    accepted: (leader: MemberId, index: number, term: number) => void,
  ): void {
    const lead = via.raft.lead;
    if (via.status !== 'running' || lead === NONE) return;
    const hand = () => {
      const leader = this.member(lead);
      if (leader.status !== 'running') return;
      const index = leader.raft.propose(kind, ref);
      if (index > 0) accepted(lead, index, leader.raft.term);
      this.flush(leader);
    };
    if (lead === via.spec.id) hand();
    else this.at(this.transport.oneWayMs(), hand);
  }

  private settlePuts(m: MemberState): void {
    if (this.pendingPuts.length === 0 || m.status !== 'running') return;
    const log = m.raft.log;
    const id = m.spec.id;
    const remaining: PendingPut[] = [];
    for (const p of this.pendingPuts) {
      if (p.leader !== id || log.committed < p.index) remaining.push(p);
      else if (log.term(p.index) === p.term) {
        const result: PutResult = { ok: true, index: p.index, term: p.term, latencyMs: 0 };
        this.at(this.transport.oneWayMs(), () => p.settle(result));
      }
      // An overwritten entry is never acknowledged; the client times out.
    }
    this.pendingPuts = remaining;
  }

  /**
   * etcd `publish` (v3.5: `publishV3`): the member proposes its attributes through Raft and serves
   * clients only once that entry has committed and reached it; an attempt times out after the
   * request timeout and is retried.
   */
  private publishProgress(m: MemberState): void {
    if (m.status !== 'running' || m.ready) return;
    const p = m.publish;
    if (p !== null && p.index > 0 && m.raft.log.committed >= p.index) {
      const entry = m.raft.log.entry(p.index);
      if (entry !== undefined && entry.kind === 'publish' && entry.ref === p.ref) {
        m.ready = true;
        m.publish = null;
        this.emit('member-ready', { member: m.spec.id, term: m.raft.term });
        const waiting = this.readyWaiters;
        this.readyWaiters = waiting.filter((w) => w.id !== m.spec.id);
        for (const w of waiting) if (w.id === m.spec.id) w.event.succeed();
        return;
      }
      m.publish = null;
    }
    if (m.publish !== null && this.nowMs() - m.publish.sentMs < this.requestTimeoutMs()) return;
    if (m.raft.lead === NONE) {
      m.publish = null;
      return;
    }
    const attempt = { ref: this.nextRef++, index: 0, sentMs: this.nowMs() };
    m.publish = attempt;
    this.propose(m, 'publish', attempt.ref, (_leader, index) => {
      attempt.index = index;
    });
  }

  /** Leader transfer and etcd's wait for it: poll every tick until `from` sees `to` as leader. */
  private transfer(from: MemberState, to: MemberId): Event<TransferResult> {
    const result = this.sim.event<TransferResult>();
    const startMs = this.nowMs();
    from.raft.transferLeadership(to);
    this.flush(from);
    const pollMs = this.defaults.internals.transferPollTicks * this.defaults.timing.heartbeatIntervalMs;
    const deadlineMs = startMs + this.requestTimeoutMs();
    const check = () => {
      if (from.status === 'running' && from.raft.lead === to) {
        const tookMs = this.nowMs() - startMs;
        this.emit('transfer-done', { member: from.spec.id, to, tookMs });
        result.succeed({ ok: true, from: from.spec.id, to, tookMs });
      } else if (from.status !== 'running' || this.nowMs() >= deadlineMs) {
        result.succeed({ ok: false, reason: 'timeout' });
      } else {
        this.at(pollMs, check);
      }
    };
    this.at(pollMs, check);
    return result;
  }

  /** etcd `longestConnected`: the running voter whose peer connection is oldest. */
  private longestConnectedPeer(m: MemberState): MemberId | null {
    let best: MemberState | null = null;
    for (const id of this.voters) {
      const p = this.member(id);
      if (id === m.spec.id || p.status !== 'running') continue;
      if (best === null || p.activeSinceMs < best.activeSinceMs) best = p;
    }
    return best === null ? null : best.spec.id;
  }

  private canServe(m: MemberState): boolean {
    return m.status === 'running' && (m.ready || this.defaults.internals.servesClientsBeforePublish);
  }

  private checkQuorumChange(): void {
    const up = this.hasQuorum();
    if (up === this.quorumUp) return;
    this.quorumUp = up;
    const running = this.voters.filter((id) => this.member(id).status === 'running');
    const leader = this.leader();
    if (up && leader !== null)
      this.emit('quorum-regained', { leader, term: this.member(leader).raft.term, running });
    else this.emit('quorum-lost', { leader, running });
    const waiting = this.quorumWaiters;
    this.quorumWaiters = waiting.filter((w) => w.up !== up);
    for (const w of waiting) if (w.up === up) w.event.succeed();
  }

  private record(m: MemberState, o: Observation): void {
    const record = observationRecord(m.spec.id, o);
    if (record !== null) this.sim.trace.emit(ETCD_SUBSYSTEM, record.kind, record.data);
  }

  // --- small plumbing ---

  private emit<K extends EtcdRecordKind>(kind: K, data: EtcdRecordData[K]): void {
    if (this.sim.trace.enabled) this.sim.trace.emit(ETCD_SUBSYSTEM, kind, data);
  }

  private member(id: MemberId): MemberState {
    const m = this.members.get(id);
    if (m === undefined)
      throw new Error(`no etcd member ${JSON.stringify(id)}; members: ${this.voters.join(', ')}`);
    return m;
  }

  private requestTimeoutMs(): number {
    return this.defaults.internals.requestTimeoutBaseMs + 2 * this.defaults.timing.electionTimeoutMs;
  }

  private nowMs(): number {
    return this.sim.now * 1000;
  }

  private at(delayMs: number, fn: () => void): void {
    this.sim.timeout(Math.max(0, delayMs) / 1000).addCallback(fn);
  }

  private settled<T>(value: T): Event<T> {
    const e = this.sim.event<T>();
    e.succeed(value);
    return e;
  }
}
