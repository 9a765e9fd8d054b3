import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseGrid } from '../../src/sweep/grid.ts';
import { jobManifest } from '../../src/sweep/job-manifest.ts';
import { sweepSpec } from '../../src/sweep/spec.ts';
import { kubeconfigFor, startFakeApiServer } from './fake-api-server.ts';

/** The repository root: paths below resolve from this file, not the working directory. */
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const spec = sweepSpec({
  scenario: {
    fileName: 'evacuation-40vm.yaml',
    text: readFileSync(`${REPO}scenarios/evacuation-40vm.yaml`, 'utf8'),
  },
  workload: { kind: 'evacuate', node: 'busiest' },
  axes: parseGrid('bandwidthPerMigration=0,1Gi'),
  runs: 3,
});
const manifest = (pvc?: string) =>
  jobManifest(spec, {
    shards: 4,
    parallelism: 2,
    packageSpec: 'harvester-sim@0.1.0',
    pvc,
    sweepArgs: ['--evacuate', 'busiest', '--grid', 'bandwidthPerMigration=0,1Gi', '--runs', '3'],
  });

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const hasKubectl = kubectl.status === 0;

/** `kubectl apply --dry-run=client --validate=false -f file` against a fake API server (discovery only). */
async function dryRun(text: string): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'job-'));
  const server = await startFakeApiServer();
  writeFileSync(join(dir, 'kubeconfig'), kubeconfigFor(server.url));
  writeFileSync(join(dir, 'job.yaml'), text);
  try {
    return await new Promise((resolve) =>
      execFile(
        'kubectl',
        [
          'apply',
          '--dry-run=client',
          '--validate=false',
          '-f',
          join(dir, 'job.yaml'),
          '--kubeconfig',
          join(dir, 'kubeconfig'),
        ],
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : Number(error.code ?? 1), output: stdout + stderr }),
      ),
    );
  } finally {
    await server.close();
  }
}

describe('sweep export-job', () => {
  it('is an Indexed Job: completions = shards, parallelism, the shard from JOB_COMPLETION_INDEX, the inputs in a ConfigMap', () => {
    const [configMap, job] = parseAllDocuments(manifest()).map((d) => d.toJS());
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.data['evacuation-40vm.yaml']).toBe(spec.scenario.text);
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 2 });
    const [container] = job.spec.template.spec.containers;
    expect(container.command).toEqual(['npx', '--yes', 'harvester-sim@0.1.0']);
    expect(container.args.slice(0, 2)).toEqual(['sweep', 'evacuation-40vm.yaml']);
    expect(container.args.slice(-2)).toEqual(['--shard', '$(JOB_COMPLETION_INDEX)/4']);
    expect(container.env[0].name).toBe('JOB_COMPLETION_INDEX');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('with --pvc writes each shard file to the claim', () => {
    const [, job] = parseAllDocuments(manifest('sweep-results')).map((d) => d.toJS());
    const pod = job.spec.template.spec;
    expect(pod.volumes[1]).toEqual({
      name: 'results',
      persistentVolumeClaim: { claimName: 'sweep-results' },
    });
    expect(pod.containers[0].args.slice(-2)).toEqual([
      '--output',
      '/results/shard-$(JOB_COMPLETION_INDEX)-of-4.json',
    ]);
  });

  it.skipIf(!hasKubectl)(
    'passes kubectl apply --dry-run=client --validate=false (skipped when kubectl is not installed)',
    async () => {
      const result = await dryRun(manifest());
      expect(result.output).toMatch(/job\.batch\/harvester-sim-sweep-[0-9a-f]{12} created \(dry run\)/);
      expect(result.code).toBe(0);
      // The check can fail: a kind the server does not serve is refused.
      expect((await dryRun(manifest().replace('kind: Job', 'kind: Jobb'))).code).not.toBe(0);
    },
    60_000,
  );
  if (!hasKubectl)
    it('kubectl dry-run skipped: kubectl is not on PATH (install kubernetes-client to run it)', () => {});
});
