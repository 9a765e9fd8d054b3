import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Who may import whom (STYLE.md "Who may import whom"; docs/architecture.md). A part is a top-level
// folder of src/ (or sim/ itself); an import of another part must be in the part's allowed list.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const MODELS = ['nodes', 'etcd', 'kube', 'rancher', 'addons', 'longhorn', 'guest', 'kubevirt', 'harvester'];
const MODEL_DEPS = ['sim', 'profiles', 'trace', 'cluster', 'scenario', 'units', ...MODELS];

const ALLOWED: Record<string, readonly string[]> = {
  sim: [],
  trace: ['sim'],
  profiles: ['trace', 'units'],
  units: [],
  cluster: ['sim', 'scenario', 'trace'],
  scenario: ['profiles', 'trace', 'units', 'sim'],
  ...Object.fromEntries(MODELS.map((m) => [m, MODEL_DEPS])),
  world: ['sim', 'profiles', 'trace', 'cluster', 'scenario', 'units', ...MODELS],
  plan: ['sim', 'profiles', 'trace', 'cluster', 'scenario', 'units', 'world', ...MODELS],
  evaluate: ['trace'],
  // The testbed serves the simulated world as a Kubernetes API: it drives the world and the models.
  testbed: ['sim', 'profiles', 'trace', 'cluster', 'scenario', 'units', 'world', ...MODELS],
  // The real-cluster adapter sees a cluster only through its API: plans, scenarios, traces, evaluation.
  // ...and runs the `check` rules (static, on the plan and the scenario) as preflight gates.
  adapter: ['plan', 'scenario', 'trace', 'evaluate', 'check'],
  report: ['evaluate', 'trace', 'compare'],
  simulate: ['sim', 'scenario', 'plan', 'evaluate', 'trace'],
  sweep: ['sim', 'scenario', 'plan', 'simulate', 'evaluate', 'trace', 'profiles'],
  testing: ['sim', 'scenario', 'plan', 'simulate', 'evaluate', 'trace', 'profiles'],
  compare: ['simulate', 'plan', 'scenario', 'evaluate', 'trace', 'sim'],
  check: ['scenario', 'plan', 'evaluate', 'profiles', 'trace', 'units'],
  search: ['sim', 'scenario', 'plan', 'evaluate', 'simulate', 'check', 'profiles', 'trace', 'units'],
  cli: [
    'adapter',
    'testbed',
    'sim',
    'profiles',
    'trace',
    'scenario',
    'units',
    'plan',
    'evaluate',
    'report',
    'simulate',
    'kubevirt',
    'sweep',
    'check',
    'search',
    'compare',
  ],
  'index.ts': ['*'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function partOf(path: string): string | null {
  const rel = relative(root, path).split('/');
  if (rel[0] === 'sim') return 'sim';
  if (rel[0] !== 'src') return null;
  return rel[1];
}

const violations: string[] = [];
const seenParts = new Set<string>();
for (const file of [...files(join(root, 'sim')), ...files(join(root, 'src'))]) {
  const from = partOf(file) as string;
  seenParts.add(from);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)[^'"]*?from '(\.[^']+)'/gm)) {
    const to = partOf(resolve(dirname(file), m[1]));
    if (to === null || to === from) continue;
    const allowed = ALLOWED[from];
    if (allowed === undefined || !(allowed.includes(to) || allowed.includes('*')))
      violations.push(`${relative(root, file)} (${from}) imports ${m[1]} (${to})`);
  }
}

describe('who may import whom', () => {
  it('every part of src/ has a rule', () => {
    expect([...seenParts].filter((p) => ALLOWED[p] === undefined)).toEqual([]);
  });

  it('no import crosses a rule (the kernel knows nothing of clusters; evaluation reads only the trace)', () => {
    expect(violations).toEqual([]);
  });
});
