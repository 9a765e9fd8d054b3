/**
 * `sweep export-job`: a Kubernetes Indexed Job that runs the sweep's shards on the user's cluster with
 * the published package. Pod i runs `harvester-sim sweep … --shard i/n` (the index from
 * JOB_COMPLETION_INDEX, which the Job controller sets in Indexed mode) on the scenario and plan from
 * a ConfigMap, and writes its shard file to stdout (collect with `kubectl logs`) or to a PVC.
 */
import { stringify } from 'yaml';
import type { SweepSpec } from './spec.ts';
import { specDigest } from './spec.ts';

export interface JobOptions {
  readonly shards: number;
  /** Pods at once; default every shard. */
  readonly parallelism?: number;
  readonly name?: string;
  readonly namespace?: string;
  /** Container image with Node ≥ 20 and npm. */
  readonly image?: string;
  /** What `npx` runs, e.g. `harvester-sim@0.1.0`. */
  readonly packageSpec: string;
  /** A PersistentVolumeClaim (ReadWriteMany) to write shard files to; without it, stdout. */
  readonly pvc?: string;
  /** The sweep's own options after the scenario (`--evacuate busiest --grid … --runs 3`), as on the command line. */
  readonly sweepArgs: readonly string[];
}

export const DEFAULT_JOB_IMAGE = 'node:20-bookworm-slim';
export const INPUT_DIR = '/sweep';
export const RESULTS_DIR = '/results';

/** The shard file a pod writes on the PVC. */
export function shardFileName(index: string | number, count: number): string {
  return `shard-${index}-of-${count}.json`;
}

/** The manifest: a ConfigMap with the inputs, then the Job; YAML, two documents. */
export function jobManifest(spec: SweepSpec, options: JobOptions): string {
  const { shards } = options;
  if (!Number.isSafeInteger(shards) || shards < 1)
    throw new Error(`--shards: expected a whole number ≥ 1, found ${shards}`);
  const name = options.name ?? `harvester-sim-sweep-${specDigest(spec)}`;
  const namespace = options.namespace ?? 'default';
  const labels = { 'app.kubernetes.io/name': 'harvester-sim', 'app.kubernetes.io/component': 'sweep' };
  const data: Record<string, string> = { [spec.scenario.fileName]: spec.scenario.text };
  if (spec.workload.kind === 'plan') data[spec.workload.fileName] = spec.workload.text;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-input`, namespace, labels },
    data,
  };
  const output =
    options.pvc === undefined
      ? []
      : ['--output', `${RESULTS_DIR}/${shardFileName('$(JOB_COMPLETION_INDEX)', shards)}`];
  const volumes: object[] = [{ name: 'input', configMap: { name: `${name}-input` } }];
  const mounts: object[] = [{ name: 'input', mountPath: INPUT_DIR, readOnly: true }];
  if (options.pvc !== undefined) {
    volumes.push({ name: 'results', persistentVolumeClaim: { claimName: options.pvc } });
    mounts.push({ name: 'results', mountPath: RESULTS_DIR });
  }
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, labels },
    spec: {
      completionMode: 'Indexed',
      completions: shards,
      parallelism: Math.min(options.parallelism ?? shards, shards),
      backoffLimit: shards,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'shard',
              image: options.image ?? DEFAULT_JOB_IMAGE,
              workingDir: INPUT_DIR,
              command: ['npx', '--yes', options.packageSpec],
              args: [
                'sweep',
                spec.scenario.fileName,
                ...options.sweepArgs,
                '--shard',
                `$(JOB_COMPLETION_INDEX)/${shards}`,
                ...output,
              ],
              env: [
                // Set by the Job controller in Indexed mode; declared so that $(…) in args expands.
                {
                  name: 'JOB_COMPLETION_INDEX',
                  valueFrom: {
                    fieldRef: {
                      fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
                    },
                  },
                },
                { name: 'npm_config_cache', value: '/tmp/npm-cache' },
                { name: 'npm_config_update_notifier', value: 'false' },
                // kubectl logs mixes stderr into stdout: keep npm and Node quiet so the log is the shard file.
                { name: 'npm_config_loglevel', value: 'silent' },
                { name: 'NODE_NO_WARNINGS', value: '1' },
              ],
              resources: { requests: { cpu: '1', memory: '1Gi' } },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
  const collect =
    options.pvc === undefined
      ? [
          `# Collect: for i in $(seq 0 ${shards - 1}); do kubectl -n ${namespace} logs -l job-name=${name},batch.kubernetes.io/job-completion-index=$i --tail=-1 > ${shardFileName('$i', shards)}; done`,
        ]
      : [
          `# Collect: copy ${RESULTS_DIR}/shard-*-of-${shards}.json from PVC ${options.pvc} (e.g. kubectl cp from a pod mounting it)`,
        ];
  const header = [
    `# harvester-sim sweep ${specDigest(spec)} as a Kubernetes Indexed Job: ${shards} shard(s).`,
    `# Run: kubectl apply -f this file; wait: kubectl -n ${namespace} wait --for=condition=complete job/${name} --timeout=24h`,
    ...collect,
    `# Merge: harvester-sim sweep merge shard-*-of-${shards}.json`,
  ];
  return `${header.join('\n')}\n${stringify(configMap, { lineWidth: 0, aliasDuplicateObjects: false })}---\n${stringify(job, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
