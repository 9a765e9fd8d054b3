/**
 * The bad-input corpus: documents mutated from the minimal scenario and plan, each with the one line
 * the loader must answer with (file, line:column, path, expected, found). Most come from issue 11's
 * 3,300 mutated documents: the inputs that hung, crashed, blew up memory or answered badly.
 */
import { minimalPlanYaml } from '../plan-format/minimal-plan.ts';
import { minimalScenarioYaml } from '../scenario/minimal-scenario.ts';

export interface BadInput {
  /** What the mutation is, and why it is here. */
  readonly name: string;
  readonly kind: 'scenario' | 'plan';
  readonly text: string;
  /** Every line of the error, in order. */
  readonly lines: readonly string[];
}

function mutate(base: string, from: string, to: string): string {
  if (!base.includes(from)) throw new Error(`corpus: the base document has no ${JSON.stringify(from)}`);
  return base.replace(from, to);
}

const scenario = (from: string, to: string) => mutate(minimalScenarioYaml, from, to);
const plan = (from: string, to: string) => mutate(minimalPlanYaml, from, to);

export const corpus: readonly BadInput[] = [
  {
    name: 'node cpu "+5Gi": a quantity of 5.4e9 cores (looped per core before the bound)',
    kind: 'scenario',
    text: scenario('    cpu: 8\n', '    cpu: "+5Gi"\n'),
    lines: ['bad.yaml:8:10: nodes[0].cpu: expected from 1m to 4096 cores, found "+5Gi"'],
  },
  {
    name: 'node cpu 2^53',
    kind: 'scenario',
    text: scenario('    cpu: 8\n', '    cpu: 9007199254740992\n'),
    lines: ['bad.yaml:8:10: nodes[0].cpu: expected from 1m to 4096 cores, found 9007199254740992'],
  },
  {
    name: 'memory "1e400": Infinity in floating point (printed null in metrics before)',
    kind: 'scenario',
    text: scenario('    memory: 32Gi\n', '    memory: "1e400"\n'),
    lines: [
      'bad.yaml:9:13: nodes[0].memory: expected a Kubernetes quantity such as "64Mi", "1.5Gi", "10G" or "500m", found "1e400" (too large: not a finite number)',
    ],
  },
  {
    name: 'VM memory above 64Ti',
    kind: 'scenario',
    text: scenario('    memory: 4Gi\n', '    memory: 65Ti\n'),
    lines: ['bad.yaml:28:13: vms[0].memory: expected at most 64Ti, found "65Ti"'],
  },
  {
    name: 'fstrim every 1ns (was "negative or invalid delay: NaN"; the union message leaked "expected Invalid input")',
    kind: 'scenario',
    text: scenario('    memory: 4Gi\n', '    memory: 4Gi\n    guest: { fstrim: { every: 1ns } }\n'),
    lines: ['bad.yaml:29:31: vms[0].guest.fstrim.every: expected from 1m to 366 days, found "1ns"'],
  },
  {
    name: 'fstrim of the wrong type names both forms, not "Invalid input"',
    kind: 'scenario',
    text: scenario('    memory: 4Gi\n', '    memory: 4Gi\n    guest: { fstrim: 5 }\n'),
    lines: ['bad.yaml:29:22: vms[0].guest.fstrim: expected "none" or a mapping, found 5'],
  },
  {
    name: 'a node name both too long and badly formed is reported once',
    kind: 'scenario',
    text: scenario('  - name: node-1\n', `  - name: NODE-${'x'.repeat(70)}\n`),
    lines: [
      'bad.yaml:6:11: nodes[0].name: expected at most 63 characters, found "NODE-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."',
    ],
  },
  {
    name: 'an unknown YAML tag (was read as a string)',
    kind: 'scenario',
    text: scenario('    memory: 32Gi\n', '    memory: !gigabytes 32\n'),
    lines: ['bad.yaml:9:13: (document): expected valid YAML, found Unresolved tag: !gigabytes'],
  },
  {
    name: 'a YAML 1.1 type tag (!!binary); located at the tagged value',
    kind: 'scenario',
    text: scenario('name: minimal\n', 'name: !!binary bWluaW1hbA==\n'),
    lines: [
      'bad.yaml:1:16: (document): expected plain YAML values (tags other than !!str, !!int, !!float, !!bool, !!null, !!map, !!seq are not read), found the tag !!binary',
    ],
  },
  {
    name: '%YAML 9.9 (was accepted silently)',
    kind: 'scenario',
    text: `%YAML 9.9\n---\n${minimalScenarioYaml}`,
    lines: ['bad.yaml:1:7: (document): expected valid YAML, found Unsupported YAML version 9.9'],
  },
  {
    name: 'sleep of years (ran 23-58 s and up to 2.6 GB before failing)',
    kind: 'plan',
    text: plan('    duration: 3m\n', '    duration: 26280h\n'),
    lines: ['bad.yaml:17:15: steps[4].duration: expected at most 7 days (168h), found "26280h"'],
  },
  {
    name: 'offline of years',
    kind: 'plan',
    text: plan('  - step: sleep\n    duration: 3m\n', '  - step: offline\n    duration: 26280h\n'),
    lines: ['bad.yaml:17:15: steps[4].duration: expected at most 400 days (9600h), found "26280h"'],
  },
  {
    name: 'poll: 1ns (ran to the event limit)',
    kind: 'plan',
    text: plan('    timeout: 15m\n', '    timeout: 15m\n    poll: 1ns\n'),
    lines: ['bad.yaml:16:11: steps[3].poll: expected from 100ms to 7 days (168h), found "1ns"'],
  },
  {
    name: 'timeout: 1e-320 (a subnormal: ran to the event limit)',
    kind: 'plan',
    text: plan('    timeout: 15m\n', '    timeout: 1e-320\n'),
    lines: ['bad.yaml:15:14: steps[3].timeout: expected from 100ms to 7 days (168h), found 1e-320'],
  },
];
