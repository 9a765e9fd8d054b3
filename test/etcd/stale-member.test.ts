/**
 * A member stopped first is behind (issue 15 §1): the cluster's API writes leases and heartbeats to
 * etcd while it serves, so the members stopped later hold entries the first one lacks, and Raft's
 * vote rule decides what its restart can do. Run on the shipped seed-witness scenario under the KB
 * plan with the etcd members stopped harv41, harv43, harv42 (leader last) and restarted in other
 * orders. Rules: Raft §5.4.1 and etcd-io/raft raft.go (`Step`: MsgVote/MsgPreVote are granted only
 * when `r.raftLog.isUpToDate(m.Index, m.LogTerm)`; a pre-vote never changes the voter's term) and
 * thesis §9.6 (pre-vote).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planFromData } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { scenarioFromData } from '../../src/scenario/load.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;
const yaml = (path: string) => parse(readFileSync(file(path), 'utf8'));

const FIRST = 'harv41';
const SECOND = 'harv43';
const LAST = 'harv42';

/**
 * The KB plan with the etcd members stopped FIRST, SECOND, LAST (the leader) and `restart` in place
 * of its "power on the last shut down first, then the etcd group" steps.
 */
function run(restart: object[], options: { preVote?: boolean; seed?: number } = {}) {
  const scenarioData = yaml('seed-witness.yaml');
  if (options.preVote !== undefined) {
    scenarioData.settings ??= {};
    scenarioData.settings.etcd = { ...scenarioData.settings.etcd, 'pre-vote': options.preVote };
  }
  const scenario = scenarioFromData(scenarioData, 'seed-witness.yaml');
  const planData = yaml('plans/kb-shutdown-restart.yaml');
  const steps: any[] = [];
  const kb: any[] = planData.steps;
  for (let i = 0; i < kb.length; i++) {
    const step = kb[i];
    if (step.step === 'etcd.move-leader') steps.push({ ...step, to: LAST, waitFor: undefined });
    else if (step.id === 'shutdown-etcd-members') steps.push({ ...step, nodes: [FIRST, SECOND, LAST] });
    else if (step.id === 'power-on-last-shut-down') {
      // The KB's first power-on and the 3-minute sleep after it.
      expect(kb[i + 1].step).toBe('sleep');
      steps.push(...restart);
      i++;
    } else if (step.id === 'power-on-etcd-members')
      steps.push({ step: 'wait-for', condition: 'nodes-ready', group: 'etcd', timeout: '20m' });
    else steps.push(step);
  }
  for (const step of steps) if (step.waitFor === undefined) delete step.waitFor;
  planData.steps = steps;
  const records = runPlan(scenario, planFromData(planData, 'stale-member'), { seed: options.seed ?? 7 })
    .records as any[];
  const etcd = (kind: string) => records.filter((r) => r.subsystem === 'etcd' && r.kind === kind);
  const running = (member: string) =>
    etcd('member-running')
      .filter((r) => r.data.member === member)
      .at(-1);
  const exit = (member: string) => etcd('member-exit').find((r) => r.data.member === member);
  return { records, etcd, running, exit };
}

const aloneThenSecond = [
  { step: 'node.power-on', node: FIRST },
  { step: 'sleep', duration: '3m' },
  { step: 'node.power-on', node: SECOND },
  { step: 'sleep', duration: '2m' },
  { step: 'node.power-on', node: LAST },
];

/**
 * seed-witness writes while its API serves (src/profiles/cluster-write-load-defaults.ts), by hand:
 * 4 nodes x (1/10 lease + 1/300 status + 1/96 virt-handler) + 6 Longhorn volumes x 1/30
 * + leases 3/2 (control plane) + 1/2 (virt-controller) + 2/2 (wrangler) + 4/5 (CSI) = 4.455 /s.
 */
const WRITES_PER_SECOND = 4 * (1 / 10 + 1 / 300 + 1 / 96) + 6 / 30 + 3 / 2 + 1 / 2 + 2 / 2 + 4 / 5;

describe('the cluster writes while its API serves: a member stopped early is behind (issue 15 §1)', () => {
  it('the first member stopped lacks the writes of the time until the second stop; the leader stopped last has the longest log', () => {
    const r = run(aloneThenSecond);
    const first = r.running(FIRST).data.lastIndex;
    const second = r.running(SECOND).data.lastIndex;
    const last = r.running(LAST).data.lastIndex;
    // Between the first and the second stop two of three members run and the API serves.
    const awaySeconds = r.exit(SECOND).timeSeconds - r.exit(FIRST).timeSeconds;
    expect(awaySeconds).toBeGreaterThan(10);
    // One batch per 500 ms heartbeat (RKE2): the count is within one batch of rate x time.
    expect(Math.abs(second - first - WRITES_PER_SECOND * awaySeconds)).toBeLessThanOrEqual(
      WRITES_PER_SECOND * 0.5 + 1,
    );
    // After the second stop quorum is gone: no write commits, so the leader's log is not much longer.
    expect(last).toBeGreaterThanOrEqual(second);
    expect(last - second).toBeLessThanOrEqual(WRITES_PER_SECOND * 0.5 + 2);
  });
});

