/**
 * `harvester-sim import`: a cluster snapshot as a scenario document (the YAML format of
 * docs/scenario-format.md). Only what was read is written; what could not be read is listed in
 * `unknowns` (and as comments at the top of the YAML), and a scenario with a required field
 * unknown fails to load with the loader's own message rather than carrying an invented value.
 */
import { stringify } from 'yaml';
import type { ClusterSnapshot } from './snapshot.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function bytes(n: number): number | string {
  if (n > 0 && n % GiB === 0) return `${n / GiB}Gi`;
  if (n > 0 && n % MiB === 0) return `${n / MiB}Mi`;
  return Math.round(n);
}

export interface ImportResult {
  readonly document: Record<string, unknown>;
  readonly unknowns: readonly string[];
  readonly yaml: string;
}

export function scenarioFromSnapshot(snapshot: ClusterSnapshot, name = 'imported'): ImportResult {
  const unknowns = [...snapshot.unknowns];
  const harvesterVersion = snapshot.settings['server-version']?.replace(/^v/, '');
  if (harvesterVersion === undefined) unknowns.push('harvesterVersion: setting server-version not readable');
  const running = new Map(
    snapshot.vmis.filter((v) => v.phase === 'Running').map((v) => [`${v.namespace}/${v.name}`, v.node]),
  );
  const nodes = snapshot.nodes.map((n) => {
    if (n.cpuCores === null) unknowns.push(`node ${n.name}: cpu`);
    if (n.memoryBytes === null) unknowns.push(`node ${n.name}: memory`);
    if (n.address === null) unknowns.push(`node ${n.name}: InternalIP`);
    return {
      name: n.name,
      role: n.role,
      ...(n.cpuCores === null ? {} : { cpu: n.cpuCores }),
      ...(n.memoryBytes === null ? {} : { memory: bytes(n.memoryBytes) }),
      disks: (n.disks ?? []).map((d) => ({
        name: d.name,
        size: bytes(d.sizeBytes),
        kind: d.kind,
        longhorn: d.longhorn,
      })),
      ...(n.address === null ? {} : { ip: { mode: 'static', address: n.address } }),
      ...(n.zone === null ? {} : { zone: n.zone }),
    };
  });
  const longhornByPvc = new Map(
    snapshot.volumes.filter((v) => v.pvcName !== null).map((v) => [`${v.pvcNamespace}/${v.pvcName}`, v]),
  );
  const vms = snapshot.vms.map((vm) => {
    const key = `${vm.namespace}/${vm.name}`;
    if (vm.cpuCores === null) unknowns.push(`vm ${key}: cpu cores`);
    if (vm.memoryBytes === null) unknowns.push(`vm ${key}: memory`);
    const node = running.get(key) ?? null;
    return {
      namespace: vm.namespace,
      name: vm.name,
      ...(vm.cpuCores === null ? {} : { cpu: vm.cpuCores }),
      ...(vm.memoryBytes === null ? {} : { memory: bytes(vm.memoryBytes) }),
      labels: { ...vm.labels },
      ...(vm.runStrategy === null
        ? {}
        : { runStrategy: vm.runStrategy === 'Halted' && node !== null ? 'Always' : vm.runStrategy }),
      ...(vm.evictionStrategy === null ? {} : { evictionStrategy: vm.evictionStrategy }),
      volumes: vm.volumes.filter((v) => longhornByPvc.has(`${vm.namespace}/${v}`)),
      ...(node === null ? {} : { node }),
    };
  });
  for (const vm of snapshot.vms) {
    for (const v of vm.volumes)
      if (!longhornByPvc.has(`${vm.namespace}/${v}`))
        unknowns.push(`vm ${vm.namespace}/${vm.name}: volume ${v} is not a Longhorn volume (left out)`);
  }
  const volumes = snapshot.volumes.flatMap((v) => {
    if (v.pvcName === null || v.pvcNamespace === null || v.sizeBytes === null) {
      unknowns.push(`Longhorn volume ${v.name}: no PVC or size (left out)`);
      return [];
    }
    return [
      {
        namespace: v.pvcNamespace,
        name: v.pvcName,
        size: bytes(v.sizeBytes),
        ...(v.actualSizeBytes === null ? {} : { used: bytes(Math.min(v.actualSizeBytes, v.sizeBytes)) }),
        ...(v.replicas === null ? {} : { replicas: v.replicas }),
      },
    ];
  });
  const addons = snapshot.addons.map((a) => ({
    namespace: a.namespace,
    name: a.name,
    enabled: a.enabled,
    pvcs: a.pvcs.map((p) => ({ name: p.name, size: bytes(p.sizeBytes) })),
  }));
  const scale = snapshot.rancher.scaleAvailable;
  const imported = (snapshot.rancher.agentReplicas ?? 0) > 0;
  if (imported)
    unknowns.push(
      'rancher.downstreamClusters: which VMs are machines of Rancher downstream clusters is known only to Rancher Manager',
    );
  const m = snapshot.kubevirtMigrations ?? {};
  const pick = (k: string) => (m[k] === undefined ? {} : { [k]: m[k] });
  const migrations = {
    ...pick('bandwidthPerMigration'),
    ...pick('completionTimeoutPerGiB'),
    ...pick('progressTimeout'),
    ...pick('parallelMigrationsPerCluster'),
    ...pick('parallelOutboundMigrationsPerNode'),
    ...pick('allowAutoConverge'),
    ...pick('allowPostCopy'),
  };
  const migrationPolicies = (snapshot.migrationPolicies ?? []).map((p) => {
    const known = new Set([
      'selectors',
      'allowAutoConverge',
      'bandwidthPerMigration',
      'completionTimeoutPerGiB',
      'allowPostCopy',
      'allowWorkloadDisruption',
    ]);
    for (const field of Object.keys(p.spec))
      if (!known.has(field))
        unknowns.push(`MigrationPolicy ${p.name}: spec.${field} is not modelled (left out)`);
    return {
      name: p.name,
      ...Object.fromEntries(Object.entries(p.spec).filter(([k, v]) => known.has(k) && v !== null)),
    };
  });
  // Kubernetes sets kubernetes.io/metadata.name on every namespace; the scenario adds it itself.
  const namespaces = Object.fromEntries(
    (snapshot.namespaces ?? []).flatMap((n) => {
      const labels = Object.fromEntries(
        Object.entries(n.labels).filter(([k]) => k !== 'kubernetes.io/metadata.name'),
      );
      return Object.keys(labels).length === 0 ? [] : [[n.name, { labels }]];
    }),
  );
  const harvester: Record<string, unknown> = {};
  for (const setting of ['vm-force-reset-policy', 'auto-rotate-rke2-certs', 'overcommit-config']) {
    const value = snapshot.settings[setting];
    if (value === undefined || value === '') continue;
    try {
      harvester[setting] = JSON.parse(value);
    } catch {
      unknowns.push(`setting ${setting}: value is not JSON`);
    }
  }
  const document: Record<string, unknown> = {
    name,
    description: `Imported from ${snapshot.server}${snapshot.etcd?.leader ? `; etcd leader ${snapshot.etcd.leader}` : ''}`,
    ...(harvesterVersion === undefined ? {} : { harvesterVersion }),
    ...(snapshot.vip === null ? {} : { vip: { address: snapshot.vip } }),
    nodes,
    vms,
    volumes,
    addons,
    rancher: {
      importedIntoRancherManager: imported,
      ...(scale !== null && /^\d+$/.test(scale) ? { scaleAvailable: Number(scale) } : {}),
    },
    settings: { kubevirt: { migrations, migrationPolicies }, harvester },
    ...(Object.keys(namespaces).length === 0 ? {} : { namespaces }),
  };
  if (scale !== null && !/^\d+$/.test(scale))
    unknowns.push(`rancher.scaleAvailable: the annotation is "${scale}" (cleared?); not a number`);
  const header = [
    `# Imported by harvester-sim import from ${snapshot.server}`,
    `# etcd members: ${snapshot.etcd === null ? 'unknown' : snapshot.etcd.members.map((mm) => mm.node).join(', ')}; leader: ${snapshot.etcd?.leader ?? 'unknown'}`,
    ...(unknowns.length === 0
      ? ['# Unknowns: none']
      : ['# Unknowns (not invented; fill in or accept the defaults):', ...unknowns.map((u) => `#   - ${u}`)]),
  ].join('\n');
  return { document, unknowns, yaml: `${header}\n${stringify(document)}` };
}
