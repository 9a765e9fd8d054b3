/**
 * Fidelity against a real etcd 3.4.23 cluster (test/calibration/etcd): upstream timing
 * (100/1000 ms), pre-vote off, loopback. The model runs each scenario over many seeds and its
 * distribution is compared with the measured trials. Tolerances are stated per check; none is fitted
 * per case. What the model does not explain is listed in docs/model/etcd.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measured, type ResultRow, readResults, texts } from './calibration-results.ts';
import {
  type CycleMetrics,
  cycleScenario,
  type FaultMetrics,
  faultScenario,
  moveLeaderScenario,
  percentile,
} from './calibration-scenarios.ts';

/** The writer puts every 20 ms: a write-derived time is only known to within one write interval. */
const WRITE_INTERVAL_MS = 20;

let rows: ResultRow[];
beforeAll(() => {
  rows = readResults();
});

const min = (xs: number[]) => Math.min(...xs);
const max = (xs: number[]) => Math.max(...xs);
const median = (xs: number[]) => percentile(xs, 0.5);
const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);

describe('S1 power loss of the leader (n=10 measured; 300 seeds)', () => {
  let runs: FaultMetrics[];
  beforeAll(() => {
    runs = Array.from({ length: 300 }, (_, i) => faultScenario(10_000 + i, 'S1'));
  });

  it('the model elects a new leader in every run, with one election round in most', () => {
    expect(runs.every((r) => r.leader_elected_ms !== undefined)).toBe(true);
    expect(measured(rows, 'S1_kill_leader', 'election_rounds')).toEqual(Array(10).fill(1));
    const multi = runs.filter((r) => r.election_rounds > 1).length / runs.length;
    // Extra rounds come from a follower still in the old leader's lease ignoring the first candidate
    // (README: "rare extra rounds"): expected when the first timeout is the minimum, 10 ticks, and the
    // other follower's tick phase lags, about 0.19 x 0.5.
    expect(multi).toBeGreaterThan(0);
    expect(multi).toBeLessThan(0.15);
  });

  it('leader_elected_ms: every measured value inside the model P1..P99, measured median inside P25..P75, medians within 10 %', () => {
    const m = measured(rows, 'S1_kill_leader', 'leader_elected_ms');
    const p = defined(runs.map((r) => r.leader_elected_ms));
    for (const x of m) {
      expect(x).toBeGreaterThanOrEqual(percentile(p, 0.01));
      expect(x).toBeLessThanOrEqual(percentile(p, 0.99));
    }
    expect(median(m)).toBeGreaterThanOrEqual(percentile(p, 0.25));
    expect(median(m)).toBeLessThanOrEqual(percentile(p, 0.75));
    expect(Math.abs(median(p) - median(m)) / median(m)).toBeLessThan(0.1);
  });

  it('leader_elected_ms of single-round elections: model P10..P90 inside the measured min..max', () => {
    const m = measured(rows, 'S1_kill_leader', 'leader_elected_ms');
    const p = defined(runs.filter((r) => r.election_rounds === 1).map((r) => r.leader_elected_ms));
    expect(percentile(p, 0.1)).toBeGreaterThanOrEqual(min(m));
    expect(percentile(p, 0.9)).toBeLessThanOrEqual(max(m));
  });

  it('write_ok_http_ms: writes resume within one write interval of the election, median within 10 %', () => {
    const m = measured(rows, 'S1_kill_leader', 'write_ok_http_ms');
    const p = defined(runs.map((r) => r.write_ok_http_ms));
    expect(Math.abs(median(p) - median(m)) / median(m)).toBeLessThan(0.1);
    for (const r of runs)
      expect(r.write_ok_http_ms! - r.leader_elected_ms!).toBeLessThan(WRITE_INTERVAL_MS + 10);
  });
});

