/**
 * TEST FIXTURE, not a model: a small validated scenario (through the scenario loader) and a Longhorn
 * model on it, driven by calling the WorldObserver methods the way the world will.
 */
import { type Event, MemorySink, Simulation, type TraceRecord } from '../../sim/index.ts';
import { Fabric } from '../../src/cluster/fabric.ts';
import { LonghornModel } from '../../src/longhorn/model.ts';
import type { LonghornModelOptions } from '../../src/longhorn/options.ts';
import type { LonghornSettings } from '../../src/profiles/types.ts';
import { scenarioFromData } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';

export interface FixtureVolume {
  name: string;
  size: string;
  used: string;
  replicas?: number;
  dataLocality?: 'disabled' | 'best-effort' | 'strict-local';
  /** An external CSI driver (no Longhorn replicas). */
  externalDriver?: string;
}

export interface FixtureVm {
  name: string;
  node: string | null;
  volumes: string[];
  writeRate?: string;
  runStrategy?: string;
  fstrim?: 'none' | { every: string; first: string };
}

export interface FixtureOptions {
  harvesterVersion?: string;
  nodes?: number;
  diskSize?: string;
  diskWriteRate?: string;
  diskKind?: 'nvme' | 'ssd' | 'hdd';
  nic?: string;
  storageNetwork?: string | null;
  zones?: boolean;
  vms?: FixtureVm[];
  volumes?: FixtureVolume[];
  settings?: Partial<LonghornSettings>;
  options?: LonghornModelOptions;
}

export function fixtureScenario(f: FixtureOptions = {}): Scenario {
  const count = f.nodes ?? 3;
  const nodes = Array.from({ length: count }, (_, i) => ({
    name: `n${i + 1}`,
    role: i < 3 ? 'management' : 'worker',
    cpu: 32,
    memory: '256Gi',
    nic: f.nic ?? '10Gbps',
    disks: [
      {
        name: 'data',
        size: f.diskSize ?? '2Ti',
        kind: f.diskKind ?? 'nvme',
        writeRate: f.diskWriteRate ?? '2GB/s',
      },
    ],
    ip: { mode: 'static', address: `10.0.0.${11 + i}` },
    ...(f.zones ? { zone: `zone-${i + 1}` } : {}),
  }));
  const volumes = f.volumes ?? [{ name: 'vol-1', size: '100Gi', used: '40Gi' }];
  const vms = f.vms ?? [{ name: 'vm-1', node: 'n1', volumes: ['vol-1'], writeRate: '1MB/s' }];
  return scenarioFromData({
    name: 'longhorn-fixture',
    description: 'test fixture',
    harvesterVersion: f.harvesterVersion ?? '1.4.2',
    vip: { address: '10.0.0.10' },
    networks: {
      management: { bandwidth: '10Gbps' },
      ...(f.storageNetwork === null || f.storageNetwork === undefined
        ? {}
        : { storage: { cidr: '10.20.0.0/24', bandwidth: f.storageNetwork } }),
    },
    nodes,
    vms: vms.map((vm) => ({
      namespace: 'default',
      name: vm.name,
      cpu: 2,
      memory: '4Gi',
      volumes: vm.volumes,
      ...(vm.node === null ? {} : { node: vm.node }),
      ...(vm.runStrategy === undefined ? {} : { runStrategy: vm.runStrategy }),
      guest: { writeRate: vm.writeRate ?? '0B/s', fstrim: vm.fstrim ?? 'none' },
    })),
    volumes: volumes.map((v) => ({
      namespace: 'default',
      name: v.name,
      size: v.size,
      used: v.used,
      ...(v.replicas === undefined ? {} : { replicas: v.replicas }),
      ...(v.dataLocality === undefined ? {} : { dataLocality: v.dataLocality }),
      ...(v.externalDriver === undefined
        ? {}
        : {
            provisioner: 'external',
            driver: v.externalDriver,
            storageClass: 'ceph-rbd',
            accessMode: 'ReadWriteOnce',
          }),
    })),
    rancher: { importedIntoRancherManager: false },
  });
}

export function fixture(f: FixtureOptions = {}) {
  const scenario = fixtureScenario(f);
  const sim = new Simulation({ seed: 1 });
  const sink = sim.trace.addSink(new MemorySink());
  const fabric = new Fabric(sim, scenario);
  const settings = { ...scenario.settings.longhorn, ...(f.settings ?? {}) };
  const model = new LonghornModel({ sim, fabric, scenario, settings, options: f.options });
  /** Runs `fn` at simulated time `atSeconds` (a harness process, as the world would). */
  const at = (atSeconds: number, fn: () => void) => {
    sim.process(
      (function* (): Generator<Event<any>, void, any> {
        yield sim.timeout(atSeconds - sim.now);
        fn();
      })(),
      `harness@${atSeconds}`,
    );
  };
  const records = (kind?: string) =>
    sink.records.filter(
      (r) => r.subsystem === 'longhorn' && (kind === undefined || r.kind === kind),
    ) as TraceRecord<string, any>[];
  return { scenario, sim, sink, fabric, model, at, records };
}

export const vm1 = { namespace: 'default', name: 'vm-1' } as const;
export const GiB = 1024 ** 3;
