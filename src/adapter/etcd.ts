/**
 * etcd leadership through the etcd3 client: `etcdctl endpoint status --cluster` (leader ⇔
 * `leader == header.member_id`, controlplane.md §7 and S2) and `etcdctl move-leader`, which must be
 * sent to the current leader. Members are matched to nodes by name (RKE2 names a member
 * `<node>-<suffix>`). Every call has a deadline.
 */
import { Etcd3 } from 'etcd3';

export interface EtcdMember {
  readonly node: string;
  readonly idHex: string;
  readonly clientUrl: string;
}

export interface EtcdView {
  readonly members: readonly EtcdMember[];
  /** The node whose member leads, or null. */
  readonly leader: string | null;
  readonly raftTerm: number;
}

const CALL_DEADLINE_MS = 4000;
/** Rounds of asking every endpoint before giving up (a loaded machine can miss one deadline). */
const VIEW_ATTEMPTS = 3;

const hex = (id: string | number): string => BigInt(id).toString(16);

function nodeOf(memberName: string, nodes: readonly string[]): string {
  return nodes.find((n) => memberName === n || memberName.startsWith(`${n}-`)) ?? memberName;
}

function client(endpoint: string): Etcd3 {
  return new Etcd3({ hosts: [endpoint], dialTimeout: CALL_DEADLINE_MS });
}

const deadline = () => ({ deadline: new Date(Date.now() + CALL_DEADLINE_MS) });

export class EtcdAccess {
  constructor(
    readonly endpoints: readonly string[],
    private readonly nodes: readonly string[],
  ) {}

  /** The member list and who leads, asking every endpoint at once and taking the first answer. */
  async view(attempts = VIEW_ATTEMPTS): Promise<EtcdView> {
    let reasons: string[] = [];
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      try {
        return await Promise.any(this.endpoints.map((endpoint) => this.viewVia(endpoint)));
      } catch (error) {
        reasons = error instanceof AggregateError ? error.errors.map(message) : [message(error)];
      }
    }
    throw new Error(
      `no etcd endpoint answered (${this.endpoints.join(', ')}): ${[...new Set(reasons)].join('; ')}`,
    );
  }

  private async viewVia(endpoint: string): Promise<EtcdView> {
    const etcd = client(endpoint);
    try {
      const list = await etcd.cluster.memberList({}, deadline());
      const status = await etcd.maintenance.status(deadline());
      const members = list.members.map((m) => ({
        node: nodeOf(m.name, this.nodes),
        idHex: hex(m.ID),
        clientUrl: m.clientURLs[0] ?? '',
      }));
      const leaderHex = hex(status.leader);
      const leader = members.find((m) => m.idHex === leaderHex)?.node ?? null;
      return { members, leader, raftTerm: Number(status.raftTerm) };
    } finally {
      etcd.close();
    }
  }

  /** `etcdctl move-leader`: sent to the leader; resolves once etcd reports the transfer done. */
  async moveLeader(toNode: string): Promise<void> {
    const view = await this.view();
    if (view.leader === toNode) return;
    const target = view.members.find((m) => m.node === toNode);
    if (target === undefined) throw new Error(`no etcd member on node ${toNode}`);
    const leader = view.members.find((m) => m.node === view.leader);
    if (leader === undefined) throw new Error('etcd has no leader to move');
    const etcd = client(leader.clientUrl);
    try {
      await etcd.maintenance.moveLeader({ targetID: BigInt(`0x${target.idHex}`).toString() }, deadline());
    } finally {
      etcd.close();
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
