/**
 * `startup`: whole processes, as a user starts them: `--help`, the default `evaluate` (seed-witness,
 * the knowledge-base plan) and one `migrate`, each from the built package (dist/, plain Node) and from
 * the sources (src/cli/harvester-sim.js, tsx), beside `node -e 0` measured in the same run. Wall time
 * and the child's CPU time (user + system, from /usr/bin/time when present); best and median of
 * `runs`. Build first: `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StartupOptions {
  readonly runs: number;
  /** Only the built CLI (no tsx runs): the tsx start-up takes seconds a run on a loaded machine. */
  readonly builtOnly?: boolean;
  /** The built executable to time; default dist/cli/harvester-sim.js (another build, for before/after). */
  readonly cli?: string;
}

interface Timing {
  readonly command: string;
  readonly ok: boolean;
  readonly bestSeconds: number;
  readonly medianSeconds: number;
  readonly worstSeconds: number;
  readonly bestCpuSeconds: number | null;
  readonly medianCpuSeconds: number | null;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const timeBinary = '/usr/bin/time';

const commands: Record<string, readonly string[]> = {
  help: ['--help'],
  evaluate: ['evaluate'],
  migrate: ['migrate', '--memory', '4Gi', '--dirty-rate', '20MiB/s'],
};

export function startupBenchmark(options: StartupOptions): object {
  const built = options.cli === undefined ? join(root, 'dist/cli/harvester-sim.js') : resolve(options.cli);
  const sources = join(root, 'src/cli/harvester-sim.js');
  const results: Timing[] = [measure('node -e 0', ['-e', '0'], options.runs)];
  for (const [name, args] of Object.entries(commands)) {
    if (existsSync(built)) results.push(measure(`dist ${name}`, [built, ...args], options.runs));
    if (!options.builtOnly) results.push(measure(`tsx ${name}`, [sources, ...args], options.runs));
  }
  return {
    benchmark: 'startup',
    runs: options.runs,
    built: existsSync(built) ? built : false,
    cpuTimes: existsSync(timeBinary),
    results,
  };
}

function measure(command: string, args: readonly string[], runs: number): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  let ok = true;
  const dir = mkdtempSync(join(tmpdir(), 'startup-'));
  const cpuFile = join(dir, 'cpu');
  try {
    for (let i = 0; i < runs; i++) {
      const timed = existsSync(timeBinary);
      const started = performance.now();
      const result = timed
        ? spawnSync(timeBinary, ['-o', cpuFile, '-f', '%U %S', process.execPath, ...args], {
            cwd: root,
            encoding: 'utf8',
          })
        : spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
      wall.push((performance.now() - started) / 1000);
      ok &&= result.status === 0;
      if (timed) {
        const [user, system] = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1)?.split(' ') ?? [];
        cpu.push(Number(user) + Number(system));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    command,
    ok,
    bestSeconds: round(Math.min(...wall)),
    medianSeconds: round(median(wall)),
    worstSeconds: round(Math.max(...wall)),
    bestCpuSeconds: cpu.length > 0 ? round(Math.min(...cpu)) : null,
    medianCpuSeconds: cpu.length > 0 ? round(median(cpu)) : null,
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