describe('S1f power loss of a follower (control)', () => {
  it('no election in any run; the write gap stays within one write interval of the measured largest gap', () => {
    const runs = Array.from({ length: 50 }, (_, i) => faultScenario(20_000 + i, 'S1f'));
    expect(measured(rows, 'S1f_kill_follower', 'leader_elected_ms')).toEqual([]);
    expect(runs.every((r) => r.leader_elected_ms === undefined && r.election_rounds === 0)).toBe(true);
    const m = measured(rows, 'S1f_kill_follower', 'gap_http_ms');
    expect(max(runs.map((r) => r.gap_http_ms))).toBeLessThanOrEqual(max(m) + WRITE_INTERVAL_MS);
  });
});

describe('S2 graceful stop of the leader', () => {
  let runs: FaultMetrics[];
  beforeAll(() => {
    runs = Array.from({ length: 100 }, (_, i) => faultScenario(30_000 + i, 'S2'));
  });

  it('leadership moves by MsgTimeoutNow, without an election timeout or a vote ignored under lease', () => {
    expect(measured(rows, 'S2_term_leader', 'election_rounds')).toEqual(Array(10).fill(0));
    expect(runs.every((r) => r.election_rounds === 0 && r.votes_ignored_lease === 0)).toBe(true);
  });

  it('leader_elected_ms: a few ms — model median inside the measured range, P90 under 10 ms', () => {
    const m = measured(rows, 'S2_term_leader', 'leader_elected_ms');
    const p = defined(runs.map((r) => r.leader_elected_ms));
    expect(median(p)).toBeGreaterThanOrEqual(min(m));
    expect(median(p)).toBeLessThanOrEqual(max(m));
    expect(percentile(p, 0.9)).toBeLessThan(10);
  });

  it('no write outage: the largest gap stays within one write interval of the measured largest gap', () => {
    const m = measured(rows, 'S2_term_leader', 'gap_http_ms');
    expect(
      percentile(
        runs.map((r) => r.gap_http_ms),
        0.9,
      ),
    ).toBeLessThanOrEqual(max(m) + WRITE_INTERVAL_MS);
  });

  it('the transfer "took" one poll of MoveLeader (100 ms); the process exits after it (teardown not modelled)', () => {
    const took = measured(rows, 'S2_term_leader', 'transfer_took_ms');
    const exit = measured(rows, 'S2_term_leader', 'exit_ms');
    for (const r of runs) {
      expect(r.exit_ms).toBeGreaterThanOrEqual(Math.floor(min(took)) - 1e-6);
      expect(r.exit_ms).toBeLessThanOrEqual(max(took));
      expect(r.exit_ms).toBeLessThan(min(exit));
    }
  });
});

describe('S3 move-leader', () => {
  it('server_transfer_ms: model P10..P90 inside the measured min..max', () => {
    const m = measured(rows, 'S3_move_leader', 'server_transfer_ms');
    const runs = Array.from({ length: 100 }, (_, i) =>
      moveLeaderScenario(40_000 + i, i % 2 === 0 ? 'm1' : 'm2'),
    );
    const p = runs.map((r) => r.server_transfer_ms);
    expect(percentile(p, 0.1)).toBeGreaterThanOrEqual(min(m));
    expect(percentile(p, 0.9)).toBeLessThanOrEqual(max(m));
  });
});

