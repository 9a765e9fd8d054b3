import { RaftLog } from './log.ts';
import {
  appendAccepted,
  appendEntries,
  type Entry,
  type EntryKind,
  type MemberId,
  type Message,
  type MessageType,
  message,
  NONE,
  voteResponseType,
} from './message.ts';
import type { Observation, VoteLogs } from './observation.ts';
import { committedIndex, quorumSize, voteResult } from './quorum.ts';
import type { Role } from './role.ts';

export interface RaftConfig {
  id: MemberId;
  /** Every voter, this member included, in a fixed order. */
  voters: readonly MemberId[];
  /** Ticks without a leader before a campaign (etcd `ElectionTick`). */
  electionTick: number;
  /** Ticks between leader heartbeats (etcd `HeartbeatTick`). */
  heartbeatTick: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Uniform integer in [0, n): etcd raft's `globalRand.Intn`, supplied by the host. */
  randomBelow: (n: number) => number;
}

/** What survives a restart: etcd's HardState plus the WAL entries. */
export interface PersistentState {
  term: number;
  vote: MemberId;
  commit: number;
  entries: readonly Entry[];
}

/** etcd raft `Ready`: messages to send, observations, and whether state must be synced first. */
export interface Ready {
  messages: readonly Message[];
  observations: readonly Observation[];
  /** Term, vote or entries changed: Raft Figure 2 "updated on stable storage before responding". */
  mustSync: boolean;
}

/** The empty lists a Ready hands out (readonly by type; not frozen, so one elements kind reaches the host's loops). */
const NOTHING_SENT: readonly Message[] = [];
const NOTHING_OBSERVED: readonly Observation[] = [];

interface Progress {
  match: number;
  next: number;
  /** Heard from since the last check-quorum (etcd tracker.Progress.RecentActive). */
  recentActive: boolean;
}

/**
 * One etcd member's Raft state machine, in the shape of etcd-io/raft raft.go: `step(message)`,
 * a logical `tick()`, and `ready()` draining what to send. No clock, network or disk inside.
 * Snapshots, learners, configuration changes and ReadIndex are not modelled.
 */
export class RaftNode {
  readonly id: MemberId;
  readonly voters: readonly MemberId[];
  term: number;
  vote: MemberId;
  role: Role = 'follower';
  lead: MemberId = NONE;
  readonly log: RaftLog;
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  leadTransferee: MemberId = NONE;
  private votes = new Map<MemberId, boolean>();
  private progress = new Map<MemberId, Progress>();
  private outbox: Message[] = [];
  private spareOutbox: Message[] = [];
  private readonly readyOut: Ready = {
    messages: NOTHING_SENT,
    observations: NOTHING_OBSERVED,
    mustSync: false,
  };
  private observations: Observation[] = [];
  private dirty = false;

  constructor(
    private readonly config: RaftConfig,
    persisted?: PersistentState,
  ) {
    if (!config.voters.includes(config.id)) throw new Error(`member ${config.id} is not among the voters`);
    if (config.electionTick <= config.heartbeatTick) {
      throw new Error('electionTick must be greater than heartbeatTick (etcd raft Config.validate)');
    }
    this.id = config.id;
    this.voters = config.voters;
    this.term = persisted?.term ?? 0;
    this.vote = persisted?.vote ?? NONE;
    this.log = new RaftLog(persisted?.entries ?? [], persisted?.commit ?? 0);
    this.becomeFollower(this.term, NONE);
  }

  get electionTimeout(): number {
    return this.config.electionTick;
  }

  get quorum(): number {
    return quorumSize(this.voters.length);
  }

  persistentState(): PersistentState {
    return { term: this.term, vote: this.vote, commit: this.log.committed, entries: this.log.all() };
  }

