/**
 * The calibration campaign's scenarios (test/calibration/etcd/README.md) replayed on the model:
 * three members m1..m3 on loopback, upstream timing (100/1000 ms), etcd 3.4 (pre-vote off), and an
 * HTTP-like writer putting every 20 ms through the members still serving. Each function returns the
 * scenario's metrics under the names results.csv uses.
 */
import { MemorySink, Simulation, type TraceRecord } from '../../sim/index.ts';
import { EtcdCluster, type EtcdDefaults, etcdDefaults, type MemberId } from '../../src/etcd/index.ts';

export const MEMBERS: readonly MemberId[] = ['m1', 'm2', 'm3'];
const WRITE_EVERY_MS = 20;
const WRITE_TIMEOUT_MS = 1000;
/** Healthy cluster before the fault: formed and serving, writer running for a while. */
const SETTLE_MS = 4000;

export interface Run {
  sim: Simulation;
  cluster: EtcdCluster;
  records: TraceRecord<string, any>[];
  acks: { sentMs: number; ackMs: number }[];
}

export function upstream34(): EtcdDefaults {
  return etcdDefaults('3.4.23', 'upstream');
}

export function newRun(seed: number, defaults: EtcdDefaults = upstream34(), networkRoundTripMs = 0): Run {
  const sim = new Simulation({ seed });
  const sink = sim.trace.addSink(new MemorySink());
  const cluster = new EtcdCluster(sim, {
    members: MEMBERS.map((id, i) => ({ id, node: `node${i + 1}` })),
    defaults,
    networkRoundTripMs,
  });
  return { sim, cluster, records: sink.records, acks: [] };
}

/** The writer: a put every 20 ms through the next member that serves clients. */
export function startWriter(run: Run, untilMs: number): void {
  const { sim, cluster } = run;
  let turn = 0;
  sim.process(
    (function* () {
      while (sim.now * 1000 < untilMs) {
        const serving = MEMBERS.filter((id) => cluster.canServeSerializable(id));
        if (serving.length > 0) {
          const via = serving[turn++ % serving.length];
          const sentMs = sim.now * 1000;
          cluster.put(via, { timeoutMs: WRITE_TIMEOUT_MS }).addCallback((e) => {
            if (e.value.ok) run.acks.push({ sentMs, ackMs: sim.now * 1000 });
          });
        }
        yield sim.timeout(WRITE_EVERY_MS / 1000);
      }
    })(),
    'writer',
  );
}

export function runUntilMs(run: Run, ms: number): void {
  run.sim.run({ until: ms / 1000, maxEvents: 5_000_000 });
}

function recordsAfter(run: Run, kind: string, fromMs: number): TraceRecord<string, any>[] {
  return run.records.filter((r) => r.kind === kind && r.timeSeconds * 1000 >= fromMs);
}

export function firstAfterMs(run: Run, kind: string, fromMs: number): number | undefined {
  const r = recordsAfter(run, kind, fromMs)[0];
  return r === undefined ? undefined : r.timeSeconds * 1000 - fromMs;
}

/** Largest interval between acknowledged writes spanning `eventMs`. */
function gapAcrossMs(run: Run, eventMs: number): number {
  const acks = run.acks.map((a) => a.ackMs).sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < acks.length; i++) {
    if (acks[i] >= eventMs && acks[i - 1] <= eventMs + 5000) gap = Math.max(gap, acks[i] - acks[i - 1]);
  }
  return gap;
}

function firstAckSentAfterMs(run: Run, eventMs: number): number | undefined {
  const ack = run.acks.filter((a) => a.sentMs >= eventMs).sort((a, b) => a.ackMs - b.ackMs)[0];
  return ack === undefined ? undefined : ack.ackMs - eventMs;
}

export interface FaultMetrics {
  leader_elected_ms?: number;
  election_rounds: number;
  votes_ignored_lease: number;
  write_ok_http_ms?: number;
  gap_http_ms: number;
  exit_ms?: number;
}

