/**
 * `harvester-sim calibrate <journal>`: folds figures observed by an executed replay into the
 * scenario it ran on. The scenario schema has no calibration section, so each figure goes into the
 * field it calibrates, with a comment at the top of the document saying where it came from:
 * - boot times: from the power-on the replay sent (`nodes/node.power` to `booting`) to the node's
 *   next `node.ready` True, per node, in cluster seconds; one observation becomes a fixed duration,
 *   several a uniform range (`nodes[].boot`);
 * - live-migration bandwidth: per migration, the mean of the memory transfer rates KubeVirt reported
 *   while bytes moved (`kubevirt.migration/progress`, from `kubevirt_vmi_migration_memory_transfer_rate_bytes`);
 *   the largest of these means (other traffic on the path only lowers a rate) becomes the bandwidth
 *   of the network migrations cross (`networks.migration` when the scenario has one, else
 *   `networks.management`). Not folded when the scenario caps `bandwidthPerMigration`: the cap, not
 *   the network, set the rate then;
 * - the guests' dirty rates: per VM, the largest dirty-memory rate reported during its migration
 *   (`vms[].guest.dirtyRate`);
 * - Longhorn rebuild rates: per completed full rebuild (`longhorn/rebuild.completed`, kind full:
 *   the adapter writes these from the Engine CRs, rebuild-observer.ts), bytes sent / seconds; the
 *   largest (other traffic only lowers a rate) becomes the throughput of one rebuild stream,
 *   `calibration.longhornRebuildStream`. The observed seconds include the rebuild's setup (snapshot,
 *   adding the replica), which the model adds on top of the stream, so the folded stream is slower
 *   than the true one by setup / duration (5 s of a 350 s rebuild: 1.4 %). Rebuilds into reused
 *   replicas are reported only: what they send is not published.
 */
import { type Document, parseDocument, type YAMLMap } from 'yaml';
import { select, type Trace } from '../trace/record.ts';

export interface CalibrationFigures {
  /** Node → observed power-on → Ready seconds. */
  readonly bootSeconds: ReadonlyMap<string, readonly number[]>;
  /** Migration (VM key) → mean memory transfer rate while bytes moved. */
  readonly migrationBytesPerSecond: ReadonlyMap<string, number>;
  /** VM key → largest observed dirty rate. */
  readonly dirtyRateBytesPerSecond: ReadonlyMap<string, number>;
  /** Rebuild rates (bytes sent / seconds) of completed rebuilds in the trace. */
  readonly rebuildBytesPerSecond: readonly number[];
  /** The same, of full rebuilds only (the ones folded). */
  readonly fullRebuildBytesPerSecond: readonly number[];
  readonly notObserved: readonly string[];
}

export function observedFigures(trace: Trace): CalibrationFigures {
  const boots = new Map<string, number[]>();
  const poweredOn = new Map<string, number>();
  const events = [
    ...select(trace, 'nodes', 'node.power').map((r) => ({
      t: r.timeSeconds,
      node: r.data.node,
      on: r.data.to === 'booting',
    })),
    ...select(trace, 'nodes', 'node.ready').map((r) => ({
      t: r.timeSeconds,
      node: r.data.node,
      on: false,
      ready: r.data.status === 'True',
    })),
  ].sort((a, b) => a.t - b.t);
  for (const e of events) {
    if (e.on) poweredOn.set(e.node, e.t);
    else if ('ready' in e && e.ready && poweredOn.has(e.node)) {
      const list = boots.get(e.node) ?? [];
      list.push(e.t - (poweredOn.get(e.node) as number));
      boots.set(e.node, list);
      poweredOn.delete(e.node);
    }
  }
  const rates = new Map<string, number[]>();
  const dirty = new Map<string, number>();
  for (const r of select(trace, 'kubevirt.migration', 'progress')) {
    const { migration, transferRateBytesPerSecond, dirtyRateBytesPerSecond } = r.data;
    if (transferRateBytesPerSecond > 0)
      rates.set(migration, [...(rates.get(migration) ?? []), transferRateBytesPerSecond]);
    dirty.set(migration, Math.max(dirty.get(migration) ?? 0, dirtyRateBytesPerSecond));
  }
  const migrations = new Map(
    [...rates].map(([m, list]) => [m, list.reduce((a, b) => a + b, 0) / list.length]),
  );
  const completed = select(trace, 'longhorn', 'rebuild.completed').filter((r) => r.data.seconds > 0);
  const rebuilds = completed.map((r) => r.data.bytesSent / r.data.seconds);
  const fullRebuilds = completed
    .filter((r) => r.data.kind === 'full')
    .map((r) => r.data.bytesSent / r.data.seconds);
  const notObserved: string[] = [];
  if (boots.size === 0) notObserved.push('boot times: no power-on followed by Ready in the observed trace');
  if (migrations.size === 0)
    notObserved.push(
      'migration bandwidth: no kubevirt_vmi_migration_* samples with bytes moving (no migration, or the cluster does not expose virt-handler metrics)',
    );
  if (fullRebuilds.length === 0)
    notObserved.push(
      'Longhorn rebuild rates: no completed rebuild into a new replica in the observed trace (longhorn/rebuild.completed, kind full)',
    );
  return {
    bootSeconds: boots,
    migrationBytesPerSecond: migrations,
    dirtyRateBytesPerSecond: dirty,
    rebuildBytesPerSecond: rebuilds,
    fullRebuildBytesPerSecond: fullRebuilds,
    notObserved,
  };
}