  /**
   * Drains what the host must do: sync (if asked), then send the messages. The Ready and its lists
   * are valid until the next call (etcd raft: a Ready is handled before `Advance`): the host reads
   * them at once, and this node reuses them rather than allocating per call.
   */
  ready(): Ready {
    const ready = this.readyOut;
    const messages = this.outbox;
    if (messages.length === 0) ready.messages = NOTHING_SENT;
    else {
      // Two lists in turn: the one handed out last time is free again.
      ready.messages = messages;
      const spare = this.spareOutbox;
      // Emptied by pop: a few elements, and V8 inlines pop where `length = 0` is a runtime call.
      while (spare.length > 0) spare.pop();
      this.outbox = spare;
      this.spareOutbox = messages;
    }
    const observations = this.observations;
    if (observations.length === 0) ready.observations = NOTHING_OBSERVED;
    else {
      ready.observations = observations;
      this.observations = [];
    }
    ready.mustSync = this.dirty;
    this.dirty = false;
    return ready;
  }

  /** Advances the logical clock by one tick (etcd raft `tickElection` / `tickHeartbeat`). */
  tick(): void {
    if (this.role === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  /** Starts an election now (etcd raft MsgHup), as a timeout would. */
  hup(): void {
    if (this.role === 'leader') return;
    if (this.config.preVote) this.campaign('pre-election');
    else this.campaign('election');
  }

  /**
   * Leader: hand leadership to `to` (etcd raft MsgTransferLeader, Raft thesis §3.10). MsgTimeoutNow is
   * sent once the target's log matches; the transfer is aborted after one election timeout.
   */
  transferLeadership(to: MemberId): boolean {
    if (this.role !== 'leader' || to === this.id || !this.voters.includes(to)) return false;
    if (this.leadTransferee === to) return true;
    this.leadTransferee = to;
    this.electionElapsed = 0;
    this.observe({ type: 'transfer-started', to, term: this.term });
    const pr = this.progress.get(to)!;
    if (pr.match === this.log.lastIndex)
      this.send(message({ type: 'MsgTimeoutNow', from: this.id, to, term: this.term }));
    else this.sendAppend(to);
    return true;
  }

  /**
   * Leader: append an entry and replicate it; returns its index, or 0 when the proposal is dropped
   * (not leader, or transferring: etcd raft `stepLeader` MsgProp).
   */
  propose(kind: EntryKind, ref: number): number {
    if (this.role !== 'leader') {
      this.observe({ type: 'proposal-dropped', ref, reason: 'not-leader' });
      return 0;
    }
    if (this.leadTransferee !== NONE) {
      this.observe({ type: 'proposal-dropped', ref, reason: 'transferring' });
      return 0;
    }
    const index = this.appendEntry(kind, ref);
    this.broadcastAppend();
    return index;
  }

  /**
   * Leader: append `count` of the cluster's writes as one batch, replicated with the next heartbeat
   * (`tickHeartbeat` sends an append to a follower that lacks entries). The API's writes reach etcd as
   * proposals like `propose`'s; batching them per heartbeat keeps one log index per write without an
   * event per write. Dropped, as proposals are, when not leader or transferring.
   */
  appendWrites(count: number): number {
    if (this.role !== 'leader' || this.leadTransferee !== NONE || count < 1) return 0;
    return this.appendEntry('writes', 0, count);
  }

  /**
   * Leader: stepping follower answer `m` now would send, observe and persist nothing (a heartbeat
   * answer from an up-to-date follower, an accepted append that leaves it up to date): steady state,
   * whose answers a host may step later, in order, before anything else touches this node.
   */
  quietAnswer(m: Message): boolean {
    if (this.role !== 'leader' || m.term !== this.term || this.leadTransferee !== NONE) return false;
    const pr = this.progress.get(m.from);
    if (pr === undefined) return false;
    const last = this.log.lastIndex;
    if (m.type === 'MsgHeartbeatResp') return pr.match >= last;
    if (m.type === 'MsgAppResp') return !m.reject && Math.max(pr.next, m.index + 1) > last;
    return false;
  }

  /** Handles one message from a peer (etcd raft `Step`). */
  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
        // Raft thesis §4.2.3 / etcd raft Step: a member that heard from a leader within the minimum
        // election timeout ignores vote requests, unless they come from a leadership transfer.
        const inLease =
          this.config.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
        if (!m.transfer && inLease) {
          this.observe({
            type: 'vote-ignored-in-lease',
            from: m.from,
            term: m.term,
            preVote: m.type === 'MsgPreVote',
            remainingTicks: this.electionTimeout - this.electionElapsed,
            ...this.voteLogs(m),
          });
          return;
        }
      }
      if (m.type === 'MsgPreVote') {
        // A pre-vote never changes our term (etcd raft Step).
      } else if (m.type === 'MsgPreVoteResp' && !m.reject) {
        // Granted pre-votes carry the future term; the term moves when the real election starts.
      } else if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat') {
        this.becomeFollower(m.term, m.from);
      } else {
        // Raft §5.1: "If a server receives a request with a stale term number ... converts to follower."
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if (
        (this.config.checkQuorum || this.config.preVote) &&
        (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')
      ) {
        // Tell a stale leader our term so it steps down (etcd raft Step, "m.Term < r.Term").
        this.send(message({ type: 'MsgAppResp', from: this.id, to: m.from, term: this.term }));
      } else if (m.type === 'MsgPreVote') {
        this.refuseVote(m, this.log.isUpToDate(m.index, m.logTerm));
      }
      return;
    }

    if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
      this.handleVoteRequest(m);
      return;
    }
    if (this.role === 'leader') this.stepLeader(m);
    else if (this.role === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
  }

