/**
 * The sweep grid: `--grid 'bandwidthPerMigration=0,512Mi;allowAutoConverge=false,true'` as axes, the
 * grid points in a fixed order (the first axis varies slowest), and one point applied to a scenario
 * document. Values stay in the scenario's own YAML grammar ("512Mi", "150s", "true") and are parsed
 * by the scenario loader, so a bad value is refused with the same message a scenario file would get.
 */

/** The KubeVirt migration settings by their CR names (`KubeVirt.spec.configuration.migrations`). */
export const MIGRATION_SETTINGS = [
  'bandwidthPerMigration',
  'parallelMigrationsPerCluster',
  'parallelOutboundMigrationsPerNode',
  'allowAutoConverge',
  'allowPostCopy',
  'allowWorkloadDisruption',
  'completionTimeoutPerGiB',
  'progressTimeout',
] as const;

export type MigrationSettingName = (typeof MIGRATION_SETTINGS)[number];

/**
 * Other scenario fields a grid may vary, by their dotted path in the scenario document: the network
 * the migrations cross. (A dedicated migration network, when the scenario format has one, is swept
 * the same way by its path, e.g. `networks.migration.bandwidth`.)
 */
export const NETWORK_SETTING_PREFIX = 'networks.';

/**
 * `migrationNetwork=none,10Gbps,25Gbps`: without, or with a dedicated migration network (Harvester's
 * `vm-migration-network` setting) of that bandwidth. A scenario that has one keeps its VLAN and CIDR;
 * one that has none gets MIGRATION_NETWORK_CIDR, whose addresses do not change the simulation.
 */
export const MIGRATION_NETWORK = 'migrationNetwork';
export const MIGRATION_NETWORK_CIDR = '10.254.254.0/24';

/**
 * `policy.<name>.<field>=v1,v2`: a field of the scenario's MigrationPolicy `<name>`
 * (`settings.kubevirt.migrationPolicies`), by its name in the MigrationPolicy spec
 * (`kubevirt/kubevirt:staging/src/kubevirt.io/api/migrations/v1alpha1/types.go`).
 */
export const POLICY_PREFIX = 'policy.';
export const POLICY_SETTINGS = [
  'allowAutoConverge',
  'bandwidthPerMigration',
  'completionTimeoutPerGiB',
  'allowPostCopy',
  'allowWorkloadDisruption',
] as const;

/** `policy.<name>.<field>` → its policy name and field, or undefined for any other setting. */
export function policySetting(setting: string): { policy: string; field: string } | undefined {
  if (!setting.startsWith(POLICY_PREFIX)) return undefined;
  const dot = setting.lastIndexOf('.');
  const policy = setting.slice(POLICY_PREFIX.length, dot);
  const field = setting.slice(dot + 1);
  if (!/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(policy)) return undefined;
  if (!(POLICY_SETTINGS as readonly string[]).includes(field)) return undefined;
  return { policy, field };
}

export type GridValue = string | number | boolean;

export interface GridAxis {
  /** A migration setting name, or a dotted scenario path under `networks.`. */
  readonly setting: string;
  readonly values: readonly GridValue[];
}

/** One grid point: a value for every axis, in axis order. */
export type GridPoint = Readonly<Record<string, GridValue>>;

export class GridError extends Error {
  constructor(message: string) {
    super(`--grid: ${message}`);
    this.name = 'GridError';
  }
}

/** "true"/"false" → boolean, a plain whole number → number, anything else stays text ("512Mi"). */
export function gridValue(text: string): GridValue {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))) return Number(trimmed);
  return trimmed;
}

/** Parses `setting=v1,v2;setting=v1,...`. Every setting once, every axis at least one value. */
export function parseGrid(text: string): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    if (equals < 0) throw new GridError(`expected "setting=v1,v2", found "${part.trim()}"`);
    const setting = part.slice(0, equals).trim();
    if (!isSweepable(setting)) {
      throw new GridError(
        `expected a setting of ${MIGRATION_SETTINGS.join(', ')}, ${MIGRATION_NETWORK}, a path under "${NETWORK_SETTING_PREFIX}" or "${POLICY_PREFIX}<name>.<${POLICY_SETTINGS.join('|')}>", found "${setting}"`,
      );
    }
    if (axes.some((a) => a.setting === setting)) throw new GridError(`"${setting}" is given twice`);
    const values = part
      .slice(equals + 1)
      .split(',')
      .map((v) => v.trim());
    if (values.some((v) => v === ''))
      throw new GridError(`${setting}: expected values separated by commas, found "${part.trim()}"`);
    axes.push({ setting, values: values.map(gridValue) });
  }
  if (axes.length === 0) throw new GridError('expected at least one "setting=v1,v2"');
  return axes;
}

