/**
 * The metrics a comparison sets side by side, each read from one run's evaluation (trace-derived
 * numbers only), with its unit for people.
 */
import type { Evaluation } from '../evaluate/evaluate.ts';

export type MetricUnit = 'seconds' | 'bytes' | 'count';

export interface ComparedMetric {
  readonly key: MetricKey;
  readonly label: string;
  readonly unit: MetricUnit;
  read(evaluation: Evaluation): number;
}

export const METRIC_KEYS = [
  'durationSeconds',
  'apiUnavailableSeconds',
  'quorumLostSeconds',
  'vmsForceRestarted',
  'bytesRebuilt',
  'dataAtRiskBytes',
  'migrationsAborted',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export const COMPARED_METRICS: readonly ComparedMetric[] = [
  { key: 'durationSeconds', label: 'duration', unit: 'seconds', read: (e) => e.metrics.durationSeconds },
  {
    key: 'apiUnavailableSeconds',
    label: 'API unavailable',
    unit: 'seconds',
    read: (e) => e.metrics.apiUnavailableSeconds,
  },
  {
    key: 'quorumLostSeconds',
    label: 'etcd quorum lost',
    unit: 'seconds',
    read: (e) => e.metrics.quorumLostIntervals.reduce((sum, i) => sum + i.endSeconds - i.startSeconds, 0),
  },
  {
    key: 'vmsForceRestarted',
    label: 'VMs force-restarted',
    unit: 'count',
    read: (e) => e.metrics.vmsForceRestarted,
  },
  { key: 'bytesRebuilt', label: 'bytes rebuilt', unit: 'bytes', read: (e) => e.metrics.storage.bytesRebuilt },
  {
    key: 'dataAtRiskBytes',
    label: 'data at risk',
    unit: 'bytes',
    read: (e) => e.metrics.storage.dataAtRiskBytes,
  },
  {
    key: 'migrationsAborted',
    label: 'migrations aborted',
    unit: 'count',
    read: (e) => e.metrics.migration.aborted,
  },
];

export type MetricValues = Readonly<Record<MetricKey, number>>;

export function metricValues(evaluation: Evaluation): MetricValues {
  return Object.fromEntries(COMPARED_METRICS.map((m) => [m.key, m.read(evaluation)])) as MetricValues;
}