describe('restarting the member stopped first, first (etcd raft Step: votes only for an up-to-date log)', () => {
  it('pre-vote on (etcd 3.5, as RKE2 runs it): alone its term stays; the next member refuses it and leads at the next term', () => {
    const r = run(aloneThenSecond);
    const termAtStop = r.running(FIRST).data.term;
    const secondRuns = r.running(SECOND).timeSeconds;
    const elected = r.etcd('leader-elected').filter((e) => e.timeSeconds > r.running(FIRST).timeSeconds);
    // Alone, its pre-votes reach nobody and a pre-vote never changes the term (etcd raft campaign).
    const aloneElections = r
      .etcd('election-start')
      .filter((e) => e.data.member === FIRST && e.timeSeconds < secondRuns);
    expect(aloneElections.length).toBeGreaterThan(10);
    expect(aloneElections.every((e) => e.data.preVote && e.data.term === termAtStop + 1)).toBe(true);
    // Raft's prediction for a stale member: it cannot win; the up-to-date member does, at term+1.
    expect(elected[0].data.member).toBe(SECOND);
    expect(elected[0].data.term).toBe(termAtStop + 1);
    expect(elected.some((e) => e.data.member === FIRST)).toBe(false);
    for (const refusal of r.etcd('pre-vote-rejected').filter((e) => e.data.candidate === FIRST))
      expect(refusal.data.upToDate).toBe(false);
  });

  it('pre-vote off (etcd 3.4 default): alone its term climbs one per election; it still cannot win, and the cluster leads at a term above the one it climbed to', () => {
    const r = run(aloneThenSecond, { preVote: false });
    const termAtStop = r.running(FIRST).data.term;
    const secondRuns = r.running(SECOND).timeSeconds;
    const aloneElections = r
      .etcd('election-start')
      .filter((e) => e.data.member === FIRST && e.timeSeconds < secondRuns);
    // One election per randomized timeout of [10, 20) ticks of 500 ms (5-10 s) while it is alone.
    const aloneSeconds = secondRuns - r.running(FIRST).timeSeconds;
    expect(aloneSeconds).toBeGreaterThan(180);
    expect(aloneElections.length).toBeGreaterThanOrEqual(Math.floor(aloneSeconds / 10) - 1);
    expect(aloneElections.length).toBeLessThanOrEqual(Math.ceil(aloneSeconds / 5));
    const climbed = aloneElections.at(-1)!.data.term;
    expect(climbed).toBe(termAtStop + aloneElections.length);
    const elected = r.etcd('leader-elected').filter((e) => e.timeSeconds > secondRuns)[0];
    expect(elected.data.member).toBe(SECOND);
    // The disruption: the up-to-date member must outbid the stale member's inflated term.
    expect(elected.data.term).toBeGreaterThan(climbed);
    const refused = r.etcd('vote-rejected').filter((e) => e.data.candidate === FIRST);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.data.member === SECOND && e.data.upToDate === false)).toBe(true);
  });

  it('restarted together with the second member, the first still cannot win: the order of starts does not help a stale log', () => {
    const r = run([
      { step: 'node.power-on', nodes: [FIRST, SECOND], order: 'parallel' },
      { step: 'sleep', duration: '2m' },
      { step: 'node.power-on', node: LAST },
    ]);
    const since = r.running(FIRST).timeSeconds;
    const elected = r.etcd('leader-elected').filter((e) => e.timeSeconds > since);
    expect(elected[0].data.member).toBe(SECOND);
    expect(elected.some((e) => e.data.member === FIRST)).toBe(false);
  });

  it('the KB order, the last stopped first: it wins as soon as a second member runs, whatever that member holds', () => {
    const r = run([
      { step: 'node.power-on', node: LAST },
      { step: 'sleep', duration: '3m' },
      { step: 'node.power-on', node: FIRST },
      { step: 'sleep', duration: '2m' },
      { step: 'node.power-on', node: SECOND },
    ]);
    const since = r.running(LAST).timeSeconds;
    const elected = r.etcd('leader-elected').filter((e) => e.timeSeconds > since);
    expect(elected[0].data.member).toBe(LAST);
    expect(elected[0].timeSeconds).toBeGreaterThan(r.running(FIRST).timeSeconds);
  });
});
