/**
 * fast-check arbitraries for harvester-sim inputs, all as plain data in the YAML formats (scenario
 * documents, plan documents, fault schedules), so that fast-check shrinks them and a counter-example
 * prints as the YAML `harvester-sim evaluate` reads.
 *
 * Distributions and their sources:
 * - dirty rate: the calibration guest's paced rates, 0 – 16,000 pages/s = 0 – 62.5 MiB/s
 *   (test/calibration/qemu/results.csv, `target_rate_pps`), weighted towards the idle and web-like end;
 *   a database tail of 64 – 256 MiB/s (scenarios/production-12node.yaml's db tier writes 64 MiB/s;
 *   harvester/harvester#10482 reports guests that do not converge at unlimited bandwidth).
 * - working set: the calibration guest walked 32 – 64 MiB of 256 MiB (12.5 – 25 %; `wss_mib`/`mem_mib`);
 *   drawn from 10 % to all of memory.
 * - memory: 1 – 32 GiB in powers of two (Harvester's VM templates and the production scenario's shapes).
 * - migration settings: KubeVirt's fields with the values maintainers and users discuss: bandwidth 0
 *   (unlimited) to 5Gi (harvester/harvester#10482), completionTimeoutPerGiB 20 – 800
 *   (kubevirt/hyperconverged-cluster-operator#4426, kubevirt/kubevirt#14367), parallel limits 1 – 10.
 */
import fc from 'fast-check';

const MIB = 2 ** 20;
const PAGE_BYTES = 4096;

/** A guest's `guest:` block: dirty rate and working set, in the scenario's units. */
export interface GuestDocument {
  dirtyRate: string;
  workingSet?: string;
  writeRate: string;
  fstrim: 'none';
}

export interface VmDocument {
  namespace: string;
  name: string;
  cpu: number;
  memory: string;
  labels: Record<string, string>;
  evictionStrategy: 'LiveMigrate' | 'LiveMigrateIfPossible';
  volumes: string[];
  node: string;
  guest: GuestDocument;
}

export interface VolumeDocument {
  namespace: string;
  name: string;
  size: string;
  used: string;
  replicas?: number;
}

/** `settings.kubevirt.migrations` of a scenario: each field may be left at the release default. */
export interface MigrationSettingsDocument {
  bandwidthPerMigration?: string;
  parallelMigrationsPerCluster?: number;
  parallelOutboundMigrationsPerNode?: number;
  allowAutoConverge?: boolean;
  allowPostCopy?: boolean;
  allowWorkloadDisruption?: boolean;
  completionTimeoutPerGiB?: number;
  progressTimeout?: number;
}

/**
 * A `migrations.kubevirt.io/v1alpha1` MigrationPolicy of `settings.kubevirt.migrationPolicies`: a name,
 * selectors, and the spec fields it sets (unset ones keep the cluster's).
 */
export interface MigrationPolicyDocument {
  name: string;
  selectors?: {
    virtualMachineInstanceSelector?: Record<string, string>;
    namespaceSelector?: Record<string, string>;
  };
  allowAutoConverge?: boolean;
  bandwidthPerMigration?: string;
  completionTimeoutPerGiB?: number;
  allowPostCopy?: boolean;
  allowWorkloadDisruption?: boolean;
}

/** A scenario document (what a scenario YAML file holds). */
export interface ScenarioDocument {
  name: string;
  description: string;
  harvesterVersion: string;
  vip: { address: string };
  networks: { management: { bandwidth: string } };
  nodes: {
    name: string;
    role: 'management' | 'worker';
    cpu: number;
    memory: string;
    nic: string;
    disks: { name: string; size: string; kind: 'nvme'; longhorn: boolean }[];
    ip: { mode: 'static'; address: string };
    zone: string;
  }[];
  vms: VmDocument[];
  volumes: VolumeDocument[];
  rancher: { importedIntoRancherManager: false };
  settings: {
    kubevirt: { migrations: MigrationSettingsDocument; migrationPolicies?: MigrationPolicyDocument[] };
  };
}

