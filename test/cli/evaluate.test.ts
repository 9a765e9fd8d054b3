import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = new URL('../../src/cli/harvester-sim.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync('node', [cli, ...args], { encoding: 'utf8' });

describe('harvester-sim evaluate', () => {
  it('with no arguments evaluates the KB plan on seed-witness; --json has the documented keys', () => {
    const out = JSON.parse(execFileSync('node', [cli, 'evaluate', '--json'], { encoding: 'utf8' }));
    expect(out.scenario).toBe('seed-witness');
    expect(out.plan).toBe('kb-shutdown-restart');
    expect(out.seed).toBe(1234567);
    for (const key of [
      'durationSeconds',
      'apiUnavailableSeconds',
      'quorumLostIntervals',
      'vmsForceRestarted',
      'unschedulablePods',
    ]) {
      expect(out.metrics).toHaveProperty(key);
    }
    // The plan holds a 12 h offline step.
    expect(out.metrics.durationSeconds).toBeGreaterThan(12 * 3600);
    expect(Array.isArray(out.findings)).toBe(true);
    const kinds = new Set(out.timeline.map((r: { kind: string }) => r.kind));
    for (const kind of ['plan.start', 'step.end', 'node.power', 'quorum-lost', 'api.available', 'plan.end']) {
      expect(kinds).toContain(kind);
    }
  });

  it('prints a timeline, metrics and findings for people', () => {
    const result = run('evaluate', 'scenarios/seed-witness.yaml', 'scenarios/plans/nodes-only.yaml');
    // nodes-only has critical findings: exit 2 under the default --fail-on critical (issue 11).
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/^nodes-only on seed-witness/);
    expect(result.stdout).toMatch(/\nTimeline\n/);
    expect(result.stdout).toMatch(/\nMetrics\n/);
    // Findings grouped by kind: one line per kind with the count and the objects, the source once.
    expect(result.stdout).toMatch(/\n {2}\[critical\] vm\.running-at-power-off ×3 .*node\/harv2, vm\//);
    expect(result.stdout).toMatch(/\n {6}first: 1 VM\(s\) still running when harv2 was shut down — /);
    expect(result.stdout.match(/source: When the cluster is shutting down node by node/g)).toHaveLength(1);
    expect(result.stdout).toMatch(/source: When the cluster is shutting down node by node/);
  }, 60_000);

  it('fails with one clear line naming the file for a missing file or a bad document', () => {
    const missing = run('evaluate', 'nope.yaml');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/nope\.yaml/);

    const dir = mkdtempSync(join(tmpdir(), 'hsim-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'harvesterVersion: 1.3.0\nnodes:\n  - name: a\n    role: master\n');
    const result = run('evaluate', bad);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /bad\.yaml:4:11: nodes\[0\]\.role: expected one of "management", "worker", "witness", found "master"/,
    );
  });

  it('rejects an empty seed', () => {
    const result = run('evaluate', '--seed', ' ');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--seed: expected a number or a word/);
  });
});
