/**
 * A real etcd cluster on loopback, one member per etcd node of the scenario (management and witness
 * nodes), powered with its node: the member's process runs while the node runs and stops
 * (SIGTERM, or SIGKILL for a hard power-off) when the node goes down. Leadership is etcd's own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const etcdBinary = process.env.HARVESTER_SIM_ETCD ?? '/usr/bin/etcd';

export interface EtcdMemberInfo {
  readonly node: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
}

export interface EtcdStatus {
  /** The member id, as etcd prints it in hex. */
  readonly memberIdHex: string;
  readonly leaderIdHex: string;
  readonly raftTerm: number;
}

/** Free loopback TCP ports, chosen by the kernel. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  const servers = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    ports.push(address.port);
    servers.push(server);
  }
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  return ports;
}

function hex(decimal: string | undefined): string {
  return decimal === undefined ? '0' : BigInt(decimal).toString(16);
}

/** POSTs JSON to etcd's grpc-gateway on loopback; bounded by `timeoutMs`. */
function gateway(url: string, path: string, body: unknown, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`etcd ${url} timed out`)));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export class EtcdMembers {
  readonly members: readonly EtcdMemberInfo[];
  private readonly processes = new Map<string, ChildProcess>();
  private readonly dataDir: string;
  private closed = false;

  /** Members die with the process that started them, even when it exits without `close()`. */
  private readonly onExit = () => {
    for (const child of this.processes.values()) child.kill('SIGKILL');
  };

  private constructor(members: EtcdMemberInfo[]) {
    this.members = members;
    this.dataDir = mkdtempSync(join(tmpdir(), 'harvester-sim-etcd-'));
    process.once('exit', this.onExit);
  }

  /** Chooses ports for one member per node; nothing runs until `start`. */
  static async create(nodes: readonly string[]): Promise<EtcdMembers> {
    if (!existsSync(etcdBinary))
      throw new Error(`${etcdBinary} not found: install Debian's etcd-server (apt-get install etcd-server)`);
    const ports = await freePorts(nodes.length * 2);
    return new EtcdMembers(
      nodes.map((node, i) => ({
        node,
        clientUrl: `http://127.0.0.1:${ports[2 * i]}`,
        peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
      })),
    );
  }

  clientUrls(): string[] {
    return this.members.map((m) => m.clientUrl);
  }

  isRunning(node: string): boolean {
    return this.processes.has(node);
  }

  /** Starts the member of `node` (its data directory survives stops, like a node's disk). */
  start(node: string): void {
    if (this.closed || this.processes.has(node)) return;
    const member = this.member(node);
    const cluster = this.members.map((m) => `${m.node}=${m.peerUrl}`).join(',');
    const child = spawn(
      etcdBinary,
      [
        '--name',
        node,
        '--data-dir',
        join(this.dataDir, node),
        '--listen-client-urls',
        member.clientUrl,
        '--advertise-client-urls',
        member.clientUrl,
        '--listen-peer-urls',
        member.peerUrl,
        '--initial-advertise-peer-urls',
        member.peerUrl,
        '--initial-cluster',
        cluster,
        '--initial-cluster-state',
        'new',
        '--initial-cluster-token',
        'harvester-sim-testbed',
        '--log-level',
        'error',
        '--logger',
        'zap',
      ],
      { stdio: 'ignore' },
    );
    child.on('exit', () => {
      if (this.processes.get(node) === child) this.processes.delete(node);
    });
    this.processes.set(node, child);
  }

  /** Stops the member of `node`: SIGTERM (graceful shutdown) or SIGKILL (power cut). */
  stop(node: string, hard = false): void {
    const child = this.processes.get(node);
    if (child === undefined) return;
    this.processes.delete(node);
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
  }

  /** `etcdctl endpoint status` for one member, or null when it does not answer. */
  async status(node: string, timeoutMs = 1000): Promise<EtcdStatus | null> {
    if (!this.processes.has(node)) return null;
    try {
      const reply = (await gateway(this.member(node).clientUrl, '/v3/maintenance/status', {}, timeoutMs)) as {
        header?: { member_id?: string };
        leader?: string;
        raftTerm?: string;
      };
      if (reply.header?.member_id === undefined) return null;
      return {
        memberIdHex: hex(reply.header.member_id),
        leaderIdHex: hex(reply.leader),
        raftTerm: Number(reply.raftTerm ?? 0),
      };
    } catch {
      return null;
    }
  }

  /** The node whose member leads, as the running members report it; null without a leader. */
  async leader(): Promise<string | null> {
    const statuses = await Promise.all(
      this.members.map(async (m) => [m.node, await this.status(m.node)] as const),
    );
    const ids = new Map(
      statuses.flatMap(([node, s]) => (s === null ? [] : [[s.memberIdHex, node] as const])),
    );
    for (const [, s] of statuses) {
      if (s !== null && s.leaderIdHex !== '0' && ids.has(s.leaderIdHex))
        return ids.get(s.leaderIdHex) ?? null;
    }
    return null;
  }

  /** Stops every member and removes the data directories. */
  async close(): Promise<void> {
    this.closed = true;
    process.removeListener('exit', this.onExit);
    const exits = [...this.processes.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    this.processes.clear();
    await Promise.all(exits);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private member(node: string): EtcdMemberInfo {
    const member = this.members.find((m) => m.node === node);
    if (member === undefined) throw new Error(`no etcd member on node '${node}'`);
    return member;
  }
}
