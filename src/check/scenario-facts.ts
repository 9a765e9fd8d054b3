/**
 * The seed articles' other facts, as a scenario states them (`infrastructure:`), checked against
 * the plan: RKE2 cluster-token rotation before a reboot; an HTTP proxy whose noProxy misses node
 * IPs, the cluster CIDRs or the VIP; iSCSI-booted nodes powered on before their target, or with the
 * GRUB iSCSI parameters missing; VM disks on an external Ceph cluster started before it, and the
 * csi-driver-config their snapshots need.
 */
import { KB_PROCEDURE, SEED_FACTS } from '../evaluate/kb-sentences.ts';
import { CLUSTER_NETWORK_DEFAULTS } from './infrastructure-defaults.ts';
import { covered } from './ipv4.ts';
import type { reporter } from './procedure-rules.ts';
import type { StaticRun } from './static-run.ts';
import { vmKey } from './static-run.ts';

type Report = ReturnType<typeof reporter>;

const list = (items: readonly string[]) => items.join(', ');

export function scenarioFactRules(run: StaticRun, report: Report): void {
  tokenRotation(run, report);
  noProxy(run, report);
  iscsiBoot(run, report);
  externalCeph(run, report);
}

function tokenRotation(run: StaticRun, report: Report): void {
  if (!run.scenario.infrastructure.rke2TokenRotated) return;
  const members = new Set(run.etcdMembers.map((n) => n.name));
  const reboot = run.views.find(
    (v) => v.step.action.type === 'node.power-on' && v.nodes.some((n) => members.has(n)),
  );
  if (reboot !== undefined)
    report(
      reboot.step,
      'rke2.token-rotated',
      `reboots ${list(reboot.nodes.filter((n) => members.has(n)))} on a cluster whose RKE2 token was rotated: rke2-server may fail with "bootstrap data already found and encrypted with different token"`,
      `${SEED_FACTS.tokenRotation} ${SEED_FACTS.tokenRotationFatal}`,
    );
}

function noProxy(run: StaticRun, report: Report): void {
  const { scenario } = run;
  const proxy = scenario.infrastructure.httpProxy;
  if (proxy === null) return;
  const needed = [
    ...scenario.nodes.map((n) => ({ what: `node ${n.name} IP`, value: n.ip.address })),
    { what: 'VIP', value: scenario.vip.address },
    { what: 'pod CIDR', value: CLUSTER_NETWORK_DEFAULTS.podCidr },
    { what: 'service CIDR', value: CLUSTER_NETWORK_DEFAULTS.serviceCidr },
    ...(scenario.networks.storage === null
      ? []
      : [{ what: 'storage network CIDR', value: scenario.networks.storage.cidr }]),
  ];
  const missing = needed.filter((n) => !covered(proxy.noProxy, n.value));
  if (missing.length > 0)
    report(
      null,
      'proxy.no-proxy-incomplete',
      `http-proxy noProxy does not cover ${list(missing.map((m) => `the ${m.what} ${m.value}`))}: that traffic goes through the proxy`,
      proxy.fromOemFiles
        ? `${SEED_FACTS.noProxyWebhook} ${SEED_FACTS.noProxyFromFiles}`
        : SEED_FACTS.noProxyWebhook,
    );
}

