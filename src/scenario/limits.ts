/**
 * Bounds on what a scenario or plan may ask for, checked at the edge so that no document can make a
 * run hang or exhaust memory. Each bound is far above any real Harvester cluster or procedure; the
 * reason says where it comes from. The JSON schemas carry them in each field's description.
 */

/** A closed range in a field's base unit (bytes, cores, seconds) with its wording for messages. */
export interface FieldRange {
  readonly min?: number;
  readonly max?: number;
  /** "at most 1024 cores", "from 100ms to 7 days". */
  readonly text: string;
}

const TiB = 2 ** 40;
const PiB = 2 ** 50;
const day = 24 * 3600;

export const limits = {
  /**
   * Nodes in one cluster. Harvester documents clusters of tens of nodes; 1,000 leaves room for the
   * scale benchmarks (500 nodes) while bounding what a typo can ask for.
   */
  nodes: 1_000,
  /** Draws per migration for `migrationUncertainty` (each is one single-migration run). */
  migrationUncertaintyRuns: 1_000,
  /** VMs and volumes: 60,000 each (60 per node at the node bound; the 500-node benchmark has 15,000 VMs and 30,000 volumes). */
  vms: 60_000,
  volumes: 60_000,
  addons: 1_000,
  /** Disks per node, VM volumes, downstream machines: small lists. */
  listItems: 1_000,
  /** Cores per node or VM: the largest x86 servers have a few hundred; Kubernetes reads any number. */
  cores: { min: 0.001, max: 4096, text: 'from 1m to 4096 cores' } satisfies FieldRange,
  /** Memory of a node or VM: 64 TiB (above any single x86 server). */
  memoryBytes: { max: 64 * TiB, text: 'at most 64Ti' } satisfies FieldRange,
  /** A disk or volume: 1 PiB. */
  storageBytes: { max: PiB, text: 'at most 1Pi' } satisfies FieldRange,
  /** Scenario durations (boot times, intervals, timeouts): one year. */
  scenarioSeconds: { max: 366 * day, text: 'at most 366 days (8784h)' } satisfies FieldRange,
  /**
   * A plan's `sleep` and wait `timeout`: 7 days. A running cluster costs about 16 events per simulated
   * second (etcd heartbeats, leases, probes), so a week is about 10 million events.
   */
  planWaitSeconds: { max: 7 * day, text: 'at most 7 days (168h)' } satisfies FieldRange,
  /** `offline`: 400 days, so that a certificate of one year can expire while the cluster is off. */
  offlineSeconds: { max: 400 * day, text: 'at most 400 days (9600h)' } satisfies FieldRange,
  /** How long before the plan a cluster was installed or its certificates issued: 20 years. */
  certificateAgeSeconds: { max: 20 * 366 * day, text: 'at most 20 years (175680h)' } satisfies FieldRange,
  /** A wait's poll interval: from 100 ms (faster than any kubectl loop) to the 7-day bound. */
  pollSeconds: { min: 0.1, max: 7 * day, text: 'from 100ms to 7 days (168h)' } satisfies FieldRange,
  /** A wait's timeout: at least one poll's 100 ms (a subnormal 1e-320 s used to stop the clock). */
  waitTimeoutSeconds: { min: 0.1, max: 7 * day, text: 'from 100ms to 7 days (168h)' } satisfies FieldRange,
  /** fstrim in a guest: at most once a minute (a trim takes seconds; the weekly timer is the norm). */
  fstrimEverySeconds: { min: 60, max: 366 * day, text: 'from 1m to 366 days' } satisfies FieldRange,
} as const;
