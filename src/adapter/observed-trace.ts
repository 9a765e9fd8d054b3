/**
 * The observed trace of an executed replay: records of the contract's types (docs/trace.md), one
 * canonical JSON line each, appended and flushed as they happen. Trace time is cluster time:
 * real seconds since the replay began × the time scale (1 on a real cluster; the testbed's speed
 * on the testbed), so it compares with a prediction in simulated seconds. A background observer
 * polls the API and etcd and writes what changed: node readiness, the etcd leader, API
 * availability, VM phases, Longhorn rebuilds into new replicas (rebuild-observer.ts). Its loop is
 * bounded by `stop()` and each poll by the client's deadline.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { VmPhase } from '../trace/kubevirt.ts';
import type { DataOf, KindOf, Subsystem } from '../trace/record.ts';
import type { EtcdAccess } from './etcd.ts';
import type { KubeClient } from './kube-client.ts';
import { RebuildObserver } from './rebuild-observer.ts';
import { PATHS } from './snapshot.ts';

/** JSON with keys sorted at every level (the trace files' canonical form). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class ObservedTrace {
  private lastSeconds = 0;

  constructor(
    readonly path: string,
    private readonly startedAtMs: number,
    private readonly timeScale: number,
  ) {
    if (!existsSync(path)) writeFileSync(path, '');
    else {
      // A replay killed mid-write leaves a torn last line: drop it; keep times monotonic on resume.
      const text = readFileSync(path, 'utf8');
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const whole = lines.filter((l) => {
        try {
          JSON.parse(l);
          return true;
        } catch {
          return false;
        }
      });
      if (whole.length !== lines.length || (text !== '' && !text.endsWith('\n')))
        writeFileSync(path, whole.map((l) => `${l}\n`).join(''));
      const last = whole[whole.length - 1];
      if (last !== undefined) this.lastSeconds = (JSON.parse(last) as { timeSeconds: number }).timeSeconds;
    }
  }

  get nowSeconds(): number {
    return Math.max(this.lastSeconds, ((Date.now() - this.startedAtMs) / 1000) * this.timeScale);
  }

  emit<S extends Subsystem, K extends KindOf<S>>(subsystem: S, kind: K, data: DataOf<S, K>): void {
    const timeSeconds = Math.round(this.nowSeconds * 1000) / 1000;
    this.lastSeconds = timeSeconds;
    appendFileSync(this.path, `${canonical({ timeSeconds, subsystem, kind, data })}\n`);
  }

  /** Whether a record of this kind was already written (a resumed replay writes `run.start` once). */
  has(subsystem: string, kind: string): boolean {
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .some((l) => l.includes(`"kind":"${kind}"`) && l.includes(`"subsystem":"${subsystem}"`));
  }
}

/** Real milliseconds between polls (a rebuild's observed start and end are each this late at most, plus the poll). */
export const OBSERVE_PERIOD_MS = 500;

type VmiObject = {
  metadata: { name: string; namespace?: string };
  status?: { phase?: string; nodeName?: string };
};
type NodeObject = {
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
};

/** Polls the cluster and writes what changed, until stopped. */
export class ClusterObserver {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly ready = new Map<string, string>();
  private readonly vms = new Map<string, string>();
  private leader: string | null | undefined = undefined;
  private api: boolean | undefined = undefined;
  private readonly rebuilds: RebuildObserver;

  constructor(
    private readonly trace: ObservedTrace,
    private readonly client: KubeClient,
    private readonly etcd: EtcdAccess | null,
  ) {
    this.rebuilds = new RebuildObserver(trace, client);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** One observation; right after each step without etcd (a down etcd answers only at its deadline). */
  async observe(withEtcd = true): Promise<void> {
    let apiUp = true;
    try {
      const nodes = await this.client.list<NodeObject>(PATHS.nodes);
      for (const n of nodes) {
        const status =
          n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? 'True' : 'Unknown';
        if (this.ready.get(n.metadata.name) !== status) {
          if (this.ready.has(n.metadata.name) || status === 'True')
            this.trace.emit('nodes', 'node.ready', { node: n.metadata.name, status });
          this.ready.set(n.metadata.name, status);
        }
      }
      const vmis = await this.client.list<VmiObject>(PATHS.vmis);
      const seen = new Set<string>();
      for (const vmi of vmis) {
        const key = `${vmi.metadata.namespace}/${vmi.metadata.name}`;
        seen.add(key);
        const phase = vmPhase(vmi.status?.phase);
        if (this.vms.get(key) !== phase) {
          this.trace.emit('kubevirt', 'vm.phase', {
            vm: key,
            phase,
            node: vmi.status?.nodeName ?? null,
            reason: 'observed',
          });
          this.vms.set(key, phase);
        }
      }
      for (const [key, phase] of [...this.vms]) {
        if (seen.has(key) || phase === 'Stopped') continue;
        this.trace.emit('kubevirt', 'vm.phase', {
          vm: key,
          phase: 'Stopped',
          node: null,
          reason: 'observed: no VMI',
        });
        this.vms.set(key, 'Stopped');
      }
      await this.rebuilds.observe();
    } catch {
      apiUp = false;
      // Without the API nothing is known of the nodes: a node seen Ready when it answers again is
      // written again (so a restart shows when each node came back).
      for (const node of this.ready.keys()) this.ready.set(node, 'Unknown');
    }
    if (this.api !== apiUp) {
      if (apiUp) this.trace.emit('kube', 'api.available', { via: this.client.server });
      else if (this.api !== undefined) this.trace.emit('kube', 'api.unavailable', { reason: 'no-apiserver' });
      this.api = apiUp;
    }
    if (this.etcd !== null && withEtcd) {
      let leader: string | null = null;
      let term = 0;
      try {
        const view = await this.etcd.view(1);
        leader = view.leader;
        term = view.raftTerm;
      } catch {
        leader = null;
      }
      if (leader !== this.leader) {
        if (leader !== null)
          this.trace.emit('etcd', 'leader-elected', {
            member: leader,
            term,
            message: 'observed: etcd endpoint status',
          });
        else if (this.leader !== undefined && this.leader !== null)
          this.trace.emit('etcd', 'quorum-lost', { leader: null, running: [] });
        this.leader = leader;
      }
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.observe();
      await new Promise((resolve) => setTimeout(resolve, OBSERVE_PERIOD_MS));
    }
  }
}

function vmPhase(phase: string | undefined): VmPhase {
  if (phase === 'Running') return 'Running';
  if (phase === 'Pending' || phase === 'Scheduling' || phase === 'Scheduled') return 'Starting';
  if (phase === 'Succeeded' || phase === 'Failed') return 'Stopped';
  return 'Pending';
}
