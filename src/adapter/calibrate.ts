/**
 * `harvester-sim calibrate <journal>`: folds figures observed by an executed replay into the
 * scenario it ran on. Boot times: from the power-on the replay sent (`nodes/node.power` to
 * `booting`) to the node's next `node.ready` True, per node, in cluster seconds; one observation
 * becomes a fixed duration, several a uniform range. Live-migration bandwidth and Longhorn
 * rebuild rates are folded only when the observed trace holds `kubevirt/migration.finished` or
 * `longhorn/rebuild.completed` records (the adapter does not write them yet; they are reported as
 * not observed). The scenario schema has no calibration section, so the figures go into the fields
 * they calibrate, with a comment saying where they came from.
 */
import { parseDocument } from 'yaml';
import { select, type Trace } from '../trace/record.ts';

export interface CalibrationFigures {
  /** Node → observed power-on → Ready seconds. */
  readonly bootSeconds: ReadonlyMap<string, readonly number[]>;
  readonly migrationBytesPerSecond: readonly number[];
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
  const migrations = select(trace, 'kubevirt', 'migration.finished')
    .filter((r) => r.data.seconds > 0)
    .map((r) => r.data.transferredBytes / r.data.seconds);
  const notObserved: string[] = [];
  if (boots.size === 0) notObserved.push('boot times: no power-on followed by Ready in the observed trace');
  if (migrations.length === 0)
    notObserved.push('migration bandwidth: no kubevirt/migration.finished records observed');
  notObserved.push('Longhorn rebuild rates: the adapter does not observe rebuilds yet');
  return { bootSeconds: boots, migrationBytesPerSecond: migrations, notObserved };
}

/** The scenario YAML with observed boot times folded into `nodes[].boot`. */
export function calibrateScenario(scenarioYaml: string, figures: CalibrationFigures, source: string): string {
  const doc = parseDocument(scenarioYaml);
  const nodes = doc.get('nodes') as
    | { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] }
    | undefined;
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
    ...figures.migrationBytesPerSecond.map(
      (b) => `  migration: ${(b / 1024 ** 2).toFixed(1)} MiB/s observed`,
    ),
    ...figures.notObserved.map((n) => `  not observed: ${n}`),
  ];
  doc.commentBefore = [doc.commentBefore ?? '', ...lines.map((l) => ` ${l}`)]
    .filter((l) => l !== '')
    .join('\n');
  return doc.toString();
}
