/** Server-side printing (`meta.k8s.io/v1 Table`), which `kubectl get` asks for. */
import type { KubeObject } from './objects.ts';

interface Column {
  readonly name: string;
  readonly type: string;
  readonly cell: (object: KubeObject) => string | number;
}

function age(object: KubeObject): string {
  const created = Date.parse(String(object.metadata.creationTimestamp ?? ''));
  if (Number.isNaN(created)) return '<unknown>';
  const seconds = Math.max(0, Math.floor((Date.now() - created) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}

const field = (object: KubeObject, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
      object,
    );

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

const NAME: Column = { name: 'Name', type: 'string', cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', type: 'string', cell: age };

function condition(object: KubeObject, type: string): string {
  const conditions = (field(object, 'status.conditions') ?? []) as { type: string; status: string }[];
  return conditions.find((c) => c.type === type)?.status ?? 'Unknown';
}

const COLUMNS: Record<string, readonly Column[]> = {
  Node: [
    NAME,
    {
      name: 'Status',
      type: 'string',
      cell: (o) => {
        const ready = condition(o, 'Ready') === 'True' ? 'Ready' : 'NotReady';
        return field(o, 'spec.unschedulable') === true ? `${ready},SchedulingDisabled` : ready;
      },
    },
    {
      name: 'Roles',
      type: 'string',
      cell: (o) => {
        const roles = Object.keys((o.metadata.labels ?? {}) as Record<string, string>)
          .filter((l) => l.startsWith('node-role.kubernetes.io/'))
          .map((l) => l.slice('node-role.kubernetes.io/'.length))
          .sort();
        return roles.length === 0 ? '<none>' : roles.join(',');
      },
    },
    AGE,
    { name: 'Version', type: 'string', cell: (o) => text(field(o, 'status.nodeInfo.kubeletVersion')) },
  ],
  Pod: [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => (field(o, 'status.phase') === 'Running' ? '1/1' : '0/1') },
    { name: 'Status', type: 'string', cell: (o) => text(field(o, 'status.phase')) },
    { name: 'Restarts', type: 'integer', cell: () => 0 },
    AGE,
  ],
  Deployment: [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${text(field(o, 'status.readyReplicas') ?? 0)}/${text(field(o, 'spec.replicas'))}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => Number(field(o, 'status.updatedReplicas') ?? 0) },
    { name: 'Available', type: 'integer', cell: (o) => Number(field(o, 'status.availableReplicas') ?? 0) },
    AGE,
  ],
  VirtualMachine: [
    NAME,
    AGE,
    { name: 'Status', type: 'string', cell: (o) => text(field(o, 'status.printableStatus')) },
    { name: 'Ready', type: 'string', cell: (o) => text(field(o, 'status.ready')) },
  ],
  VirtualMachineInstance: [
    NAME,
    AGE,
    { name: 'Phase', type: 'string', cell: (o) => text(field(o, 'status.phase')) },
    { name: 'IP', type: 'string', cell: () => '' },
    { name: 'NodeName', type: 'string', cell: (o) => text(field(o, 'status.nodeName')) },
    { name: 'Ready', type: 'string', cell: (o) => (condition(o, 'Ready') === 'True' ? 'True' : 'False') },
  ],
  VirtualMachineInstanceMigration: [
    NAME,
    { name: 'Phase', type: 'string', cell: (o) => text(field(o, 'status.phase')) },
    { name: 'VMI', type: 'string', cell: (o) => text(field(o, 'spec.vmiName')) },
  ],
  Volume: [
    NAME,
    { name: 'State', type: 'string', cell: (o) => text(field(o, 'status.state')) },
    { name: 'Robustness', type: 'string', cell: (o) => text(field(o, 'status.robustness')) },
    { name: 'Size', type: 'string', cell: (o) => text(field(o, 'spec.size')) },
    AGE,
  ],
  Addon: [
    NAME,
    { name: 'Enabled', type: 'string', cell: (o) => text(field(o, 'spec.enabled')) },
    { name: 'Status', type: 'string', cell: (o) => text(field(o, 'status.status')) },
    AGE,
  ],
  Setting: [
    NAME,
    { name: 'Value', type: 'string', cell: (o) => text(field(o, 'value') || field(o, 'default')) },
  ],
};

/** Whether the Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept);
}

export function toTable(
  kind: string,
  objects: readonly KubeObject[],
  resourceVersion: string,
): Record<string, unknown> {
  const columns = COLUMNS[kind] ?? [NAME, AGE];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c, i) => ({
      name: c.name,
      type: c.type,
      format: c.name === 'Name' ? 'name' : '',
      description: c.name,
      priority: i === 0 ? 0 : 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