describe('S4 stop all, restart the last stopped first', () => {
  const variants = [
    ['FFL_D1', 'FFL', 1],
    ['LFF_D1', 'LFF', 1],
    ['FLF_D1', 'FLF', 1],
    ['FFL_D10', 'FFL', 10],
  ] as const;
  const runs = new Map<string, CycleMetrics[]>();
  beforeAll(() => {
    for (const [variant, order, delayS] of variants) {
      runs.set(
        variant,
        Array.from({ length: 30 }, (_, i) => cycleScenario(50_000 + i, order, delayS)),
      );
    }
  });

  for (const [variant] of variants) {
    it(`${variant}: with 2 of 3 up everything works; with 1 of 3 writes and linearizable reads fail, serializable reads answer`, () => {
      const expectStep = (step: number, op: string) => {
        const values = [...new Set(texts(rows, 'S4_cycle', `step${step}_${op}`, [variant]))];
        expect(values).toHaveLength(1);
        return values[0] === 'ok';
      };
      for (const r of runs.get(variant)!) {
        expect(r.steps[0].put.every((x) => x === expectStep(1, 'put'))).toBe(true);
        expect(r.steps[0].linearizable.every((x) => x === expectStep(1, 'get_linearizable'))).toBe(true);
        expect(r.steps[0].serializable.every((x) => x === expectStep(1, 'get_serializable'))).toBe(true);
        expect(r.steps[1].put.every((x) => x === expectStep(2, 'put'))).toBe(true);
        expect(r.steps[1].linearizable.every((x) => x === expectStep(2, 'get_linearizable'))).toBe(true);
        expect(r.steps[1].serializable.every((x) => x === expectStep(2, 'get_serializable'))).toBe(true);
      }
    });

    it(`${variant}: writes stop at the second stop (within one write interval of the measured range)`, () => {
      const m = measured(rows, 'S4_cycle', 'ctr_last_ack_rel_step2_ms', [variant]);
      for (const r of runs.get(variant)!) {
        expect(r.ctr_last_ack_rel_step2_ms).toBeGreaterThanOrEqual(min(m) - WRITE_INTERVAL_MS);
        expect(r.ctr_last_ack_rel_step2_ms).toBeLessThanOrEqual(max(m) + WRITE_INTERVAL_MS);
      }
    });

    it(`${variant}: the lone member is never leader, serves nothing, and its term climbs by its elections`, () => {
      expect(measured(rows, 'S4_cycle', 'lone_became_leader', [variant]).every((x) => x === 0)).toBe(true);
      expect(texts(rows, 'S4_cycle', 'lone_get_serializable', [variant]).every((x) => x === 'fail')).toBe(
        true,
      );
      const elections = measured(rows, 'S4_cycle', 'lone_elections', [variant]);
      for (const r of runs.get(variant)!) {
        expect(r.lone_became_leader).toBe(0);
        expect(r.lone_serves).toBe(false);
        expect(r.lone_term_inflation).toBe(r.lone_elections);
        expect(r.lone_elections).toBeGreaterThanOrEqual(min(elections) - 1);
        expect(r.lone_elections).toBeLessThanOrEqual(max(elections) + 1);
      }
    });

    it(`${variant}: the first-started member becomes leader; the third joins without a leader change`, () => {
      expect(texts(rows, 'S4_cycle', 't2_leader_is', [variant]).every((x) => x === '1st-started')).toBe(true);
      const t3 = measured(rows, 'S4_cycle', 't3_ready_ms', [variant]);
      for (const r of runs.get(variant)!) {
        expect(r.t2_leader_is).toBe('1st-started');
        expect(r.t3_leader_changes).toBe(0);
        expect(r.t3_ready_ms).toBeLessThanOrEqual(max(t3));
      }
    });
  }

  it('D = 1 s: second member back → leader, model P10..P90 inside the measured min..max (the D = 1 s trials)', () => {
    const m = measured(rows, 'S4_cycle', 't2_leader_ms', ['FFL_D1', 'LFF_D1', 'FLF_D1']);
    const p = defined(['FFL_D1', 'LFF_D1', 'FLF_D1'].flatMap((v) => runs.get(v)!.map((r) => r.t2_leader_ms)));
    expect(percentile(p, 0.1)).toBeGreaterThanOrEqual(min(m));
    expect(percentile(p, 0.9)).toBeLessThanOrEqual(max(m));
  });

  it("D = 10 s: the lone candidate's next timeout decides; model median inside the measured range (n=4)", () => {
    const m = measured(rows, 'S4_cycle', 't2_leader_ms', ['FFL_D10']);
    const p = defined(runs.get('FFL_D10')!.map((r) => r.t2_leader_ms));
    expect(median(p)).toBeGreaterThanOrEqual(min(m));
    expect(median(p)).toBeLessThanOrEqual(max(m));
  });
});