/** S1 (power loss of the leader) or S1f (of a follower), S2 (SIGTERM of the leader). */
export function faultScenario(seed: number, kind: 'S1' | 'S1f' | 'S2'): FaultMetrics {
  const run = newRun(seed);
  const faultMs = SETTLE_MS + run.sim.rng.stream('scenario').uniform(0, 100);
  startWriter(run, faultMs + 4000);
  runUntilMs(run, faultMs);
  const leader = run.cluster.leader();
  if (leader === null) throw new Error(`seed ${seed}: no leader before the fault`);
  let exitMs: number | undefined;
  if (kind === 'S1') run.cluster.powerLoss(leader);
  else if (kind === 'S1f') run.cluster.powerLoss(MEMBERS.find((id) => id !== leader)!);
  else run.cluster.stopGraceful(leader).addCallback(() => (exitMs = run.sim.now * 1000 - faultMs));
  runUntilMs(run, faultMs + 4000);
  const elections = recordsAfter(run, 'election-start', faultMs);
  const electedAt = firstAfterMs(run, 'leader-elected', faultMs);
  const before =
    electedAt === undefined
      ? elections
      : elections.filter((r) => r.timeSeconds * 1000 - faultMs <= electedAt);
  return {
    leader_elected_ms: electedAt,
    election_rounds: before.filter((r) => !r.data.transfer).length,
    votes_ignored_lease: recordsAfter(run, 'vote-ignored-lease', faultMs).filter(
      (r) => electedAt === undefined || r.timeSeconds * 1000 - faultMs <= electedAt,
    ).length,
    write_ok_http_ms: firstAckSentAfterMs(run, faultMs),
    gap_http_ms: gapAcrossMs(run, faultMs),
    exit_ms: exitMs,
  };
}

/** S3: make m3 leader, then `move-leader` to m1 or m2; the transfer inside etcd, in ms. */
export function moveLeaderScenario(
  seed: number,
  to: MemberId,
): { server_transfer_ms: number; gap_http_ms: number } {
  const run = newRun(seed);
  startWriter(run, SETTLE_MS + 6000);
  runUntilMs(run, SETTLE_MS);
  run.cluster.moveLeader('m3');
  runUntilMs(run, SETTLE_MS + 2000);
  if (run.cluster.leader() !== 'm3') throw new Error(`seed ${seed}: m3 did not become leader`);
  const moveMs = SETTLE_MS + 2000 + run.sim.rng.stream('scenario').uniform(0, 100);
  runUntilMs(run, moveMs);
  run.cluster.moveLeader(to);
  runUntilMs(run, moveMs + 3000);
  const startMs = recordsAfter(run, 'transfer-start', moveMs)[0].timeSeconds * 1000;
  return {
    server_transfer_ms: firstAfterMs(run, 'leader-elected', startMs)!,
    gap_http_ms: gapAcrossMs(run, moveMs),
  };
}

export interface CycleMetrics {
  stopped: MemberId[];
  /** After each stop: [put, linearizable get, serializable get] per member still up. */
  steps: { up: MemberId[]; put: boolean[]; linearizable: boolean[]; serializable: boolean[] }[];
  /** Last acknowledged write relative to the second stop signal. */
  ctr_last_ack_rel_step2_ms: number;
  lone_elections: number;
  lone_term_inflation: number;
  lone_became_leader: number;
  lone_serves: boolean;
  t2_leader_ms?: number;
  t2_leader_is?: '1st-started' | '2nd-started';
  t3_ready_ms?: number;
  t3_leader_changes: number;
}

const STEP_GAP_MS = 3000;

/**
 * S4: stop the members one by one (gracefully) in the order the letters give (F follower, L current
 * leader), then restart the last stopped alone, the second D seconds later, the third 1 s after the
 * first acknowledged write.
 */
