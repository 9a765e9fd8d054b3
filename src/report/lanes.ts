/**
 * The timeline as lanes for the HTML page: from a run's timeline entries (plan time), the intervals
 * and instants of plan steps, node power, etcd leader and quorum, API and VIP, VM states,
 * migrations, rebuilds and paused VMs. Each item carries the sentence a reader sees on hover.
 */
import type { TimelineEntry } from '../evaluate/timeline.ts';
import { durationText } from './duration-text.ts';

export const LANES = [
  { id: 'steps', label: 'plan steps' },
  { id: 'node-power', label: 'node power' },
  { id: 'etcd', label: 'etcd leader and quorum' },
  { id: 'api-vip', label: 'API and VIP' },
  { id: 'vm-states', label: 'VM states' },
  { id: 'migrations', label: 'migrations' },
  { id: 'rebuilds', label: 'rebuilds' },
  { id: 'paused-vms', label: 'paused VMs' },
] as const;
export type LaneId = (typeof LANES)[number]['id'];

export interface LaneItem {
  readonly lane: LaneId;
  /** The row inside the lane: a node, a VM, a volume, `leader`, `quorum`, `API`, `VIP`, `steps`. */
  readonly row: string;
  readonly startSeconds: number;
  /** Equal to `startSeconds` for an instant (a VM force-restarted, lost with its node). */
  readonly endSeconds: number;
  readonly state: string;
  /** What a reader sees on hover. */
  readonly detail: string;
}

type Data = Record<string, any>;

/** Open intervals per key, closed by the next state or at the end of the run. */
class Intervals {
  private readonly open = new Map<string, { row: string; start: number; state: string; detail: string }>();
  private readonly seen = new Set<string>();
  constructor(
    private readonly lane: LaneId,
    private readonly out: LaneItem[],
  ) {}
  /**
   * The key's next state from `at`. The first time a key changes, `before` (the state it left, when
   * the record tells) fills the row from the plan's start.
   */
  start(key: string, row: string, at: number, state: string, detail: string, before?: string): void {
    if (!this.seen.has(key)) {
      this.seen.add(key);
      if (before !== undefined && at > 0) this.out.push(item(this.lane, row, 0, at, before, before));
    }
    this.end(key, at);
    this.open.set(key, { row, start: at, state, detail });
  }
  wasSeen(key: string): boolean {
    return this.seen.has(key);
  }
  /** Closes the key's interval at `at`, its detail extended by `suffix` and its state replaced by `state` if given. */
  end(key: string, at: number, suffix = '', state?: string): void {
    const o = this.open.get(key);
    if (o === undefined) return;
    this.open.delete(key);
    this.out.push(item(this.lane, o.row, o.start, at, state ?? o.state, `${o.detail}${suffix}`));
  }
  has(key: string): boolean {
    return this.open.has(key);
  }
  closeAll(at: number): void {
    for (const key of [...this.open.keys()]) this.end(key, at, ' (still so at the end)');
  }
}

function item(
  lane: LaneId,
  row: string,
  start: number,
  end: number,
  state: string,
  detail: string,
): LaneItem {
  const when = end > start ? `${durationText(start)} – ${durationText(end)}` : durationText(start);
  return { lane, row, startSeconds: start, endSeconds: end, state, detail: `${row}: ${detail} (${when})` };
}

