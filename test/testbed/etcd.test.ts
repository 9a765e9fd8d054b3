// A real 3-member etcd on loopback (Debian's etcd-server), as the testbed runs it: the leader moves
// with move-leader through the etcd3 client, and two members down lose quorum (controlplane.md §1:
// a 3-member cluster needs 2 for quorum; S1: move-leader is deterministic).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdAccess } from '../../src/adapter/etcd.ts';
import { EtcdMembers, etcdBinary } from '../../src/testbed/etcd-members.ts';

const present = existsSync(etcdBinary);
if (!present)
  console.warn(`skipping the real etcd tests: ${etcdBinary} not installed (apt-get install etcd-server)`);

const NODES = ['harv41', 'harv42', 'harv43'];

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!present)('a real 3-member etcd on loopback', () => {
  let members: EtcdMembers;
  let access: EtcdAccess;

  beforeAll(async () => {
    members = await EtcdMembers.create(NODES);
    for (const node of NODES) members.start(node);
    access = new EtcdAccess(members.clientUrls(), NODES);
    await until('a leader', 20_000, async () => (await access.view()).leader);
  }, 30_000);

  afterAll(async () => {
    await members?.close();
  }, 20_000);

  it('elects one leader that every member reports (leader == header.member_id on exactly one)', async () => {
    const view = await access.view();
    expect(view.members.map((m) => m.node).sort()).toEqual(NODES);
    expect(NODES).toContain(view.leader);
    expect(await members.leader()).toBe(view.leader);
  }, 20_000);

  it('move-leader moves leadership to the member asked for, and the term grows', async () => {
    const before = await access.view();
    const target = NODES.find((n) => n !== before.leader) as string;
    await access.moveLeader(target);
    const after = await until('the new leader', 10_000, async () => {
      const v = await access.view();
      return v.leader === target ? v : null;
    });
    expect(after.leader).toBe(target);
    expect(after.raftTerm).toBeGreaterThan(before.raftTerm);
  }, 20_000);

  it('with two of three members stopped there is no leader (quorum lost); one back restores it', async () => {
    const leader = (await access.view()).leader as string;
    const others = NODES.filter((n) => n !== leader);
    members.stop(others[0]);
    members.stop(others[1]);
    await until('no leader', 15_000, async () => ((await members.leader()) === null ? true : null));
    members.start(others[0]);
    const back = await until('a leader again', 20_000, async () => (await access.view()).leader);
    expect([leader, others[0]]).toContain(back);
  }, 60_000);
});
