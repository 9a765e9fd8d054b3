import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = new URL('../../src/cli/harvester-sim.js', import.meta.url).pathname;
const root = new URL('../../', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync('node', [cli, ...args], { encoding: 'utf8', cwd: root });

// Each case starts the CLI (tsx compiles on start): seconds on a loaded 2-core machine.
const CLI_TIMEOUT_MS = 60_000;

describe('harvester-sim check: exit 2 on a problem, 0 on none, 1 on bad input', {
  timeout: CLI_TIMEOUT_MS,
}, () => {
  it('exits 2 on a contrast plan and names the step and the KB sentence', () => {
    const result = run('check', 'scenarios/seed-witness.yaml', 'scenarios/plans/wrong-restart-order.yaml');
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/step 10-node\.power-on {2}\[restart\.order\] powers on harv43 first/);
    expect(result.stdout).toContain('source: Power on the last shutdown node first.');
  });

  it('exits 0 on the KB plan with etcdctl move-leader; --json lists no problems and the quorum per step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-'));
    const plan = join(dir, 'kb-etcdctl.yaml');
    writeFileSync(
      plan,
      readFileSync(join(root, 'scenarios/plans/kb-shutdown-restart.yaml'), 'utf8').replace(
        'method: delete-pod',
        'method: etcdctl',
      ),
    );
    const result = run('check', 'scenarios/seed-witness.yaml', plan, '--json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.problems).toEqual([]);
    expect(report.steps).toHaveLength(21);
  });

  it('exits 1 with one line when a file is missing', () => {
    const result = run('check', 'scenarios/seed-witness.yaml', 'no-such-plan.yaml');
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