/** A plan document (what a plan YAML file holds). */
export interface PlanDocument {
  name: string;
  description: string;
  steps: Record<string, unknown>[];
  /** The plan's fault schedule (`faults:`), when it has one. */
  faults?: (PlanFaultDocument | PlanPartitionDocument)[];
}

/** A `node.network-partition` entry of `faults:`: `node` and `with` cut off from the rest for `for`. */
export interface PlanPartitionDocument {
  at: string | { step: string; after: string };
  fault: 'node.network-partition';
  node: string;
  with: string[];
  for: string;
}

/** One entry of a plan's `faults:` list, as written in YAML (docs/scenario-format.md, Faults). */
export interface PlanFaultDocument {
  at: string | { step: string; after: string };
  fault: 'node.power-loss' | 'node.shutdown' | 'node.power-on';
  node: string;
}

/** Dirty rate in bytes per second, from the calibration guest's range with a database tail. */
export function dirtyRateBytesPerSecond(): fc.Arbitrary<number> {
  const pages = (min: number, max: number) => fc.integer({ min, max }).map((p) => p * PAGE_BYTES);
  return fc.oneof(
    { weight: 3, arbitrary: pages(0, 1000) },
    { weight: 3, arbitrary: pages(1000, 4000) },
    { weight: 2, arbitrary: pages(4000, 16_000) },
    { weight: 1, arbitrary: fc.integer({ min: 64, max: 256 }).map((m) => m * MIB) },
  );
}

/** What one VM is made of, before it is named and placed: shrinks field by field. */
export interface VmShape {
  readonly memoryGiB: number;
  readonly cpu: number;
  readonly dirtyRateBytesPerSecond: number;
  /** Working set as a percentage of memory; undefined = all of it. */
  readonly workingSetPercent: number | undefined;
  readonly volumeGiB: number;
  readonly volumeUsedPercent: number;
}

/** VM memory in GiB: 1 – 32, powers of two. */
export function memoryGiB(): fc.Arbitrary<number> {
  return fc.constantFrom(1, 2, 4, 8, 16, 32);
}

export function vmShape(): fc.Arbitrary<VmShape> {
  return fc.record({
    memoryGiB: memoryGiB(),
    cpu: fc.constantFrom(1, 2, 4, 8),
    dirtyRateBytesPerSecond: dirtyRateBytesPerSecond(),
    workingSetPercent: fc.option(fc.integer({ min: 10, max: 100 }), { nil: undefined }),
    volumeGiB: fc.integer({ min: 10, max: 100 }),
    volumeUsedPercent: fc.integer({ min: 10, max: 80 }),
  });
}

/** The scenario's VM and its root volume `<name>-root` from a shape. */
export function vmDocuments(
  shape: VmShape,
  name: string,
  node: string,
): { vm: VmDocument; volume: VolumeDocument } {
  const workingSet =
    shape.workingSetPercent === undefined
      ? {}
      : {
          workingSet: `${Math.max(1, Math.round((shape.memoryGiB * 1024 * shape.workingSetPercent) / 100))}Mi`,
        };
  return {
    vm: {
      namespace: 'default',
      name,
      cpu: shape.cpu,
      memory: `${shape.memoryGiB}Gi`,
      labels: { app: name },
      evictionStrategy: 'LiveMigrate',
      volumes: [`${name}-root`],
      node,
      guest: {
        dirtyRate: `${Math.round(shape.dirtyRateBytesPerSecond / 1024)}KiB/s`,
        ...workingSet,
        writeRate: '1MB/s',
        fstrim: 'none',
      },
    },
    volume: {
      namespace: 'default',
      name: `${name}-root`,
      size: `${shape.volumeGiB}Gi`,
      used: `${Math.max(1, Math.round((shape.volumeGiB * shape.volumeUsedPercent) / 100))}Gi`,
    },
  };
}

/** One VM named `name` on `node` (its volume: `vmDocuments`). */
export function vm(name: string, node: string): fc.Arbitrary<VmDocument> {
  return vmShape().map((shape) => vmDocuments(shape, name, node).vm);
}

/** A Longhorn root volume: 10 – 100 GiB, 10 – 80 % used. */
export function volume(name: string): fc.Arbitrary<VolumeDocument> {
  return vmShape().map((shape) => ({ ...vmDocuments(shape, 'v', 'n').volume, name }));
}