export function isSweepable(setting: string): boolean {
  return (
    setting === MIGRATION_NETWORK ||
    policySetting(setting) !== undefined ||
    (MIGRATION_SETTINGS as readonly string[]).includes(setting) ||
    (setting.startsWith(NETWORK_SETTING_PREFIX) && /^networks(\.[A-Za-z][A-Za-z0-9]*)+$/.test(setting))
  );
}

/** Number of grid points: the product of the axis lengths. */
export function pointCount(axes: readonly GridAxis[]): number {
  return axes.reduce((n, axis) => n * axis.values.length, 1);
}

/** Grid point `index` (0-based); the last axis varies fastest. */
export function pointAt(axes: readonly GridAxis[], index: number): GridPoint {
  if (!Number.isSafeInteger(index) || index < 0 || index >= pointCount(axes))
    throw new RangeError(`grid point ${index}: expected 0 … ${pointCount(axes) - 1}`);
  const point: Record<string, GridValue> = {};
  let rest = index;
  for (let a = axes.length - 1; a >= 0; a--) {
    const axis = axes[a];
    point[axis.setting] = axis.values[rest % axis.values.length];
    rest = Math.floor(rest / axis.values.length);
  }
  return Object.fromEntries(axes.map((axis) => [axis.setting, point[axis.setting]]));
}

/** Where a setting lives in the scenario document. */
export function documentPath(setting: string): string[] {
  if ((MIGRATION_SETTINGS as readonly string[]).includes(setting))
    return ['settings', 'kubevirt', 'migrations', setting];
  return setting.split('.');
}

/** A copy of the scenario document (plain data) with the point's values set. */
export function applyPoint(document: unknown, point: GridPoint): unknown {
  const copy = structuredClone(document) as Record<string, unknown>;
  for (const [setting, value] of Object.entries(point)) {
    if (setting === MIGRATION_NETWORK) {
      setMigrationNetwork(copy, value);
      continue;
    }
    const policy = policySetting(setting);
    if (policy !== undefined) {
      setPolicyField(copy, policy.policy, policy.field, value);
      continue;
    }
    const path = documentPath(setting);
    let at: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      const next = at[key];
      if (next === undefined || next === null) at[key] = {};
      else if (typeof next !== 'object' || Array.isArray(next))
        throw new GridError(`${setting}: the scenario has a non-mapping at "${key}"`);
      at = at[key] as Record<string, unknown>;
    }
    at[path[path.length - 1]] = value;
  }
  return copy;
}

function setMigrationNetwork(document: Record<string, unknown>, value: GridValue): void {
  const networks = (document.networks ?? {}) as Record<string, unknown>;
  document.networks = networks;
  if (value === 'none') {
    delete networks.migration;
    return;
  }
  const existing = networks.migration as Record<string, unknown> | undefined;
  networks.migration = { ...(existing ?? { cidr: MIGRATION_NETWORK_CIDR }), bandwidth: value };
}

function setPolicyField(document: Record<string, unknown>, name: string, field: string, value: GridValue) {
  const settings = document.settings as Record<string, unknown> | undefined;
  const kubevirt = settings?.kubevirt as Record<string, unknown> | undefined;
  const policies = kubevirt?.migrationPolicies;
  const policy = Array.isArray(policies)
    ? (policies.find((p) => (p as { name?: unknown } | null)?.name === name) as Record<string, unknown>)
    : undefined;
  if (policy === undefined) {
    const names = Array.isArray(policies) ? policies.map((p) => (p as { name?: unknown })?.name) : [];
    throw new GridError(
      `${POLICY_PREFIX}${name}: expected a MigrationPolicy of the scenario (settings.kubevirt.migrationPolicies: ${names.length === 0 ? 'none' : names.join(', ')}), found "${name}"`,
    );
  }
  policy[field] = value;
}

/** `bandwidthPerMigration=512Mi allowAutoConverge=true` */
export function pointLabel(point: GridPoint): string {
  return Object.entries(point)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