export function laneItems(timeline: readonly TimelineEntry[], endSeconds: number): LaneItem[] {
  const out: LaneItem[] = [];
  const steps = new Intervals('steps', out);
  const power = new Intervals('node-power', out);
  const etcd = new Intervals('etcd', out);
  const api = new Intervals('api-vip', out);
  const vms = new Intervals('vm-states', out);
  const rebuilds = new Intervals('rebuilds', out);
  const paused = new Intervals('paused-vms', out);
  const nodes: string[] = [];
  // The plan starts on a settled cluster: etcd has quorum and the API serves (docs/architecture.md, Time).
  etcd.start('quorum', 'quorum', 0, 'held', 'quorum held');
  for (const e of timeline) {
    const d = e.data as Data;
    const t = e.timeSeconds;
    switch (`${e.subsystem}/${e.kind}`) {
      case 'run/run.start':
        nodes.push(...(d.nodes as { name: string }[]).map((n) => n.name));
        break;
      case 'plan/step.start':
        steps.start(
          String(d.index),
          'steps',
          t,
          'running',
          `step ${d.index} ${d.id} (${d.type})${d.note ? ` — ${d.note}` : ''}${d.nodes ? ` on ${d.nodes.join(', ')}` : ''}`,
        );
        break;
      case 'plan/step.end': {
        const key = String(d.index);
        if (!steps.has(key)) steps.start(key, 'steps', t, 'running', `step ${d.index} ${d.id} (${d.type})`);
        steps.end(
          key,
          t,
          `: ${d.ok ? 'ok' : 'FAILED'}${d.detail && d.detail !== 'done' ? ` (${d.detail})` : ''}`,
          d.ok ? 'ok' : 'failed',
        );
        break;
      }
      case 'plan/plan.recorded':
        out.push(item('steps', 'steps', t, t, 'recorded', `${d.key}: ${d.value}`));
        break;
      case 'plan/wait.end':
        if (!d.ok)
          out.push(
            item(
              'steps',
              'steps',
              t,
              t,
              'wait timed out',
              `step ${d.index}: ${d.condition} not met after ${d.waitedSeconds} s`,
            ),
          );
        break;
      case 'nodes/node.power':
        power.start(d.node, d.node, t, d.to, `${d.to}${d.mode ? ` (${d.mode})` : ''}`, d.from);
        break;
      case 'etcd/leader-elected':
        etcd.start('leader', 'leader', t, d.member, `${d.member} leader, term ${d.term}`);
        break;
      case 'etcd/leader-step-down':
        etcd.start(
          'leader',
          'leader',
          t,
          'none',
          `no leader (${d.member} stepped down, term ${d.term})`,
          d.member,
        );
        break;
      case 'etcd/member-stop':
        if (d.role === 'leader') {
          etcd.start('leader', 'leader', t, 'none', `no leader (${d.member} stopped, ${d.how})`, d.member);
        }
        break;
      case 'etcd/quorum-lost':
        etcd.start('quorum', 'quorum', t, 'lost', `quorum lost (running: ${d.running.join(', ') || 'none'})`);
        break;
      case 'etcd/quorum-regained':
        etcd.start('quorum', 'quorum', t, 'held', `quorum regained, leader ${d.leader}, term ${d.term}`);
        break;
      case 'kube/api.available':
        api.start('API', 'API', t, 'available', `available via ${d.via}`);
        break;
      case 'kube/api.unavailable':
        api.start('API', 'API', t, 'unavailable', `unavailable (${d.reason})`, 'available');
        break;
      case 'kube/vip.bound':
        api.start('VIP', 'VIP', t, 'bound', `${d.address} bound on ${d.node}`);
        break;
      case 'kube/vip.unbound':
        api.start('VIP', 'VIP', t, 'unbound', `unbound (${d.reason})`, 'bound');
        break;
      case 'kubevirt/vm.phase':
        vms.start(
          d.vm,
          d.vm,
          t,
          d.phase,
          `${d.phase}${d.node ? ` on ${d.node}` : ''}${d.reason ? ` (${d.reason})` : ''}`,
          // A VM stopping was running; of other first phases the record does not say what came before.
          d.phase === 'Stopping' ? 'Running' : undefined,
        );
        break;
      case 'kubevirt/vm.force-restarted':
        out.push(
          item(
            'vm-states',
            d.vm,
            t,
            t,
            'force-restarted',
            `force-restarted ${d.from} → ${d.to ?? 'not placed'}`,
          ),
        );
        break;
      case 'kubevirt/vm.lost-with-node':
        out.push(
          item(
            'vm-states',
            d.vm,
            t,
            t,
            'lost with node',
            `still running when ${d.node} lost power (${d.mode})`,
          ),
        );
        break;
      case 'kubevirt/migration.finished':
        out.push(
          item(
            'migrations',
            d.vm,
            Math.max(0, t - d.seconds),
            t,
            d.outcome,
            `migration ${d.source} → ${d.target}: ${d.outcome}${d.reason ? ` (${d.reason})` : ''}, downtime ${d.downtimeMs} ms`,
          ),
        );
        break;
      case 'longhorn/rebuild.started':
        rebuilds.start(
          `${d.volume}/${d.replica}`,
          d.volume,
          t,
          d.kind,
          `${d.kind} rebuild of ${d.replica} to ${d.destination}, ${d.bytesToSend} bytes to send`,
        );
        break;
      case 'longhorn/rebuild.completed':
        rebuilds.end(`${d.volume}/${d.replica}`, t, `: completed, ${d.bytesSent} bytes sent`);
        break;
      case 'longhorn/rebuild.failed':
        rebuilds.end(`${d.volume}/${d.replica}`, t, `: FAILED (${d.reason}), ${d.bytesSent} bytes sent`);
        out.push(item('rebuilds', d.volume, t, t, 'failed', `rebuild of ${d.replica} failed (${d.reason})`));
        break;
      case 'guest/vm.paused':
        paused.start(
          d.vm,
          d.vm,
          t,
          'paused',
          `paused: IO error at ${d.volume} (${d.disk}, ${d.cause}), flap ${d.flap}`,
        );
        break;
      case 'guest/vm.unpaused':
        paused.end(d.vm, t, `, resumed after ${durationText(d.pausedSeconds)}`);
        break;
    }
  }
  if (!api.wasSeen('API'))
    out.push(item('api-vip', 'API', 0, endSeconds, 'available', 'available throughout'));
  for (const intervals of [steps, power, etcd, api, vms, rebuilds, paused]) intervals.closeAll(endSeconds);
  for (const node of nodes)
    if (!power.wasSeen(node))
      out.push(item('node-power', node, 0, endSeconds, 'running', 'running throughout'));
  return out;
}