/** KubeVirt migration settings; every field may stay unset (the release default). */
export function migrationSettings(): fc.Arbitrary<MigrationSettingsDocument> {
  return fc.record(
    {
      bandwidthPerMigration: fc.constantFrom('0', '64Mi', '256Mi', '512Mi', '1Gi', '2Gi', '5Gi'),
      parallelMigrationsPerCluster: fc.integer({ min: 1, max: 10 }),
      parallelOutboundMigrationsPerNode: fc.integer({ min: 1, max: 5 }),
      allowAutoConverge: fc.boolean(),
      allowPostCopy: fc.boolean(),
      allowWorkloadDisruption: fc.boolean(),
      completionTimeoutPerGiB: fc.constantFrom(20, 150, 800),
      progressTimeout: fc.constantFrom(60, 150, 300),
    },
    { requiredKeys: [] },
  );
}

/**
 * Up to `maxPolicies` MigrationPolicies named policy-1, policy-2, …: each selects one generated VM by
 * its `app` label (vm-1 … vm-`vms`), the `default` namespace by `kubernetes.io/metadata.name`, both, or
 * nothing (a policy without selectors matches no VMI), and sets any of its fields. Shrinks towards
 * no policy.
 */
export function migrationPolicies(
  options: { maxPolicies?: number; vms?: number } = {},
): fc.Arbitrary<MigrationPolicyDocument[]> {
  const vms = options.vms ?? 6;
  const selectors = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 1, max: vms }).map((i) => ({ virtualMachineInstanceSelector: { app: `vm-${i}` } })),
    fc.constant({ namespaceSelector: { 'kubernetes.io/metadata.name': 'default' } }),
    fc.integer({ min: 1, max: vms }).map((i) => ({
      virtualMachineInstanceSelector: { app: `vm-${i}` },
      namespaceSelector: { 'kubernetes.io/metadata.name': 'default' },
    })),
  );
  const spec = fc.record(
    {
      allowAutoConverge: fc.boolean(),
      bandwidthPerMigration: fc.constantFrom('64Mi', '256Mi', '1Gi', '2Gi', '5Gi'),
      completionTimeoutPerGiB: fc.constantFrom(20, 150, 800),
      allowPostCopy: fc.boolean(),
      allowWorkloadDisruption: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  return fc.array(fc.record({ selectors, spec }), { maxLength: options.maxPolicies ?? 3 }).map((policies) =>
    policies.map(({ selectors: s, spec: fields }, i) => ({
      name: `policy-${i + 1}`,
      ...(s === undefined ? {} : { selectors: s }),
      ...fields,
    })),
  );
}

export interface ClusterOptions {
  /** Worker nodes beside the three management nodes (default 0 – 2). */
  readonly workers?: { min: number; max: number };
  /** VMs (default 1 – 6). */
  readonly vms?: { min: number; max: number };
  /** Each VM's shape (default: `vmShape()`). */
  readonly vm?: fc.Arbitrary<VmShape>;
  /** Migration settings (default: `migrationSettings()`). */
  readonly migrations?: fc.Arbitrary<MigrationSettingsDocument>;
  /** MigrationPolicies (default: none; e.g. `migrationPolicies()`). */
  readonly policies?: fc.Arbitrary<MigrationPolicyDocument[]>;
  readonly harvesterVersion?: string;
}

function node(index: number, role: 'management' | 'worker', nic: string): ScenarioDocument['nodes'][number] {
  return {
    name: `node-${index + 1}`,
    role,
    cpu: 64,
    memory: '512Gi',
    nic,
    disks: [
      { name: 'nvme0n1', size: '480Gi', kind: 'nvme', longhorn: false },
      { name: 'nvme1n1', size: '3840Gi', kind: 'nvme', longhorn: true },
    ],
    ip: { mode: 'static', address: `10.99.0.${11 + index}` },
    zone: `rack-${index + 1}`,
  };
}

/**
 * A whole cluster as a scenario document: three management nodes (etcd members) and some workers,
 * VMs placed on them with a Longhorn root volume each, the management network's bandwidth and the
 * migration settings. Shrinks towards fewer workers, fewer VMs, smaller guests and default settings.
 */
export function cluster(options: ClusterOptions = {}): fc.Arbitrary<ScenarioDocument> {
  const workers = options.workers ?? { min: 0, max: 2 };
  const vms = options.vms ?? { min: 1, max: 6 };
  return fc
    .record({
      workers: fc.integer(workers),
      nic: fc.constantFrom('10Gbps', '25Gbps'),
      bandwidth: fc.constantFrom('10Gbps', '1Gbps', '25Gbps'),
      migrations: options.migrations ?? migrationSettings(),
      // Only when asked for, so that the cases of every existing seed stay as they were.
      ...(options.policies === undefined ? {} : { policies: options.policies }),
      vms: fc.array(fc.record({ placement: fc.nat(), shape: options.vm ?? vmShape() }), {
        minLength: vms.min,
        maxLength: vms.max,
      }),
    })
    .map(({ workers: workerCount, nic, bandwidth, migrations, policies, vms: shapes }) => {
      const nodes = Array.from({ length: 3 + workerCount }, (_, i) =>
        node(i, i < 3 ? 'management' : 'worker', nic),
      );
      const docs = shapes.map(({ placement, shape }, i) =>
        vmDocuments(shape, `vm-${i + 1}`, nodes[placement % nodes.length].name),
      );
      return {
        name: 'generated',
        description: `${nodes.length} nodes, ${docs.length} VMs (harvester-sim/testing)`,
        harvesterVersion: options.harvesterVersion ?? '1.6.1',
        vip: { address: '10.99.0.10' },
        networks: { management: { bandwidth } },
        nodes,
        vms: docs.map((d) => d.vm),
        volumes: docs.map((d) => d.volume),
        rancher: { importedIntoRancherManager: false as const },
        settings: {
          kubevirt: { migrations, ...(policies === undefined ? {} : { migrationPolicies: policies }) },
        },
      };
    });
}

/** A fault, as data: what happens to which node. */
export type Fault =
  | { readonly kind: 'power-loss'; readonly node: string }
  | { readonly kind: 'graceful-shutdown'; readonly node: string }
  | { readonly kind: 'power-on'; readonly node: string };

/** Faults at times, as data (STYLE.md: "Faults and schedules are data"). */
export type FaultSchedule = readonly { readonly atSeconds: number; readonly fault: Fault }[];

/** Up to `maxFaults` faults on the given nodes within `horizonSeconds`. */
export function faultSchedule(
  nodes: readonly string[],
  options: { maxFaults?: number; horizonSeconds?: number } = {},
): fc.Arbitrary<FaultSchedule> {
  return fc.array(
    fc.record({
      atSeconds: fc.integer({ min: 0, max: options.horizonSeconds ?? 600 }),
      fault: fc.record({
        kind: fc.constantFrom('power-loss' as const, 'graceful-shutdown' as const, 'power-on' as const),
        node: fc.constantFrom(...nodes),
      }),
    }),
    { maxLength: options.maxFaults ?? 3 },
  );
}

/** The plan steps of a fault schedule: sorted by time, a `sleep` for each gap. */
export function faultSteps(schedule: FaultSchedule): Record<string, unknown>[] {
  const steps: Record<string, unknown>[] = [];
  let now = 0;
  for (const { atSeconds, fault } of [...schedule].sort((a, b) => a.atSeconds - b.atSeconds)) {
    if (atSeconds > now) steps.push({ step: 'sleep', duration: `${atSeconds - now}s` });
    now = Math.max(now, atSeconds);
    if (fault.kind === 'power-on') steps.push({ step: 'node.power-on', node: fault.node });
    else
      steps.push({
        step: 'node.shutdown',
        node: fault.node,
        mode: fault.kind === 'power-loss' ? 'power-loss' : 'graceful',
        waitEachDown: false,
      });
  }
  return steps;
}

/** Maintenance mode on `node` (every VM on it is live-migrated), then optional faults. */
export function evacuationPlan(node: string, schedule: FaultSchedule = []): PlanDocument {
  return {
    name: `evacuate-${node}`,
    description: `maintenance mode on ${node}${schedule.length > 0 ? ` with ${schedule.length} fault(s)` : ''}`,
    steps: [{ step: 'node.maintenance', node, action: 'enable' }, ...faultSteps(schedule)],
  };
}

/**
 * A plan's `faults:` list: up to `maxFaults` faults on the given nodes, each at a whole second up to
 * `horizonSeconds` from the plan start or, with `steps`, from one of those steps' start. Shrinks to
 * fewer faults, earlier times, the first node and the plan's start.
 */
export function planFaults(
  nodes: readonly string[],
  options: { maxFaults?: number; horizonSeconds?: number; steps?: readonly string[] } = {},
): fc.Arbitrary<PlanFaultDocument[]> {
  const seconds = fc.integer({ min: 0, max: options.horizonSeconds ?? 600 });
  const steps = options.steps ?? [];
  const at: fc.Arbitrary<PlanFaultDocument['at']> =
    steps.length === 0
      ? seconds.map((s) => `${s}s`)
      : fc.oneof(
          seconds.map((s) => `${s}s`),
          fc.record({ step: fc.constantFrom(...steps), after: seconds.map((s) => `${s}s`) }),
        );
  return fc.array(
    fc.record({
      at,
      fault: fc.constantFrom('node.power-loss' as const, 'node.shutdown' as const, 'node.power-on' as const),
      node: fc.constantFrom(...nodes),
    }),
    { maxLength: options.maxFaults ?? 3 },
  );
}

/**
 * Network partitions as `faults:` entries: each cuts a non-empty proper subset of `nodes` off from
 * the rest for 1 s – `maxForSeconds`, at 0 – `horizonSeconds` from the plan start. Shrinks towards
 * fewer partitions, one node (the first), earlier and shorter.
 */
export function networkPartitions(
  nodes: readonly string[],
  options: { maxPartitions?: number; horizonSeconds?: number; maxForSeconds?: number } = {},
): fc.Arbitrary<PlanPartitionDocument[]> {
  if (nodes.length < 2) throw new Error('a partition needs at least two nodes');
  return fc.array(
    fc
      .record({
        at: fc.integer({ min: 0, max: options.horizonSeconds ?? 600 }).map((s) => `${s}s`),
        first: fc.integer({ min: 0, max: nodes.length - 1 }),
        others: fc.subarray([...nodes]),
        forSeconds: fc.integer({ min: 1, max: options.maxForSeconds ?? 300 }),
      })
      .map(({ at, first, others, forSeconds }) => ({
        at,
        fault: 'node.network-partition' as const,
        node: nodes[first],
        // At least one node stays on the other side.
        with: others.filter((n) => n !== nodes[first]).slice(0, nodes.length - 2),
        for: `${forSeconds}s`,
      })),
    { maxLength: options.maxPartitions ?? 2 },
  );
}

/**
 * Maintenance mode on `node` with faults that strike while it runs: the maintenance step (id
 * `maintenance`) runs in the background and a `steps-done` wait joins it.
 */
export function evacuationUnderFaults(
  node: string,
  faults: (PlanFaultDocument | PlanPartitionDocument)[],
): PlanDocument {
  return {
    name: `evacuate-${node}-under-faults`,
    description: `maintenance mode on ${node} with ${faults.length} fault(s) during it`,
    steps: [
      { step: 'node.maintenance', id: 'maintenance', node, action: 'enable', background: true },
      { step: 'wait-for', condition: 'steps-done', steps: ['maintenance'], timeout: '24h' },
    ],
    faults,
  };
}

/** A cluster and the evacuation of its busiest node: the case most migration properties need. */
export function evacuation(options: ClusterOptions = {}): fc.Arbitrary<{
  scenario: ScenarioDocument;
  plan: PlanDocument;
}> {
  return cluster(options).map((scenario) => ({ scenario, plan: evacuationPlan(busiestNode(scenario)) }));
}

/** The node with the most VMs (ties: the first). */
export function busiestNode(scenario: ScenarioDocument): string {
  const counts = scenario.nodes.map((n) => scenario.vms.filter((v) => v.node === n.name).length);
  return scenario.nodes[counts.indexOf(Math.max(...counts))].name;
}
