import type { Event, Simulation } from '../../sim/index.ts';
import type { EtcdDefaults } from './defaults.ts';
import { EtcdHost } from './host.ts';
import { moveLeader, type TransferResult } from './leadership-transfer.ts';
import { type EtcdMemberSpec, type MemberStatus, type MemberView, memberView } from './member.ts';
import { MemberLifecycle } from './member-lifecycle.ts';
import { ClientPuts, type PutResult } from './proposals.ts';
import { Publish } from './publish.ts';
import { QuorumWatch } from './quorum-watch.ts';
import type { MemberId } from './raft/message.ts';
import type { Role } from './raft/role.ts';
import { WriteLoad } from './write-load.ts';

/** What the listeners read of one member (see `quorumInputsMoved`). */
interface QuorumInputs {
  status: MemberStatus;
  role: Role;
  term: number;
  transferee: MemberId;
  ready: boolean;
}

export interface EtcdClusterOptions {
  readonly members: readonly EtcdMemberSpec[];
  readonly defaults: EtcdDefaults;
  /** Round trip of the network between nodes, added to loopback delivery (0: all on one host). */
  readonly networkRoundTripMs?: number;
  /** Start every member at t=0 with no start delay, as a freshly formed cluster (default true). */
  readonly startAll?: boolean;
  /**
   * Writes per second the cluster's clients (the Kubernetes API) send now; 0 while they do not. The
   * leader appends them as batches at its ticks (`write-load.ts`). Absent: nothing writes but
   * `put` and each member's `publish`.
   */
  readonly writesPerSecond?: () => number;
  /**
   * Steady state costs no kernel event (default true): a serving follower's ticks are counted when
   * it is next touched, a serving leader's quiet answers wait, and the listeners run only when what
   * they read moved. false: every tick and answer is a kernel event and every Ready calls the
   * listeners, as before; the reference the steady path must equal record for record (tests).
   */
  readonly steadyState?: boolean;
}

/**
 * etcd members on the kernel: the operations (start, stop, power loss, `move-leader`, client puts)
 * and the queries the cluster world needs. The parts, one idea each: `host.ts` (state machines,
 * Ready handling, delivery), `member-lifecycle.ts` (process start and stop, ticks, prober),
 * `publish.ts` (serving clients after `publish`), `proposals.ts` (the write path),
 * `quorum-watch.ts` (leader and quorum), `leadership-transfer.ts`. Every state change is a trace
 * record of subsystem 'etcd' (src/trace/etcd.ts).
 */
export class EtcdCluster {
  readonly defaults: EtcdDefaults;
  private readonly host: EtcdHost;
  private readonly lifecycle: MemberLifecycle;
  private readonly quorum: QuorumWatch;
  private readonly publish: Publish;
  private readonly puts: ClientPuts;

  constructor(
    readonly sim: Simulation,
    options: EtcdClusterOptions,
  ) {
    this.defaults = options.defaults;
    this.host = new EtcdHost(
      sim,
      options.defaults,
      options.members,
      options.networkRoundTripMs ?? 0,
      options.steadyState ?? true,
    );
    this.quorum = new QuorumWatch(this.host);
    this.publish = new Publish(this.host);
    this.puts = new ClientPuts(this.host);
    this.lifecycle = new MemberLifecycle(this.host, () => this.changed());
    if (options.writesPerSecond !== undefined)
      this.host.writeLoad = new WriteLoad(
        options.writesPerSecond,
        options.defaults.timing.heartbeatIntervalMs,
      );
    this.host.putsIdle = () => this.puts.idle();
    this.host.afterReady = (m) => {
      this.puts.settle(m);
      this.publish.progress(m);
      if (!this.host.steady || this.host.listenersDue || this.quorumInputsMoved()) this.changed();
    };
    if (options.startAll ?? true) for (const id of this.host.voters) this.start(id, { startDelayMs: 0 });
  }

  private readonly listeners: (() => void)[] = [];

  /**
   * Something a listener reads besides etcd changed and the listener was not called (a node left or
   * entered `running`): the next Ready calls the listeners, as every Ready did before steady state
   * skipped them, so the listener sees the change at the same moment.
   */
  listenersDue(): void {
    // What etcd did before this moment it did with the listeners not due.
    this.host.touchAndLeave();
    this.host.listenersDue = true;
    for (const m of this.host.members.values()) {
      m.ticks.catchUp();
      m.ticks.arm();
      this.host.releaseAnswers(m);
    }
  }