type Items = { items: YAMLMap[] };
const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB/s`;
/** A bandwidth as the scenario format reads a YAML number: whole bytes per second. */
const bytesPerSecond = (b: number) => Math.round(b);

/** The scenario YAML with the observed figures folded into the fields they calibrate. */
export function calibrateScenario(scenarioYaml: string, figures: CalibrationFigures, source: string): string {
  const doc = parseDocument(scenarioYaml);
  const nodes = doc.get('nodes') as Items | undefined;
  for (const node of nodes?.items ?? []) {
    const observed = figures.bootSeconds.get(String(node.get('name')));
    if (observed === undefined || observed.length === 0) continue;
    const min = Math.min(...observed);
    const max = Math.max(...observed);
    const round = (s: number) => `${Math.round(s)}s`;
    node.set(
      'boot',
      min === max || observed.length === 1
        ? { distribution: 'fixed', value: round(min) }
        : { distribution: 'uniform', min: round(min), max: round(max) },
    );
  }
  const lines = [
    `Calibrated by harvester-sim calibrate from ${source}:`,
    ...[...figures.bootSeconds].map(
      ([node, s]) =>
        `  ${node}: power-on to Ready ${s.map((x) => `${Math.round(x)} s`).join(', ')} (nodes[].boot)`,
    ),
    ...foldMigrations(doc, figures),
    ...foldRebuilds(doc, figures),
    ...figures.notObserved.map((n) => `  not observed: ${n}`),
  ];
  doc.commentBefore = [doc.commentBefore ?? '', ...lines.map((l) => ` ${l}`)]
    .filter((l) => l !== '')
    .join('\n');
  return doc.toString();
}

/** Folds the migration figures; returns the comment lines saying what went where. */
function foldMigrations(doc: Document, figures: CalibrationFigures): string[] {
  const lines: string[] = [];
  for (const [vm, rate] of figures.migrationBytesPerSecond)
    lines.push(`  migration of ${vm}: ${mib(rate)} mean memory transfer rate`);
  if (figures.migrationBytesPerSecond.size > 0) {
    const cap = doc.getIn(['settings', 'kubevirt', 'migrations', 'bandwidthPerMigration']);
    const capped = cap !== undefined && cap !== 0 && cap !== '0' && cap !== '0Mi';
    const best = Math.max(...figures.migrationBytesPerSecond.values());
    if (capped)
      lines.push(
        `  not folded: bandwidthPerMigration ${String(cap)} caps migrations, so the network was not the limit`,
      );
    else {
      const network = doc.hasIn(['networks', 'migration']) ? 'migration' : 'management';
      doc.setIn(['networks', network, 'bandwidth'], bytesPerSecond(best));
      lines.push(`  networks.${network}.bandwidth = ${mib(best)} (the largest migration mean)`);
    }
  }
  const vms = doc.get('vms') as Items | undefined;
  for (const [key, rate] of figures.dirtyRateBytesPerSecond) {
    const vm = vms?.items.find((v) => `${v.get('namespace') ?? 'default'}/${v.get('name')}` === key);
    if (vm === undefined || rate <= 0) continue;
    doc.setIn(['vms', vms?.items.indexOf(vm), 'guest', 'dirtyRate'], bytesPerSecond(rate));
    lines.push(`  ${key}: dirty rate ${mib(rate)} observed during migration (vms[].guest.dirtyRate)`);
  }
  return lines;
}

/** Folds the largest full-rebuild rate into `calibration.longhornRebuildStream`; returns the comment lines. */
function foldRebuilds(doc: Document, figures: CalibrationFigures): string[] {
  const lines = figures.rebuildBytesPerSecond.map((b) => `  rebuild: ${mib(b)} observed`);
  if (figures.fullRebuildBytesPerSecond.length === 0) return lines;
  const best = Math.max(...figures.fullRebuildBytesPerSecond);
  doc.setIn(['calibration', 'longhornRebuildStream'], bytesPerSecond(best));
  lines.push(`  calibration.longhornRebuildStream = ${mib(best)} (the largest full rebuild)`);
  return lines;
}
