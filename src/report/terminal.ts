import type { Evaluation } from '../evaluate/evaluate.ts';
import { type FindingGroup, groupFindings } from '../evaluate/finding-groups.ts';
import type { TimelineEntry } from '../evaluate/timeline.ts';
import { durationText } from './duration-text.ts';

/** Timeline lines a person reads first: steps, power, quorum, API, VIP, VMs forced, Rancher. */
function summaryLine(entry: TimelineEntry): string | null {
  const d = entry.data as Record<string, any>;
  switch (`${entry.subsystem}/${entry.kind}`) {
    case 'plan/step.end':
      return `step ${d.index} ${d.id}: ${d.ok ? 'ok' : 'FAILED'}${d.detail && d.detail !== 'done' ? ` (${d.detail})` : ''}`;
    case 'plan/wait.end':
      return d.ok ? null : `  wait ${d.condition} timed out after ${durationText(d.timeoutSeconds)}`;
    case 'nodes/node.power':
      return d.to === 'off' || d.to === 'running'
        ? `  ${d.node} ${d.to === 'off' ? `off (${d.mode})` : 'running'}`
        : null;
    case 'etcd/quorum-lost':
      return '  etcd quorum lost';
    case 'etcd/quorum-regained':
      return `  etcd quorum regained (leader ${d.leader}, term ${d.term})`;
    case 'kube/api.available':
      return `  API available (via ${d.via})`;
    case 'kube/api.unavailable':
      return `  API unavailable (${d.reason})`;
    case 'kube/vip.bound':
      return `  VIP ${d.address} bound on ${d.node}`;
    case 'kubevirt/vm.force-restarted':
      return `  VM ${d.vm} force-restarted ${d.from} → ${d.to ?? 'not placed'}`;
    case 'rancher/rancher.replicas':
      return `  ${d.deployment} replicas ${d.replicas} (${d.by})`;
    case 'kubevirt/migration.finished':
      return `  VM ${d.vm} migration ${d.source} → ${d.target}: ${d.outcome} in ${d.seconds.toFixed(1)} s`;
    case 'plan/fault.injected':
      return `  fault ${d.type} on ${d.node || '?'}${d.applied ? '' : ` (no effect: ${d.detail})`}`;
    case 'kubevirt/drain.result':
      return `  kubectl drain ${d.node}: ${d.refused !== undefined ? 'refused' : d.drained ? 'drained' : `timed out, ${d.remaining.length} VM(s) left`}${d.evicted.length > 0 ? `, ${d.evicted.length} VM(s) shut down` : ''}`;
    case 'kubevirt/maintenance.result':
      return `  maintenance of ${d.node}: ${d.outcome}${d.outcome === 'completed' ? '' : ` (${d.message})`}`;
    case 'rancher/rancher.machine-replaced':
      return `  Rancher ${d.stoppedWhileConnected ? 'replaced' : 'restarts'} downstream machine ${d.vm}`;
    default:
      return null;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

/** The human report of `harvester-sim evaluate`. */
export function terminalReport(evaluation: Evaluation): string {
  const lines: string[] = [];
  const m = evaluation.metrics;
  lines.push(
    `${evaluation.plan} on ${evaluation.scenario} (Harvester ${evaluation.harvesterVersion}, seed ${evaluation.seed}): ${evaluation.ok ? 'completed' : 'STOPPED'}`,
    '',
  );
  // An evaluation read back from JSON written before warnings existed has none.
  const warnings = evaluation.warnings ?? [];
  if (warnings.length > 0)
    lines.push(`Scenario warnings (${warnings.length})`, ...warnings.map((w) => `  ${w}`), '');
  lines.push('Timeline');
  for (const entry of evaluation.timeline) {
    const text = summaryLine(entry);
    if (text !== null) lines.push(`  ${durationText(entry.timeSeconds).padStart(15)}  ${text}`);
  }
  lines.push('', 'Metrics');
  const rows: [string, string][] = [
    ['duration', durationText(m.durationSeconds)],
    [
      'API unavailable',
      `${durationText(m.apiUnavailableSeconds)} in ${m.apiUnavailableIntervals.length} interval(s)`,
    ],
    [
      'etcd quorum lost',
      `${m.quorumLostIntervals.length} interval(s), ${m.leaderElections} leader election(s)`,
    ],
    ['VMs lost with their node', String(m.vmsLostWithNode)],
    ['VMs force-restarted', String(m.vmsForceRestarted)],
    ['unschedulable pods/VMIs', String(m.unschedulablePods)],
    ['peak CPU requested', pct(m.peakCpuPressure)],
  ];
  for (const [key, value] of Object.entries(m)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'number')
        rows.push([`${key}.${name}`, Number.isInteger(v) ? String(v) : v.toFixed(2)]);
    }
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) lines.push(`  ${key.padEnd(width)}  ${value}`);
  lines.push('', ...findingGroupLines(groupFindings(evaluation.findings)));
  return `${lines.join('\n')}\n`;
}

/** How many objects a group line names before `+N more` (the JSON lists them all). */
const OBJECTS_SHOWN = 8;

/**
 * Findings grouped by kind: one line per rule with its count and objects, the first finding's title
 * and detail, and the source sentence once.
 */
export function findingGroupLines(groups: readonly FindingGroup[]): string[] {
  if (groups.length === 0) return ['Findings: none'];
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  const lines = [`Findings (${total} in ${groups.length} kind${groups.length === 1 ? '' : 's'})`];
  for (const g of groups) {
    const first = durationText(g.firstSeconds);
    const last = durationText(g.lastSeconds);
    const when = first === last ? first : `${first} … ${last}`;
    lines.push(`  [${g.severity}] ${g.rule} ×${g.count}  ${when}${objectsText(g.objects)}`);
    lines.push(`      ${g.count > 1 ? 'first: ' : ''}${g.title} — ${g.detail}`);
    for (const [i, source] of g.source.split('\n').entries())
      lines.push(`      ${i === 0 ? 'source: ' : '        '}${source}`);
  }
  return lines;
}

function objectsText(objects: readonly string[]): string {
  if (objects.length === 0) return '';
  const shown = objects.slice(0, OBJECTS_SHOWN).join(', ');
  const more = objects.length > OBJECTS_SHOWN ? `, +${objects.length - OBJECTS_SHOWN} more` : '';
  return `  ${shown}${more}`;
}
