/**
 * Migration metrics and findings, from trace records only: the world's `migration.finished` and
 * `maintenance.result` records and the migration controller's phase records (subsystem 'kubevirt').
 */
import type { DrainAction, VmRecordData } from '../trace/kubevirt.ts';
import { select, type Trace } from '../trace/record.ts';
import type { Finding } from './finding.ts';

type Finished = VmRecordData['migration.finished'];
/** The migration run again N times (scenario `migrationUncertainty`); the record without its `vm`. */
export type MigrationUncertainty = Omit<VmRecordData['migration.uncertainty'], 'vm'>;

export interface MigrationMetrics {
  /** Each migration; `uncertainty` only when the scenario asked for it. */
  readonly migrations: readonly (Finished & {
    readonly endSeconds: number;
    readonly uncertainty?: MigrationUncertainty;
  })[];
  readonly completed: number;
  readonly aborted: number;
  readonly postCopy: number;
  readonly failed: number;
  /** Largest number of migrations running at once (target pod created to final), cluster-wide. */
  readonly peakConcurrent: number;
  /** Largest number of outbound migrations at once from one node. */
  readonly peakOutboundPerNode: number;
  /** First migration created to last one finished, per maintenance; the longest. */
  readonly evacuationMakespanSeconds: number;
  readonly maintenance: readonly VmRecordData['maintenance.result'][];
}

const HOLDS_SLOT = new Set<string>(['Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running']);

export function migrationMetrics(records: Trace): MigrationMetrics {
  // A `migration.uncertainty` record comes just before its migration's `migration.finished`.
  const uncertainty = new Map<string, MigrationUncertainty>();
  const finished: MigrationMetrics['migrations'][number][] = [];
  for (const r of records) {
    if (r.subsystem !== 'kubevirt') continue;
    if (r.kind === 'migration.uncertainty') {
      const { vm, ...rest } = r.data;
      uncertainty.set(vm, rest);
    } else if (r.kind === 'migration.finished') {
      const u = uncertainty.get(r.data.vm);
      uncertainty.delete(r.data.vm);
      finished.push({ ...r.data, endSeconds: r.timeSeconds, ...(u === undefined ? {} : { uncertainty: u }) });
    }
  }
  // Concurrency from the controller's phase records: a slot is held from target-pod creation.
  const holding = new Map<string, string>();
  let peak = 0;
  let peakPerNode = 0;
  let firstCreated = Number.POSITIVE_INFINITY;
  let lastFinal = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    if (r.subsystem !== 'kubevirt') continue;
    if (r.kind === 'migration.created') firstCreated = Math.min(firstCreated, r.timeSeconds);
    if (r.kind !== 'migration.phase') continue;
    const { migration, phase, sourceNode } = r.data;
    if (HOLDS_SLOT.has(phase)) holding.set(migration, sourceNode);
    else holding.delete(migration);
    if (phase === 'Succeeded' || phase === 'Failed') lastFinal = Math.max(lastFinal, r.timeSeconds);
    peak = Math.max(peak, holding.size);
    const perNode = new Map<string, number>();
    for (const node of holding.values()) perNode.set(node, (perNode.get(node) ?? 0) + 1);
    peakPerNode = Math.max(peakPerNode, ...perNode.values(), 0);
  }
  return {
    migrations: finished,
    completed: finished.filter((m) => m.outcome === 'completed').length,
    aborted: finished.filter((m) => m.outcome === 'aborted').length,
    postCopy: finished.filter((m) => m.outcome === 'post-copy').length,
    failed: finished.filter(
      (m) => m.outcome === 'failed' || m.outcome === 'vm-lost' || m.outcome === 'cancelled',
    ).length,
    peakConcurrent: peak,
    peakOutboundPerNode: peakPerNode,
    evacuationMakespanSeconds:
      Number.isFinite(firstCreated) && Number.isFinite(lastFinal) ? lastFinal - firstCreated : 0,
    maintenance: select(records, 'kubevirt', 'maintenance.result').map((r) => r.data),
  };
}

