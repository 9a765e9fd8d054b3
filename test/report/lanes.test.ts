import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/evaluate/timeline.ts';
import { laneItems } from '../../src/report/lanes.ts';

const at = (timeSeconds: number, subsystem: string, kind: string, data: object): TimelineEntry => ({
  timeSeconds,
  subsystem,
  kind,
  data,
});

const timeline: TimelineEntry[] = [
  at(0, 'run', 'run.start', { nodes: [{ name: 'harv41' }, { name: 'harv42' }] }),
  at(0, 'plan', 'step.start', { index: 0, id: 'shutdown-harv41', type: 'node.shutdown', note: '' }),
  at(10, 'nodes', 'node.power', { node: 'harv41', from: 'running', to: 'shutting-down', mode: 'graceful' }),
  at(40, 'nodes', 'node.power', { node: 'harv41', from: 'shutting-down', to: 'off', mode: 'graceful' }),
  at(40, 'plan', 'step.end', {
    index: 0,
    id: 'shutdown-harv41',
    type: 'node.shutdown',
    ok: true,
    detail: 'done',
  }),
  at(45, 'etcd', 'quorum-lost', { leader: null, running: ['harv42'] }),
  at(45, 'kube', 'api.unavailable', { reason: 'no-etcd-quorum' }),
  at(90, 'guest', 'vm.paused', {
    vm: 'default/db1',
    reason: 'io-error',
    volume: 'v',
    disk: 'disk-0',
    cause: 'trim',
    flap: 1,
  }),
  at(95, 'guest', 'vm.unpaused', { vm: 'default/db1', pausedSeconds: 5, flap: 1 }),
];

describe('timeline lanes (issue 12: node power, etcd quorum, API, paused VMs ...)', () => {
  const items = laneItems(timeline, 100);
  const of = (lane: string, row: string) =>
    items.filter((i) => i.lane === lane && i.row === row).map((i) => [i.startSeconds, i.endSeconds, i.state]);

  it('node power: the state before the first change, each change, and a node that never changed', () => {
    expect(of('node-power', 'harv41')).toEqual([
      [0, 10, 'running'],
      [10, 40, 'shutting-down'],
      [40, 100, 'off'],
    ]);
    expect(of('node-power', 'harv42')).toEqual([[0, 100, 'running']]);
  });

  it('the plan starts on a settled cluster: quorum held and the API available until they are lost', () => {
    expect(of('etcd', 'quorum')).toEqual([
      [0, 45, 'held'],
      [45, 100, 'lost'],
    ]);
    expect(of('api-vip', 'API')).toEqual([
      [0, 45, 'available'],
      [45, 100, 'unavailable'],
    ]);
  });

  it('a step is a bar from its start to its end, with its outcome; a pause from paused to unpaused', () => {
    expect(of('steps', 'steps')).toEqual([[0, 40, 'ok']]);
    expect(items.find((i) => i.lane === 'steps')?.detail).toMatch(
      /^steps: step 0 shutdown-harv41 \(node.shutdown\): ok/,
    );
    expect(of('paused-vms', 'default/db1')).toEqual([[90, 95, 'paused']]);
  });
});
