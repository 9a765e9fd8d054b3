/** The etcd defaults table: values from the sources named beside each entry. */
import { describe, expect, it } from 'vitest';
import { requestTimeoutMs } from '../../src/etcd/defaults.ts';
import { electionTicks, etcdDefaults, etcdDefaultsTable } from '../../src/etcd/index.ts';

describe('etcd defaults', () => {
  it('upstream etcd: heartbeat 100 ms, election 1000 ms, so ElectionTick 10 (etcd-io/etcd server/embed/config.go)', () => {
    const d = etcdDefaults('3.4.23', 'upstream');
    expect([d.timing.heartbeatIntervalMs, d.timing.electionTimeoutMs, electionTicks(d.timing)]).toEqual([
      100, 1000, 10,
    ]);
  });

  it('RKE2 (k3s pkg/etcd/etcd.go): heartbeat 500 ms, election 5000 ms, still 10 ticks', () => {
    const d = etcdDefaults('3.5.9', 'rke2');
    expect([d.timing.heartbeatIntervalMs, d.timing.electionTimeoutMs, electionTicks(d.timing)]).toEqual([
      500, 5000, 10,
    ]);
  });

  it('pre-vote is off in 3.4 and on from 3.5.0; check-quorum is always on', () => {
    expect(etcdDefaults('3.4.23', 'upstream').timing.preVote).toBe(false);
    expect(etcdDefaults('3.5.0', 'upstream').timing.preVote).toBe(true);
    expect(etcdDefaults('3.5.9', 'rke2').timing.preVote).toBe(true);
    for (const v of ['3.4.23', '3.5.9', '3.6.0'])
      expect(etcdDefaults(v, 'upstream').timing.checkQuorum).toBe(true);
  });

  it('request timeout is 5 s plus two election timeouts: 15 s on RKE2 (server/config/config.go ReqTimeout)', () => {
    expect(requestTimeoutMs(etcdDefaults('3.5.9', 'rke2'))).toBe(15_000);
    expect(requestTimeoutMs(etcdDefaults('3.4.23', 'upstream'))).toBe(7_000);
  });

  it('timing is overridable per scenario', () => {
    const d = etcdDefaults('3.5.9', 'rke2', {
      timing: { heartbeatIntervalMs: 250 },
      environment: { processStartMs: { min: 1, max: 2 } },
    });
    expect(d.timing.heartbeatIntervalMs).toBe(250);
    expect(d.timing.electionTimeoutMs).toBe(5000);
    expect(d.environment.processStartMs).toEqual({ min: 1, max: 2 });
  });

  it('every entry names its source', () => {
    const table = etcdDefaultsTable('3.4.23', 'upstream');
    for (const group of [table.timing, table.internals, table.environment]) {
      for (const [key, entry] of Object.entries(group)) expect(entry.source, key).toMatch(/\S+:\S+/);
    }
  });
});