export function cycleScenario(
  seed: number,
  order: 'FFL' | 'LFF' | 'FLF',
  delayS: number,
  inspect?: (run: Run) => void,
): CycleMetrics {
  const run = newRun(seed);
  const { cluster } = run;
  const endMs = SETTLE_MS + 3 * STEP_GAP_MS + delayS * 1000 + 8000;
  startWriter(run, endMs);
  runUntilMs(run, SETTLE_MS);
  const stopped: MemberId[] = [];
  const steps: CycleMetrics['steps'] = [];
  let step2Ms = 0;
  const phase = run.sim.rng.stream('scenario');
  for (let i = 0; i < 3; i++) {
    // The stops fall at any phase of the writer and of the ticks.
    runUntilMs(run, run.sim.now * 1000 + phase.uniform(0, 100));
    const up = MEMBERS.filter((id) => !stopped.includes(id));
    const leader = cluster.leader();
    const followers = up.filter((id) => id !== leader);
    const victim = order[i] === 'L' && leader !== null ? leader : (followers[followers.length - 1] ?? up[0]);
    const atMs = run.sim.now * 1000;
    if (i === 1) step2Ms = atMs;
    cluster.stopGraceful(victim);
    stopped.push(victim);
    runUntilMs(run, atMs + 1500);
    if (i < 2) {
      const still = MEMBERS.filter((id) => !stopped.includes(id));
      steps.push({
        up: still,
        put: still.map(() => cluster.canWrite()),
        linearizable: still.map((id) => cluster.canServeLinearizable(id)),
        serializable: still.map((id) => cluster.canServeSerializable(id)),
      });
    }
    runUntilMs(run, atMs + STEP_GAP_MS);
  }
  const lastAck = Math.max(...run.acks.map((a) => a.ackMs));
  const ackedBefore = run.acks.length;
  // Restart: the last stopped first, alone.
  const [first, second, third] = [stopped[2], stopped[1], stopped[0]];
  const firstStartMs = run.sim.now * 1000;
  const termAtStop = cluster.view(first).term;
  cluster.start(first);
  const secondStartMs = firstStartMs + delayS * 1000;
  runUntilMs(run, secondStartMs - 1);
  const loneElections = recordsAfter(run, 'election-start', firstStartMs).filter(
    (r) => r.data.member === first,
  ).length;
  const loneLeader = recordsAfter(run, 'leader-elected', firstStartMs).length;
  const loneServes = cluster.canServeSerializable(first) || cluster.canWrite();
  const loneTerm = cluster.view(first).term - termAtStop;
  runUntilMs(run, secondStartMs);
  cluster.start(second);
  let thirdStartMs: number | undefined;
  run.sim.process(
    (function* () {
      while (run.acks.length === ackedBefore) yield run.sim.timeout(0.005);
      yield run.sim.timeout(1);
      thirdStartMs = run.sim.now * 1000;
      cluster.start(third);
    })(),
    'third-start',
  );
  runUntilMs(run, endMs);
  inspect?.(run);
  const elected = recordsAfter(run, 'leader-elected', secondStartMs)[0];
  const leaderChangesAfterThird =
    thirdStartMs === undefined ? 0 : recordsAfter(run, 'leader-elected', thirdStartMs).length;
  const thirdReady =
    thirdStartMs === undefined
      ? undefined
      : recordsAfter(run, 'member-ready', thirdStartMs).find((r) => r.data.member === third);
  return {
    stopped,
    steps,
    ctr_last_ack_rel_step2_ms: lastAck - step2Ms,
    lone_elections: loneElections,
    lone_term_inflation: loneTerm,
    lone_became_leader: loneLeader,
    lone_serves: loneServes,
    t2_leader_ms: elected === undefined ? undefined : elected.timeSeconds * 1000 - secondStartMs,
    t2_leader_is:
      elected === undefined ? undefined : elected.data.member === first ? '1st-started' : '2nd-started',
    t3_ready_ms: thirdReady === undefined ? undefined : thirdReady.timeSeconds * 1000 - thirdStartMs!,
    t3_leader_changes: leaderChangesAfterThird,
  };
}

/** Percentile by linear interpolation between order statistics (p in [0, 1]). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}
