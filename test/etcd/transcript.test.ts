/**
 * Golden transcript (etcd raft's testdata/*.txt habit): the KB's shutdown and restart of three etcd
 * members on RKE2 timing, as the trace shows it. Changed only on purpose:
 * `REWRITE=1 npx vitest run test/etcd/transcript.test.ts` regenerates the file; review the diff.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { canonicalJson, MemorySink, Simulation, type TraceRecord } from '../../sim/index.ts';
import { EtcdCluster, etcdDefaults } from '../../src/etcd/index.ts';
import { expectGolden } from '../golden/golden-file.ts';

const GOLDEN = resolve(dirname(fileURLToPath(import.meta.url)), 'testdata/kb-shutdown-restart.txt');

function line(r: TraceRecord<string, any>): string {
  const { member, message, ...rest } = r.data as Record<string, unknown>;
  const who = typeof member === 'string' ? member : '-';
  const what = typeof message === 'string' ? message : canonicalJson(rest);
  return `${r.timeSeconds.toFixed(4).padStart(9)}  ${r.kind.padEnd(18)} ${who.padEnd(3)} ${what}`;
}

function transcript(): string {
  const sim = new Simulation({ seed: 20240722 });
  const sink = sim.trace.addSink(new MemorySink());
  const etcd = new EtcdCluster(sim, {
    members: ['m1', 'm2', 'm3'].map((id, i) => ({
      id,
      node: `harv4${i + 1}`,
      address: `192.168.122.14${i + 1}`,
    })),
    defaults: etcdDefaults('3.5.9', 'rke2'),
  });
  const at = (seconds: number, action: () => void) => {
    sim.run({ until: seconds, maxEvents: 1_000_000 });
    action();
  };
  at(30, () => etcd.moveLeader('m1'));
  // KB §4 5(d): the two non-leaders one by one, the leader last; §5.1: the last one back first.
  at(40, () => etcd.stopGraceful('m3', { thenPowerOff: true }));
  at(45, () => etcd.stopGraceful('m2', { thenPowerOff: true }));
  at(50, () => etcd.stopGraceful('m1', { thenPowerOff: true }));
  at(60, () => etcd.start('m1'));
  at(100, () => etcd.start('m2'));
  at(130, () => etcd.start('m3'));
  sim.run({ until: 160, maxEvents: 1_000_000 });
  return `${sink.records.map(line).join('\n')}\n`;
}

describe('golden transcript', () => {
  it('KB shutdown and restart on RKE2 timing (etcd 3.5.9, pre-vote on)', () => {
    const text = transcript();
    expectGolden(GOLDEN, text);
  });
});
