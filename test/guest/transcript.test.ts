/**
 * Golden transcript (etcd raft's testdata habit): a node outage longer than the stale timeout on
 * Harvester 1.3.0, then a weekly trim during the full rebuild, as the trace shows it. Changed only on
 * purpose: `REWRITE=1 npx vitest run test/guest/transcript.test.ts` regenerates it; review the diff.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { canonicalJson, type TraceRecord } from '../../sim/index.ts';
import { GuestModel } from '../../src/guest/model.ts';
import { expectGolden } from '../golden/golden-file.ts';
import { fixture, vm1 } from '../longhorn/cluster-fixture.ts';

const GOLDEN = resolve(dirname(fileURLToPath(import.meta.url)), 'testdata/trim-during-rebuild-1.3.0.txt');

function line(r: TraceRecord<string, any>): string {
  return `${r.timeSeconds.toFixed(3).padStart(9)}  ${`${r.subsystem}/${r.kind}`.padEnd(28)} ${canonicalJson(r.data)}`;
}

function transcript(): string {
  const f = fixture({
    harvesterVersion: '1.3.0',
    vms: [
      {
        name: 'vm-1',
        node: 'n1',
        volumes: ['vol-1'],
        writeRate: '1MB/s',
        fstrim: { every: '168h', first: '2600s' },
      },
    ],
  });
  const guests = new GuestModel({ sim: f.sim, scenario: f.scenario, storage: f.model });
  guests.vmStarted(vm1, 'n1');
  f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
  f.at(2500, () => f.model.nodeReady('n2'));
  f.sim.run({ until: 4000 });
  const shown = f.sink.records.filter((r) => r.kind !== 'storage.accounting');
  return `${shown.map(line).join('\n')}\n`;
}

describe('golden transcript', () => {
  it('Harvester 1.3.0: stale replica, full rebuild, trim, VM flapping until the rebuild ends', () => {
    const text = transcript();
    expectGolden(GOLDEN, text);
  });
});