function iscsiBoot(run: StaticRun, report: Report): void {
  for (const system of run.scenario.infrastructure.externalSystems) {
    if (system.kind !== 'iscsi-target') continue;
    const unknown = system.bootsNodes.filter((n) => !run.scenario.nodes.some((s) => s.name === n));
    if (unknown.length > 0)
      report(
        null,
        'iscsi.unknown-node',
        `iSCSI target ${system.name} boots ${list(unknown)}, which the scenario does not declare`,
        SEED_FACTS.iscsiSan,
      );
    let grubReported = false;
    for (const view of run.views) {
      const action = view.step.action;
      if (action.type === 'external.shutdown' && action.system === system.name) {
        const on = system.bootsNodes.filter((n) => view.before.on.has(n));
        if (on.length > 0)
          report(
            view.step,
            'iscsi.target-down-under-nodes',
            `shuts down iSCSI target ${system.name} while ${list(on)}, which boot from it, still run`,
            `${KB_PROCEDURE.reverseOrder} ${SEED_FACTS.iscsiSan}`,
          );
      }
      if (action.type !== 'node.power-on') continue;
      const booting = view.nodes.filter((n) => system.bootsNodes.includes(n));
      if (booting.length === 0) continue;
      if (view.before.externalOff.has(system.name))
        report(
          view.step,
          'iscsi.node-before-target',
          `powers on ${list(booting)} while their iSCSI boot target ${system.name} is down (power on ${system.name} first)`,
          `${KB_PROCEDURE.reverseOrder} ${SEED_FACTS.iscsiSan}`,
        );
      if (system.grubParameters !== 'persisted' && !grubReported) {
        grubReported = true;
        report(
          view.step,
          'iscsi.grub-parameters',
          `${list(booting)} boot from iSCSI without rd.iscsi.firmware rd.iscsi.ibft in grub.cfg (${system.grubParameters === 'lost-by-upgrade' ? 'an upgrade overwrote them' : 'typed at the first boot only'}): the boot will not find COS_OEM`,
          system.grubParameters === 'lost-by-upgrade'
            ? `${SEED_FACTS.iscsiUpgrade} ${SEED_FACTS.iscsiKernelParameters}`
            : SEED_FACTS.iscsiKernelParameters,
        );
      }
    }
  }
}

function externalCeph(run: StaticRun, report: Report): void {
  const { scenario } = run;
  const infrastructure = scenario.infrastructure;
  const externalDrivers = new Set(
    scenario.volumes.flatMap((v) => (v.provisioner.kind === 'external' ? [v.provisioner.driver] : [])),
  );
  for (const driver of externalDrivers)
    if (infrastructure.csiDriverConfig[driver] === undefined)
      report(
        null,
        'csi.driver-config-missing',
        `volumes of CSI driver ${driver} have no csi-driver-config entry (provisioner ${driver} with a volumeSnapshotClassName): VM snapshots and backups of them fail`,
        `${SEED_FACTS.csiDriverConfig} ${SEED_FACTS.csiSnapshotClass}`,
      );
  for (const system of infrastructure.externalSystems) {
    if (system.kind !== 'ceph') continue;
    const volumes = new Set(
      scenario.volumes
        .filter((v) => v.provisioner.kind === 'external' && v.provisioner.driver === system.driver)
        .map((v) => `${v.namespace}/${v.name}`),
    );
    const users = scenario.vms
      .filter((vm) => vm.volumeNames.some((name) => volumes.has(`${vm.namespace}/${name}`)))
      .map(vmKey);
    for (const view of run.views) {
      const action = view.step.action;
      if (action.type === 'external.shutdown' && action.system === system.name) {
        const running = users.filter((vm) => view.before.runningVms.has(vm));
        if (running.length > 0)
          report(
            view.step,
            'ceph.down-under-vms',
            `shuts down Ceph cluster ${system.name} while ${list(running)}, with disks on it, may still run`,
            `${KB_PROCEDURE.reverseOrder} ${SEED_FACTS.cephExternal}`,
          );
      }
      if (action.type === 'vm.start' && view.before.externalOff.has(system.name)) {
        const starting = view.vms.filter((vm) => users.includes(vm));
        if (starting.length > 0)
          report(
            view.step,
            'ceph.vms-before-cluster',
            `starts ${list(starting)}, whose disks are on Ceph cluster ${system.name}, while it is down (power on ${system.name} first)`,
            `${KB_PROCEDURE.reverseOrder} ${SEED_FACTS.cephExternal}`,
          );
      }
    }
  }
}
