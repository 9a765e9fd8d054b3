/**
 * Rules a scenario must follow beyond its shape: unique names, Harvester's role rules, references
 * between nodes, VMs, volumes and downstream clusters. Each rule cites where it comes from.
 */
import { nodeDrainPolicyChoices } from '../profiles/longhorn-defaults.ts';
import type { VersionProfile } from '../profiles/types.ts';
import { type DocumentIssue, type DocumentPath, formatIssue } from './document-error.ts';
import type { ScenarioDocument } from './schema.ts';
import type { YamlSource } from './yaml-source.ts';

export interface CheckResult {
  readonly issues: DocumentIssue[];
  readonly warnings: string[];
}

const witnessDoc = 'harvester/docs:docs/advanced/witness.md';

export function checkScenarioDocument(
  document: ScenarioDocument,
  source: YamlSource,
  profile: VersionProfile,
): CheckResult {
  const issues: DocumentIssue[] = [];
  const warnings: string[] = [];
  const fail = (path: DocumentPath, expected: string, found?: string) =>
    issues.push(source.issue(path, expected, found));
  const warn = (path: DocumentPath, expected: string, found: string) =>
    warnings.push(formatIssue(source.issue(path, expected, found)));

  // node-drain-policy: only the values the scenario's Longhorn release has.
  const drainPolicy = document.settings.longhorn['node-drain-policy'];
  if (drainPolicy !== undefined) {
    const choices = nodeDrainPolicyChoices(profile.components.longhorn);
    if (!choices.value.includes(drainPolicy))
      fail(
        ['settings', 'longhorn', 'node-drain-policy'],
        `one of ${choices.value.join(', ')} (Longhorn ${profile.components.longhorn}; ${choices.source})`,
        drainPolicy,
      );
  }

  // Names are unique within their kind.
  unique(document.nodes, (node) => node.name, ['nodes'], 'name', 'node', fail);
  unique(document.vms, (vm) => `${vm.namespace}/${vm.name}`, ['vms'], 'name', 'VM', fail);
  unique(
    document.volumes,
    (volume) => `${volume.namespace}/${volume.name}`,
    ['volumes'],
    'name',
    'volume',
    fail,
  );
  unique(document.addons, (addon) => `${addon.namespace}/${addon.name}`, ['addons'], 'name', 'addon', fail);
  // MigrationPolicy is cluster-scoped: one object per name.
  unique(
    document.settings.kubevirt.migrationPolicies,
    (policy) => policy.name,
    ['settings', 'kubevirt', 'migrationPolicies'],
    'name',
    'MigrationPolicy',
    fail,
  );
  unique(
    document.rancher.downstreamClusters,
    (c) => c.name,
    ['rancher', 'downstreamClusters'],
    'name',
    'cluster',
    fail,
  );
  document.nodes.forEach((node, i) => {
    unique(node.disks, (disk) => disk.name, ['nodes', i, 'disks'], 'name', 'disk', fail);
  });

  // Roles: one witness at most, chosen at join time; with it, exactly 2 management nodes (2+1 etcd members).
  const nodeIndex = new Map(document.nodes.map((node, i) => [node.name, i]));
  const witnesses = document.nodes.flatMap((node, i) => (node.role === 'witness' ? [i] : []));
  const management = document.nodes.filter((node) => node.role === 'management').length;
  for (const extra of witnesses.slice(1)) {
    fail(
      ['nodes', extra, 'role'],
      `at most one witness node (${witnessDoc}); nodes[${witnesses[0]}] is already the witness`,
    );
  }
  if (witnesses.length === 1 && management !== 2) {
    fail(
      ['nodes'],
      `exactly 2 management nodes beside the witness (${witnessDoc}: 2 management + 1 witness = 3 etcd members)`,
      `${management} management node${management === 1 ? '' : 's'}`,
    );
  }
  if (witnesses.length === 0) {
    const wanted = document.nodes.length >= 3 ? 3 : 1;
    if (management !== wanted) {
      fail(
        ['nodes'],
        `${wanted} management node${wanted === 1 ? '' : 's'} for ${document.nodes.length} node${document.nodes.length === 1 ? '' : 's'} ` +
          '(harvester/harvester:pkg/controller/master/node/promote_controller.go promotes to 3 once the cluster has 3 nodes)',
        `${management}`,
      );
    }
  }

  // Addresses: node IPs are distinct and the VIP is none of them (KB: IPs and VIP stay stable).
  const ipOwner = new Map<string, number>();
  document.nodes.forEach((node, i) => {
    const owner = ipOwner.get(node.ip.address);
    if (owner !== undefined) {
      fail(
        ['nodes', i, 'ip', 'address'],
        `an address not used by nodes[${owner}] (${document.nodes[owner].name})`,
      );
    } else ipOwner.set(node.ip.address, i);
    if (node.ip.address === document.vip.address)
      fail(['nodes', i, 'ip', 'address'], 'an address other than the VIP');
    if (node.ip.mode === 'dhcp' && !node.ip.fixedBinding) {
      warn(
        ['nodes', i, 'ip', 'fixedBinding'],
        'a fixed DHCP binding (KB: "If there is no fixed IP binding, when the server restarts after some days it may get a different IP")',
        'false',
      );
    }
  });

  // Durations drawn from distributions must be consistent.
  document.nodes.forEach((node, i) => {
    checkDistribution(node.boot, ['nodes', i, 'boot'], fail);
    checkDistribution(node.deploymentsReady, ['nodes', i, 'deploymentsReady'], fail);
  });

  // Volumes: provisioner fields match the provisioner.
  const volumeIndex = new Map(document.volumes.map((volume, i) => [`${volume.namespace}/${volume.name}`, i]));
  const replicaNodes = document.nodes.filter(
    (node) => node.role !== 'witness' && node.disks.some((disk) => disk.longhorn),
  ).length;
  const defaultReplicas =
    document.settings.longhorn['default-replica-count'] ?? profile.settings.longhorn.defaultReplicaCount;
  document.volumes.forEach((volume, i) => {
    if (volume.provisioner === 'external') {
      if (volume.driver === undefined)
        fail(
          ['volumes', i, 'driver'],
          'a CSI driver name for an external volume, e.g. "rook-ceph.rbd.csi.ceph.com"',
        );
      if (volume.replicas !== undefined)
        fail(
          ['volumes', i, 'replicas'],
          'no replicas on an external volume (the external storage keeps its own)',
        );
      if (volume.dataLocality !== undefined)
        fail(['volumes', i, 'dataLocality'], 'no dataLocality on an external volume');
    } else {
      if (volume.driver !== undefined)
        fail(['volumes', i, 'driver'], 'no driver on a Longhorn volume (use provisioner: external)');
      const replicas = volume.replicas ?? defaultReplicas;
      if (replicas > replicaNodes) {
        warn(
          ['volumes', i, 'replicas'],
          `at most ${replicaNodes} replicas: Longhorn places at most one per node and none on a witness (replica-soft-anti-affinity false); the volume will run Degraded`,
          String(replicas),
        );
      }
    }
    if (volume.used !== undefined && volume.used > volume.size)
      fail(['volumes', i, 'used'], `at most the size (${volume.size} bytes)`);
  });

  // VMs: volumes exist in the VM's namespace, each belongs to one VM, and the VM runs on a node that can run VMs.
  const volumeUser = new Map<string, string>();
  document.vms.forEach((vm, i) => {
    vm.volumes.forEach((name, j) => {
      const key = `${vm.namespace}/${name}`;
      if (!volumeIndex.has(key)) {
        fail(
          ['vms', i, 'volumes', j],
          `the name of a volume declared under volumes in namespace "${vm.namespace}"`,
        );
        return;
      }
      const user = volumeUser.get(key);
      if (user !== undefined) fail(['vms', i, 'volumes', j], `a volume no other VM uses (${user} uses it)`);
      else volumeUser.set(key, `${vm.namespace}/${vm.name}`);
    });
    if (vm.node !== undefined) {
      const at = nodeIndex.get(vm.node);
      if (at === undefined) fail(['vms', i, 'node'], 'the name of a node declared under nodes');
      else if (document.nodes[at].role === 'witness') {
        fail(
          ['vms', i, 'node'],
          'a node that runs VMs; the witness is tainted node-role.kubernetes.io/etcd=true:NoExecute',
        );
      }
    }
    if (vm.guest.workingSet !== undefined && vm.guest.workingSet > vm.memory) {
      fail(['vms', i, 'guest', 'workingSet'], `at most the VM's memory (${vm.memory} bytes)`);
    }
    checkDistribution(vm.guest.shutdown, ['vms', i, 'guest', 'shutdown'], fail);
    checkDistribution(vm.guest.boot, ['vms', i, 'guest', 'boot'], fail);
  });

  // Rancher: downstream clusters need an external Rancher Manager; machines are declared VMs, each in one cluster.
  const vmKeys = new Set(document.vms.map((vm) => `${vm.namespace}/${vm.name}`));
  const machineOwner = new Map<string, string>();
  document.rancher.downstreamClusters.forEach((cluster, i) => {
    if (!document.rancher.importedIntoRancherManager) {
      fail(
        ['rancher', 'importedIntoRancherManager'],
        'true when downstreamClusters are declared (they are managed by an external Rancher Manager)',
      );
    }
    cluster.machines.forEach((machine, j) => {
      if (!vmKeys.has(machine)) {
        fail(
          ['rancher', 'downstreamClusters', i, 'machines', j],
          'a VM declared under vms ("namespace/name")',
        );
        return;
      }
      const owner = machineOwner.get(machine);
      if (owner !== undefined)
        fail(
          ['rancher', 'downstreamClusters', i, 'machines', j],
          `a VM that is not already a machine of cluster "${owner}"`,
        );
      else machineOwner.set(machine, cluster.name);
    });
  });

  // etcd-arg: etcd refuses an election timeout below 5 heartbeats or above 50 s (etcd-io/etcd:server/embed/config.go Validate).
  const etcd = document.settings.etcd;
  const heartbeatMs = (etcd['heartbeat-interval'] ?? profile.settings.etcd.heartbeatIntervalMs / 1000) * 1000;
  const electionMs = (etcd['election-timeout'] ?? profile.settings.etcd.electionTimeoutMs / 1000) * 1000;
  if (etcd['heartbeat-interval'] !== undefined || etcd['election-timeout'] !== undefined) {
    const path =
      etcd['election-timeout'] !== undefined
        ? ['settings', 'etcd', 'election-timeout']
        : ['settings', 'etcd', 'heartbeat-interval'];
    if (electionMs < 5 * heartbeatMs) {
      fail(
        path,
        `election-timeout at least 5 × heartbeat-interval (etcd-io/etcd:server/embed/config.go Validate)`,
        `${Math.round(electionMs)} ms with heartbeat ${Math.round(heartbeatMs)} ms`,
      );
    } else if (electionMs > 50_000) {
      fail(
        path,
        'election-timeout at most 50000 ms (etcd-io/etcd:server/embed/config.go Validate)',
        `${Math.round(electionMs)} ms`,
      );
    }
  }

  // kubelet: shutdownGracePeriodCriticalPods is part of shutdownGracePeriod (the kubelet refuses a
  // larger one: kubernetes/kubernetes:pkg/kubelet/apis/config/validation, "shutdownGracePeriodCriticalPods ... must be <= shutdownGracePeriod").
  const kubelet = document.settings.kubelet;
  const critical = kubelet['shutdown-grace-period-critical-pods'];
  if (critical !== undefined && critical > (kubelet['shutdown-grace-period'] ?? 0)) {
    fail(
      ['settings', 'kubelet', 'shutdown-grace-period-critical-pods'],
      'at most shutdown-grace-period (the kubelet reserves it out of that period)',
      `${critical} s with shutdown-grace-period ${kubelet['shutdown-grace-period'] ?? 0} s`,
    );
  }

  return { issues, warnings };
}

function unique<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  listPath: DocumentPath,
  field: string,
  what: string,
  fail: (path: DocumentPath, expected: string, found?: string) => void,
): void {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else
      fail(
        [...listPath, i, field],
        `a ${what} name not already used by ${formatListItem(listPath, earlier)}`,
        JSON.stringify(key),
      );
  });
}

function formatListItem(listPath: DocumentPath, index: number): string {
  return `${listPath.map((segment) => String(segment)).join('.')}[${index}]`;
}

type Distribution = ScenarioDocument['nodes'][number]['boot'];

function checkDistribution(
  distribution: Distribution,
  path: DocumentPath,
  fail: (path: DocumentPath, expected: string, found?: string) => void,
): void {
  if (distribution === undefined) return;
  if (distribution.distribution === 'uniform' && distribution.min > distribution.max) {
    fail([...path, 'max'], `at least min (${distribution.min} s)`);
  }
  if (distribution.distribution === 'lognormal') {
    if (distribution.median <= 0) fail([...path, 'median'], 'a median above 0 s');
    else if (distribution.median > distribution.max)
      fail([...path, 'max'], `at least the median (${distribution.median} s)`);
  }
}
