/**
 * Harvester's maintenance-mode pre-checks, statically, for each `node.maintenance` step: the node
 * counts the webhook requires, another control-plane node already in maintenance, and VMs the
 * drain cannot live-migrate (non-ReadWriteMany volumes, a single Longhorn replica).
 * Sources: harvester/docs:docs/host/host.md; harvester/harvester:pkg/controller/master/nodedrain
 * (`FindNonMigratableVMS`); research controlplane.md §5.
 */
import { KB_PROCEDURE } from '../evaluate/kb-sentences.ts';
import { drainPossibleRoles } from '../profiles/drain-possible.ts';
import type { reporter } from './procedure-rules.ts';
import type { StaticRun } from './static-run.ts';
import { vmKey } from './static-run.ts';

type Report = ReturnType<typeof reporter>;

export const MAINTENANCE_SOURCES = {
  nodeCounts: 'harvester/docs:docs/host/host.md: maintenance mode needs ≥ 2 active nodes',
  lastReplica:
    'harvester/harvester:pkg/controller/master/nodedrain (FindNonMigratableVMS): a VM holding the last healthy Longhorn replica on the node blocks maintenance',
} as const;

/** Active nodes maintenance mode needs (controlplane.md §5). */
const MIN_ACTIVE_NODES = 2;
/** `defaultSingleCPCount` and `defaultHACPCount` of DrainPossible (harvester/harvester:pkg/util/drainhelper/helper.go). */
const SINGLE_CONTROL_PLANE = 1;
const HA_CONTROL_PLANE = 3;

export function maintenanceRules(run: StaticRun, report: Report): void {
  const { scenario } = run;
  const role = new Map(scenario.nodes.map((n) => [n.name, n.role]));
  const volumes = new Map(scenario.volumes.map((v) => [`${v.namespace}/${v.name}`, v]));
  for (const view of run.views) {
    const { step, before } = view;
    if (step.action.type !== 'node.maintenance' || !step.action.enable) continue;
    for (const node of view.nodes) {
      const active = [...before.on].filter((n) => !before.maintenance.has(n));
      if (active.length < MIN_ACTIVE_NODES)
        report(
          step,
          'maintenance.too-few-nodes',
          `${node}: only ${active.length} active node(s)`,
          MAINTENANCE_SOURCES.nodeCounts,
        );
      // DrainPossible as the scenario's release has it: which roles it counts (a witness from
      // v1.3.0), not the docs' "not allowed with only 2 control-plane nodes".
      const counted = drainPossibleRoles(scenario.harvesterVersion);
      const nodeRole = role.get(node);
      if (nodeRole !== undefined && (counted.value as readonly string[]).includes(nodeRole)) {
        const controlPlane = scenario.nodes
          .filter((n) => (counted.value as readonly string[]).includes(n.role))
          .map((n) => n.name);
        const others = controlPlane.filter((n) => n !== node && before.maintenance.has(n));
        const available = controlPlane.filter((n) => !before.maintenance.has(n)).length;
        if (
          controlPlane.length === SINGLE_CONTROL_PLANE ||
          (others.length === 0 && available !== HA_CONTROL_PLANE)
        )
          report(
            step,
            'maintenance.single-control-plane',
            `${node}: ${controlPlane.length} control-plane/etcd node(s) counted (${counted.value.join(', ')} roles), ${HA_CONTROL_PLANE} required without maintenance`,
            counted.source,
          );
        if (others.length > 0)
          report(
            step,
            'maintenance.another-control-plane',
            `control-plane node ${others.join(', ')} is already in maintenance`,
            counted.source,
          );
      }
      // Forced (the UI's Force), Harvester shuts these VMs down instead of refusing
      // (nodedrain_controller.go: `if forced { shutdownVMs = nonMigratableVMs }`).
      if (step.action.force === true) continue;
      for (const vm of scenario.vms) {
        if (
          vm.nodeName !== node ||
          !before.runningVms.has(vmKey(vm)) ||
          vm.maintainModeStrategy !== 'Migrate'
        )
          continue;
        const own = vm.volumeNames
          .map((v) => volumes.get(`${vm.namespace}/${v}`))
          .filter((v) => v !== undefined);
        const rwo = own.filter((v) => v.accessMode !== 'ReadWriteMany');
        if (rwo.length > 0)
          report(
            step,
            'maintenance.non-migratable-vm',
            `${vmKey(vm)} on ${node} cannot live-migrate: volume ${rwo.map((v) => `${v.name} (${v.accessMode})`).join(', ')}`,
            KB_PROCEDURE.liveMigrationRwx,
          );
        const single = own.filter((v) => v.provisioner.kind === 'longhorn' && v.provisioner.replicas === 1);
        if (single.length > 0)
          report(
            step,
            'maintenance.last-replica',
            `${vmKey(vm)} on ${node} holds the only replica of ${single.map((v) => v.name).join(', ')}`,
            MAINTENANCE_SOURCES.lastReplica,
          );
      }
    }
  }
}