const KB_MIGRATION =
  'KubeVirt aborts a migration past completionTimeoutPerGiB × GiB or after progressTimeout without progress, unless allowWorkloadDisruption (post-copy or pause) applies (kubevirt/kubevirt:pkg/virt-launcher/virtwrap/live-migration-source.go)';

export function migrationFindings(records: Trace): Finding[] {
  const findings: Finding[] = [];
  /** Nodes whose maintenance drain was already reported blocked by a budget (every retry writes a timeout). */
  const pdbReported = new Set<string>();
  const at = (r: { readonly timeSeconds: number }) => r.timeSeconds;
  for (const r of records) {
    if (r.subsystem !== 'kubevirt') continue;
    if (r.kind === 'migration.finished') {
      const m = r.data;
      if (m.outcome === 'aborted') {
        findings.push({
          rule: 'migration.not-converging',
          severity: 'warning',
          timeSeconds: at(r),
          title: `VM ${m.vm} did not converge and was aborted after ${m.seconds.toFixed(0)} s`,
          detail: `${m.reason}; ${m.passes} passes, ${(m.transferredBytes / 2 ** 30).toFixed(2)} GiB sent, throttle up to ${m.maxThrottlePercent} %`,
          objects: [`vm/${m.vm}`, `node/${m.source}`, `node/${m.target}`],
          source: KB_MIGRATION,
        });
      }
      if (m.outcome === 'vm-lost') {
        findings.push({
          rule: 'migration.post-copy-vm-lost',
          severity: 'critical',
          timeSeconds: at(r),
          title: `VM ${m.vm} was lost: a node failed during post-copy`,
          detail: `${m.source} → ${m.target}: ${m.reason}`,
          objects: [`vm/${m.vm}`, `node/${m.source}`, `node/${m.target}`],
          source:
            'qemu/qemu:migration/postcopy-ram.c (after postcopy_start the guest runs on the target and faults missing pages from the source): in post-copy the guest state is split between source and target; losing either node loses the VM',
        });
      } else if (m.postCopySeconds > 0) {
        findings.push({
          rule: 'migration.post-copy-exposure',
          severity: 'info',
          timeSeconds: at(r),
          title: `VM ${m.vm} ran ${m.postCopySeconds.toFixed(1)} s in post-copy`,
          detail: `during that time a failure of ${m.source} or ${m.target} would have lost the VM`,
          objects: [`vm/${m.vm}`],
          source:
            'qemu/qemu:migration/postcopy-ram.c: post-copy trades convergence for exposure to either node failing (the guest needs pages from the source until the background push ends)',
        });
      }
    }
    if (r.kind === 'maintenance.result') {
      const m = r.data;
      if (m.outcome === 'completed') continue;
      findings.push({
        rule: m.outcome === 'blocked' ? 'maintenance.blocked' : 'maintenance.incomplete',
        severity: 'critical',
        timeSeconds: at(r),
        title:
          m.outcome === 'blocked'
            ? m.vmis.length > 0
              ? `maintenance of ${m.node} refused: ${m.vmis.length} VM(s) cannot be live-migrated`
              : `maintenance of ${m.node} refused: ${m.message.replace(/^enabling maintenance mode is impossible: (draining of this node is not possible: )?/, '')}`
            : `maintenance of ${m.node} did not complete`,
        detail: m.vmis.length > 0 ? m.vmis.map((v) => `${v.vmi}: ${v.reason}`).join('; ') : m.message,
        objects: [`node/${m.node}`, ...m.vmis.map((v) => `vm/${v.vmi}`)],
        source:
          'harvester/docs:docs/host/host.md (maintenance mode; non-migratable VMs need Force); kubevirt/kubevirt:pkg/virt-controller/watch/drain/evacuation/evacuation.go (evictionStrategy LiveMigrate)',
      });
    }
    if (r.kind === 'drain.result' && r.data.evicted.length > 0) {
      const d = r.data;
      findings.push({
        rule: 'drain.vm-shut-down',
        severity: 'warning',
        timeSeconds: at(r),
        title: `kubectl drain ${d.node} shut down ${d.evicted.length} VM(s) instead of migrating them`,
        detail: `evicted (their guests stopped; runStrategy decides whether they start elsewhere): ${d.evicted.join(', ')}`,
        objects: [`node/${d.node}`, ...d.evicted.map((v) => `vm/${v}`)],
        source:
          'kubevirt/kubevirt:pkg/virt-api/webhooks/validating-webhook/admitters/pod-eviction-admitter.go: evictionStrategy None, or LiveMigrateIfPossible on a VM that is not live-migratable, lets the eviction delete the launcher pod',
      });
    }
    if (r.kind === 'drain.result' && r.data.refused !== undefined) {
      findings.push({
        rule: 'drain.refused',
        severity: 'critical',
        timeSeconds: at(r),
        title: `kubectl drain ${r.data.node} refused: the last node neither cordoned nor in maintenance`,
        detail: r.data.refused,
        objects: [`node/${r.data.node}`],
        source:
          'harvester/harvester:pkg/webhook/resources/node/validator.go validateCordonAndMaintenanceMode (util.IsOtherNodeAvailable)',
      });
    } else if (r.kind === 'drain.result' && !r.data.drained) {
      const d = r.data;
      findings.push({
        rule: 'drain.timed-out',
        severity: 'critical',
        timeSeconds: at(r),
        title: `kubectl drain ${d.node} gave up after ${d.timeoutSeconds} s with ${d.remaining.length} VM(s) left`,
        detail: d.remaining
          .map(
            (v) =>
              `${v.vmi}: ${DRAIN_ACTION_MEANING[v.action]}${v.message === undefined ? '' : ` (${v.message})`}`,
          )
          .join('; '),
        objects: [`node/${d.node}`, ...d.remaining.map((v) => `vm/${v.vmi}`)],
        source:
          "kubevirt/kubevirt:pkg/virt-api/webhooks/validating-webhook/admitters/pod-eviction-admitter.go (evictionStrategy: LiveMigrate blocks a non-migratable VM's eviction, migrations answer 429 until done); kubernetes/kubectl:pkg/drain/drain.go (--timeout)",
      });
    }
    if (
      (r.kind === 'drain.result' || r.kind === 'maintenance.drain-timeout') &&
      r.data.blockedByPdb !== undefined &&
      r.data.blockedByPdb.length > 0
    ) {
      const kubectl = r.kind === 'drain.result';
      const node = r.data.node;
      if (!kubectl && pdbReported.has(node)) continue;
      pdbReported.add(node);
      const blocked = r.data.blockedByPdb;
      findings.push({
        rule: kubectl ? 'drain.blocked-by-pdb' : 'maintenance.blocked-by-pdb',
        severity: 'critical',
        timeSeconds: at(r),
        title: `${kubectl ? 'kubectl drain' : 'maintenance drain of'} ${node} blocked by PodDisruptionBudget ${blocked.map((b) => b.pdb).join(', ')}`,
        detail: blocked.map((b) => `${b.pod} (${b.objects.join(', ')}): ${b.message}`).join('; '),
        objects: [`node/${node}`, ...blocked.flatMap((b) => b.objects)],
        source:
          'kubernetes/kubernetes:pkg/registry/core/pod/storage/eviction.go (429 "Cannot evict pod as it would violate the pod\'s disruption budget."; kubectl drain retries every 5 s until --timeout); longhorn/longhorn-manager:controller/instance_manager_controller.go canDeleteInstanceManagerPDB (node-drain-policy)',
      });
    }
  }
  return findings;
}

/** What each eviction answer meant for a pod the drain left behind. */
const DRAIN_ACTION_MEANING: Readonly<Record<DrainAction, string>> = {
  block: 'eviction denied: evictionStrategy LiveMigrate on a VM that is not live-migratable',
  migrate: 'eviction denied while its evacuation migration ran',
  external: 'eviction denied: evictionStrategy External waits for an outside controller',
  shutdown: 'evicted, still shutting down',
  pdb: 'eviction denied (429): a PodDisruptionBudget allows no disruption',
};