  /**
   * Calls `listener` after every member start or stop and every Ready a member handles that changed
   * a member's status, role, term, transferee or serving: each moment the leader, quorum or
   * `canWrite()` can change, so a client of the cluster (the API) follows it at the resolution of
   * what happens rather than by sampling.
   */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.host.listenersDue = false;
    this.rememberQuorumInputs();
    this.quorum.check();
    for (const listener of this.listeners) listener();
  }

  /**
   * What `changed()` reads of the members, per member: status, role, term, leadership transferee,
   * serving (`ready`). The quorum watch and the API read nothing else of etcd (leader, quorum,
   * `canWrite`); the other things they read (node power, apiserver start) call them on their own
   * change. A heartbeat's Ready moves none of these, so steady state calls no listener.
   */
  private readonly seen: QuorumInputs[] = [];

  private rememberQuorumInputs(): void {
    let k = 0;
    for (const m of this.host.memberList) {
      const raft = m.raft;
      const seen = this.seen[k++];
      if (seen === undefined)
        this.seen.push({
          status: m.status,
          role: raft.role,
          term: raft.term,
          transferee: raft.leadTransferee,
          ready: m.ready,
        });
      else {
        seen.status = m.status;
        seen.role = raft.role;
        seen.term = raft.term;
        seen.transferee = raft.leadTransferee;
        seen.ready = m.ready;
      }
    }
  }

  private quorumInputsMoved(): boolean {
    if (this.seen.length === 0) return true;
    let k = 0;
    for (const m of this.host.memberList) {
      const seen = this.seen[k++];
      const raft = m.raft;
      if (
        seen.status !== m.status ||
        seen.role !== raft.role ||
        seen.term !== raft.term ||
        seen.transferee !== raft.leadTransferee ||
        seen.ready !== m.ready
      )
        return true;
    }
    return false;
  }

  // --- operations ---

  /** Starts a stopped member's process; Raft runs after `startDelayMs` (default: environment range). */
  start(id: MemberId, options: { startDelayMs?: number } = {}): void {
    this.lifecycle.start(id, options);
  }

  /**
   * SIGTERM: a leader first hands leadership to the longest-connected voter and waits for it, then
   * stops; others stop at once. The event succeeds when the member is gone.
   */
  stopGraceful(id: MemberId, options: { thenPowerOff?: boolean } = {}): Event<void> {
    return this.lifecycle.stopGraceful(id, options);
  }

  /** Power loss or SIGKILL: the member stops at once and its host no longer answers. */
  powerLoss(id: MemberId): void {
    this.lifecycle.powerLoss(id);
  }

  /**
   * A network partition between members' hosts (null: none). Messages across the cut are dropped;
   * Raft's own timers do the rest (checkQuorum deposes a cut-off leader, the majority elects once
   * its election timeout passes, pre-vote keeps a returning member from disrupting it).
   */
  setPartition(cut: ((from: MemberId, to: MemberId) => boolean) | null): void {
    this.host.setCut(cut);
    this.changed();
  }

  /** `etcdctl move-leader <to>`: the current leader transfers leadership to `to`. */
  moveLeader(to: MemberId): Event<TransferResult> {
    return moveLeader(this.host, this.quorum.leader(), to);
  }

  /**
   * A client write through member `via`: forwarded to the leader, answered when committed, failed
   * when `via` does not serve clients or at the timeout (default: etcd's request timeout).
   */
  put(via: MemberId, options: { timeoutMs?: number } = {}): Event<PutResult> {
    return this.puts.put(via, options);
  }

  // --- queries ---

  /** The running leader with the highest term, or null. */
  leader(): MemberId | null {
    return this.quorum.leader();
  }

  /** A leader whose term no running member has passed, with a majority of the voters running. */
  hasQuorum(): boolean {
    return this.quorum.hasQuorum();
  }

  /** Writes can commit now: quorum and no leadership transfer (which drops proposals). */
  canWrite(): boolean {
    return this.quorum.canWrite();
  }

  /** A linearizable read through `via` (default: the leader) can be answered: it needs quorum. */
  canServeLinearizable(via?: MemberId): boolean {
    const id = via ?? this.leader();
    return id !== null && this.host.canServe(this.host.member(id)) && this.hasQuorum();
  }

  /** A serializable read is answered from the member's own store, quorum or not, once it serves. */
  canServeSerializable(id: MemberId): boolean {
    return this.host.canServe(this.host.member(id));
  }

  /**
   * Succeeds when `hasQuorum()` is `up` (at once if it already is). Combine with a timeout
   * (`sim.anyOf([etcd.whenQuorum(), sim.timeout(s)])`): nothing guarantees quorum returns.
   */
  whenQuorum(up = true): Event<void> {
    return this.quorum.whenQuorum(up);
  }

  /** Succeeds when member `id` serves clients (at once if it does). */
  whenReady(id: MemberId): Event<void> {
    return this.publish.whenReady(id);
  }

  view(id: MemberId): MemberView {
    const m = this.host.member(id);
    this.host.settle();
    m.ticks.catchUp();
    return memberView(m);
  }

  /** Writes the leader appended from `writesPerSecond` so far (log indexes). */
  writesAppended(): number {
    this.host.settle();
    return this.host.writeLoad?.written ?? 0;
  }

  /**
   * The run ends at this instant (the plan runner, through the world): what a coasting cluster would
   * still have done at or before it is done, so the state and the count of events are the run's.
   */
  finish(): void {
    this.host.finish();
  }

  memberIds(): readonly MemberId[] {
    return this.host.voters;
  }

  /** The member placed on `node`, or null. */
  memberOn(node: string): MemberId | null {
    for (const m of this.host.members.values()) if (m.spec.node === node) return m.spec.id;
    return null;
  }
}