  // --- roles (etcd raft becomeFollower / becomePreCandidate / becomeCandidate / becomeLeader) ---

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
      this.dirty = true;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = NONE;
    this.votes = new Map();
    this.progress = new Map();
    for (const id of this.voters) {
      this.progress.set(id, {
        match: id === this.id ? this.log.lastIndex : 0,
        next: this.log.lastIndex + 1,
        recentActive: id === this.id,
      });
    }
  }

  /** Uniform in [electionTick, 2*electionTick) (Raft §5.2; etcd raft resetRandomizedElectionTimeout). */
  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.config.randomBelow(this.electionTimeout);
  }

  private setRole(role: Role): void {
    if (role !== this.role) this.observe({ type: 'role', from: this.role, to: role, term: this.term });
    this.role = role;
  }

  private becomeFollower(term: number, lead: MemberId): void {
    this.reset(term);
    this.lead = lead;
    this.setRole('follower');
  }

  private becomePreCandidate(): void {
    // Pre-candidacy changes neither term nor vote (etcd raft becomePreCandidate).
    this.votes = new Map();
    this.lead = NONE;
    this.setRole('pre-candidate');
  }

  private becomeCandidate(): void {
    this.reset(this.term + 1);
    this.vote = this.id;
    this.dirty = true;
    this.setRole('candidate');
  }

  private becomeLeader(): void {
    this.reset(this.term);
    this.lead = this.id;
    this.setRole('leader');
    this.observe({ type: 'leader-elected', term: this.term });
    // etcd raft becomeLeader appends an empty entry so entries of earlier terms can commit (Raft §5.4.2).
    this.appendEntry('empty', 0);
  }

  // --- ticks ---

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup();
    }
  }

  private tickHeartbeat(): void {
    if (!this.heartbeatDue()) return;
    // A follower missing entries (the write load appended since the last beat) gets them instead of
    // an empty heartbeat: an append carries the commit index and resets its election timer alike.
    for (const id of this.voters) {
      if (id === this.id) continue;
      if (this.progress.get(id)!.next <= this.log.lastIndex) this.sendAppend(id);
      else this.sendHeartbeat(id);
    }
  }

  /** A leader's tick up to its sends: the counters, check-quorum, a transfer's timeout; true when it beats. */
  private heartbeatDue(): boolean {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.config.checkQuorum) this.checkQuorum();
      if (this.role === 'leader' && this.leadTransferee !== NONE) {
        this.observe({ type: 'transfer-aborted', to: this.leadTransferee, term: this.term });
        this.leadTransferee = NONE;
      }
    }
    if (this.role !== 'leader' || this.heartbeatElapsed < this.config.heartbeatTick) return false;
    this.heartbeatElapsed = 0;
    return true;
  }

  // --- a steady beat delivered by the host itself (host.ts `replayBeats`) ---
  // The same transitions as tick / sendAppend / stepFollower+handleAppend / ready, for the one case a
  // coasting cluster repeats: the leader appends the write load and every follower, whose log ends
  // where the leader's progress says, accepts it. No message object is built for the appends.

  /** Leader: whether check-quorum at the next tick keeps it leading (it counts the active voters). */
  keepsQuorumAtNextTick(): boolean {
    if (!this.config.checkQuorum || this.electionElapsed + 1 < this.electionTimeout) return true;
    let active = 0;
    for (const [id, pr] of this.progress) if (id === this.id || pr.recentActive) active++;
    return active >= this.quorum;
  }

  /** Leader: `tick` without building its appends; true when it beats (the host then calls `appendSent`). */
  tickBeat(): boolean {
    if (this.role !== 'leader') throw new Error(`tickBeat on a ${this.role}`);
    const due = this.heartbeatDue();
    if (this.role !== 'leader' || this.observations.length > 0)
      throw new Error(`member ${this.id} did more than beat at a steady tick`);
    return due;
  }

  /** Leader: the index after which the next append to `to` starts (its progress `next` less one). */
  prevIndexFor(to: MemberId): number {
    return this.progress.get(to)!.next - 1;
  }

  /** Leader: `sendAppend`'s bookkeeping for an append the host delivers itself (pipelined: next moves on). */
  appendSent(to: MemberId): void {
    this.progress.get(to)!.next = this.log.lastIndex + 1;
  }

  /**
   * Leader: a follower's accepted append answer given by its fields (`stepLeader` MsgAppResp, not
   * rejected): it marks the follower active and moves its progress and the commit; in a steady beat
   * it sends nothing, which this checks.
   */
  appendAcked(from: MemberId, index: number): void {
    const pr = this.progress.get(from);
    if (this.role !== 'leader' || pr === undefined)
      throw new Error(`member ${this.id} cannot take an answer from ${from}`);
    pr.recentActive = true;
    if (index > pr.match) pr.match = index;
    pr.next = Math.max(pr.next, index + 1);
    this.maybeCommit();
    if (pr.next <= this.log.lastIndex || from === this.leadTransferee)
      throw new Error(`member ${this.id}: the answer from ${from} is not a steady one`);
  }

  /** The Ready of a steady step that sent and observed nothing: whether it must sync first. */
  syncOnly(): boolean {
    if (this.outbox.length > 0 || this.observations.length > 0)
      throw new Error(`member ${this.id} has messages or observations in a steady Ready`);
    const dirty = this.dirty;
    this.dirty = false;
    return dirty;
  }

  /**
   * Follower: an append from its leader `from` that extends its log exactly (`prevIndex` is its last
   * index, of the same term): stepFollower + handleAppend, less the answer, which the host builds.
   * Returns the new last index. The sync it needs (entries appended) is the host's to draw.
   */
  acceptExtension(
    from: MemberId,
    term: number,
    prevIndex: number,
    entries: readonly Entry[],
    commit: number,
  ): number {
    if (this.role !== 'follower' || term !== this.term || this.log.lastIndex !== prevIndex)
      throw new Error(`member ${this.id} cannot take a steady append at ${prevIndex}`);
    this.electionElapsed = 0;
    this.lead = from;
    for (let i = 0; i < entries.length; i++) this.log.append(entries[i]);
    const last = this.log.lastIndex;
    this.log.commitTo(Math.min(commit, last));
    return last;
  }

  /** Check-quorum (Raft thesis §6.2; etcd raft MsgCheckQuorum): step down without an active majority. */
  private checkQuorum(): void {
    let active = 0;
    for (const [id, pr] of this.progress) {
      if (id === this.id || pr.recentActive) active++;
      if (id !== this.id) pr.recentActive = false;
    }
    if (active < this.quorum) {
      this.observe({ type: 'step-down-quorum-inactive', term: this.term });
      this.becomeFollower(this.term, NONE);
    }
  }

  // --- elections ---

  private campaign(kind: 'pre-election' | 'election' | 'transfer'): void {
    const afterPreVote = kind === 'election' && this.role === 'pre-candidate';
    let voteType: 'MsgVote' | 'MsgPreVote';
    let term: number;
    if (kind === 'pre-election') {
      this.becomePreCandidate();
      voteType = 'MsgPreVote';
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteType = 'MsgVote';
      term = this.term;
    }
    this.observe({
      type: 'campaign',
      term,
      preVote: kind === 'pre-election',
      transfer: kind === 'transfer',
      afterPreVote,
    });
    if (this.poll(this.id, voteType, true) === 'won') {
      // A single-voter cluster wins at once.
      if (kind === 'pre-election') this.campaign('election');
      else this.becomeLeader();
      return;
    }
    const index = this.log.lastIndex;
    const logTerm = this.log.lastTerm;
    for (const to of this.voters) {
      if (to === this.id) continue;
      this.observe({ type: 'vote-request', to, term, logTerm, index, preVote: kind === 'pre-election' });
      this.send(
        message({ type: voteType, from: this.id, to, term, index, logTerm, transfer: kind === 'transfer' }),
      );
    }
  }

  private poll(from: MemberId, type: MessageType, granted: boolean) {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    if (!granted) {
      this.observe({
        type: 'vote-rejection-received',
        from,
        term: this.term,
        preVote: type === 'MsgPreVote',
      });
    }
    return voteResult(this.voters, this.votes);
  }

  private handleVoteRequest(m: Message): void {
    // Raft §5.2: "each server will vote for at most one candidate in a given term, on a first-come-first-
    // served basis"; a pre-vote for a future term is answered without recording a vote (etcd raft Step).
    const canVote =
      this.vote === m.from ||
      (this.vote === NONE && this.lead === NONE) ||
      (m.type === 'MsgPreVote' && m.term > this.term);
    const upToDate = this.log.isUpToDate(m.index, m.logTerm);
    if (canVote && upToDate) {
      this.send(
        message({ type: voteResponseType(m.type as 'MsgVote'), from: this.id, to: m.from, term: m.term }),
      );
      if (m.type === 'MsgVote') {
        this.electionElapsed = 0;
        this.vote = m.from;
        this.dirty = true;
      }
    } else {
      this.refuseVote(m, upToDate);
    }
  }

  private refuseVote(m: Message, upToDate: boolean): void {
    const preVote = m.type === 'MsgPreVote';
    this.observe({
      type: 'vote-refused',
      from: m.from,
      term: m.term,
      preVote,
      upToDate,
      ...this.voteLogs(m),
    });
    const type = voteResponseType(m.type as 'MsgVote');
    this.send(message({ type, from: this.id, to: m.from, term: this.term, reject: true }));
  }

  private voteLogs(m: Message): VoteLogs {
    return {
      logTerm: this.log.lastTerm,
      index: this.log.lastIndex,
      vote: this.vote,
      candidateLogTerm: m.logTerm,
      candidateIndex: m.index,
    };
  }

  // --- per-role step functions ---

  private stepLeader(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    if (m.type === 'MsgAppResp') {
      pr.recentActive = true;
      if (m.reject) {
        // A rejection of an index already known to match is stale (etcd tracker.Progress.MaybeDecrTo).
        if (m.index < pr.match) return;
        // Probe below the rejected index (etcd tracker.Progress.MaybeDecrTo: next = max(min(rejected,
        // matchHint+1), match+1)); counting from `next`, which pipelining moved past the log's end,
        // would resend the same rejected index forever when the follower holds conflicting entries
        // of its own (a leader cut off by a partition appended writes no one else has).
        pr.next = Math.max(pr.match + 1, Math.min(m.rejectHint + 1, m.index));
        this.sendAppend(m.from);
        return;
      }
      if (m.index > pr.match) pr.match = m.index;
      pr.next = Math.max(pr.next, m.index + 1);
      this.maybeCommit();
      if (pr.next <= this.log.lastIndex) this.sendAppend(m.from);
      if (m.from === this.leadTransferee && pr.match === this.log.lastIndex) {
        this.send(message({ type: 'MsgTimeoutNow', from: this.id, to: m.from, term: this.term }));
      }
    } else if (m.type === 'MsgHeartbeatResp') {
      pr.recentActive = true;
      if (pr.match < this.log.lastIndex) this.sendAppend(m.from);
    }
  }

  private stepCandidate(m: Message): void {
    const responseType = this.role === 'pre-candidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
    if (m.type === 'MsgApp') {
      this.becomeFollower(m.term, m.from);
      this.handleAppend(m);
    } else if (m.type === 'MsgHeartbeat') {
      this.becomeFollower(m.term, m.from);
      this.handleHeartbeat(m);
    } else if (m.type === responseType) {
      const result = this.poll(m.from, m.type, !m.reject);
      if (result === 'won') {
        if (this.role === 'pre-candidate') this.campaign('election');
        else {
          this.becomeLeader();
          this.broadcastAppend();
        }
      } else if (result === 'lost') {
        this.becomeFollower(this.term, NONE);
      }
    }
  }

  private stepFollower(m: Message): void {
    if (m.type === 'MsgApp') {
      this.electionElapsed = 0;
      this.lead = m.from;
      this.handleAppend(m);
    } else if (m.type === 'MsgHeartbeat') {
      this.electionElapsed = 0;
      this.lead = m.from;
      this.handleHeartbeat(m);
    } else if (m.type === 'MsgTimeoutNow') {
      // Leadership transfer skips pre-vote: "we know we are not recovering from a partition"
      // (etcd raft stepFollower, MsgTimeoutNow).
      this.campaign('transfer');
    }
  }

  // --- replication (Raft §5.3) ---

  private appendEntry(kind: EntryKind, ref: number, count = 1): number {
    const index = this.log.appendFields(this.term, kind, ref, count);
    const own = this.progress.get(this.id)!;
    own.match = index;
    own.next = index + 1;
    this.dirty = true;
    // The leader's own append commits only where it is a majority alone (a single voter).
    if (this.voters.length === 1) this.maybeCommit();
    return index;
  }

  /** Raft §5.4.2: only entries of the current term are committed by counting replicas. */
  private maybeCommit(): void {
    const index = committedIndex(this.voters, this.progress);
    if (index > this.log.committed && this.log.term(index) === this.term) this.log.commitTo(index);
  }

  private broadcastAppend(): void {
    for (const id of this.voters) if (id !== this.id) this.sendAppend(id);
  }

  private sendAppend(to: MemberId): void {
    const pr = this.progress.get(to)!;
    const prevIndex = pr.next - 1;
    this.send(
      appendEntries(
        this.id,
        to,
        this.term,
        prevIndex,
        this.log.term(prevIndex),
        this.log.from(pr.next),
        this.log.committed,
      ),
    );
    // Optimistic pipelining (etcd tracker StateReplicate): assume delivery; a rejection rewinds `next`.
    pr.next = this.log.lastIndex + 1;
  }

  private sendHeartbeat(to: MemberId): void {
    // etcd raft bcastHeartbeat: commit = min(match, committed), so followers never commit past their log.
    const commit = Math.min(this.progress.get(to)!.match, this.log.committed);
    this.send(message({ type: 'MsgHeartbeat', from: this.id, to, term: this.term, commit }));
  }

  private handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      this.send(
        message({
          type: 'MsgAppResp',
          from: this.id,
          to: m.from,
          term: this.term,
          index: this.log.committed,
        }),
      );
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.entries);
    if (lastNew >= 0) {
      if (m.entries.length > 0) this.dirty = true;
      this.log.commitTo(Math.min(m.commit, lastNew));
      this.send(appendAccepted(this.id, m.from, this.term, lastNew));
    } else {
      const rejectHint = Math.min(m.index, this.log.lastIndex);
      this.send(
        message({
          type: 'MsgAppResp',
          from: this.id,
          to: m.from,
          term: this.term,
          index: m.index,
          reject: true,
          rejectHint,
        }),
      );
    }
  }

  private handleHeartbeat(m: Message): void {
    this.log.commitTo(m.commit);
    this.send(message({ type: 'MsgHeartbeatResp', from: this.id, to: m.from, term: this.term }));
  }

  private send(m: Message): void {
    this.outbox.push(m);
  }

  private observe(o: Observation): void {
    this.observations.push(o);
  }
}
