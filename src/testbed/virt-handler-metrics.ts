/**
 * virt-handler's `/metrics` on the testbed: the live-migration gauges KubeVirt exports from the
 * source domain's migration job (`kubevirt/kubevirt:pkg/monitoring/metrics/virt-handler/domainstats/
 * migration_metrics.go`), in the Prometheus text format, for the VMIs migrating away from the node.
 * Values come from the simulated migration (src/kubevirt/migration/migration-run.ts). As upstream,
 * `kubevirt_vmi_migration_dirty_memory_rate_bytes` carries libvirt's `memory_dirty_rate`, which
 * libvirt counts in pages per second despite the name; each series is labelled `node`, `namespace`
 * and `name` (the VMI).
 */
import type { World } from '../world/world.ts';

/** The gauges served, with upstream's help texts. */
export const MIGRATION_GAUGES = [
  [
    'kubevirt_vmi_migration_data_remaining_bytes',
    'The remaining guest OS data to be migrated to the new VM.',
  ],
  [
    'kubevirt_vmi_migration_data_processed_bytes',
    'The total Guest OS data processed and migrated to the new VM.',
  ],
  ['kubevirt_vmi_migration_dirty_memory_rate_bytes', 'The rate of memory being dirty in the Guest OS.'],
  ['kubevirt_vmi_migration_memory_transfer_rate_bytes', 'The rate at which the memory is being transferred.'],
] as const;

const label = (value: string) =>
  value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/** The exposition virt-handler on `node` serves now. */
export function virtHandlerMetrics(world: World, node: string): string {
  const series: { name: string; labels: string; value: number }[] = [];
  for (const vm of world.fleet.all()) {
    const progress = world.migrations.progress(vm.spec);
    if (progress === null || progress.source !== node) continue;
    const labels = `node="${label(node)}",namespace="${label(vm.spec.namespace)}",name="${label(vm.spec.name)}"`;
    const values = [
      progress.dataRemainingBytes,
      progress.dataProcessedBytes,
      progress.dirtyPagesPerSecond,
      progress.memoryBytesPerSecond,
    ];
    MIGRATION_GAUGES.forEach(([name], i) => {
      series.push({ name, labels, value: Math.round(values[i]) });
    });
  }
  const lines: string[] = [];
  for (const [name, help] of MIGRATION_GAUGES) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const s of series) if (s.name === name) lines.push(`${name}{${s.labels}} ${s.value}`);
  }
  return `${lines.join('\n')}\n`;
}
