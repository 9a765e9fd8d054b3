/**
 * Renders docs/trace.md from the record types in src/trace/ (their source text and doc comments),
 * so the document the real-cluster adapter is written against cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import type { Subsystem } from '../../src/trace/record.ts';

const traceDir = new URL('../../src/trace/', import.meta.url);

/** Where each subsystem's records are declared: file and interface names. */
const SOURCES: Record<Subsystem, { file: string; interfaces: string[] }> = {
  run: { file: 'run.ts', interfaces: ['RunRecordData'] },
  plan: { file: 'plan.ts', interfaces: ['PlanRecordData'] },
  nodes: { file: 'nodes.ts', interfaces: ['NodeRecordData'] },
  etcd: { file: 'etcd.ts', interfaces: ['EtcdRecordData'] },
  kube: { file: 'kube.ts', interfaces: ['KubeRecordData'] },
  rancher: { file: 'rancher.ts', interfaces: ['RancherRecordData'] },
  kubevirt: { file: 'kubevirt.ts', interfaces: ['VmRecordData', 'KubevirtControllerRecordData'] },
  'kubevirt.migration': { file: 'migration.ts', interfaces: ['MigrationRunRecordData'] },
  longhorn: { file: 'longhorn.ts', interfaces: ['LonghornRecordData'] },
  guest: { file: 'longhorn.ts', interfaces: ['GuestRecordData'] },
};

export interface DocumentedKind {
  readonly kind: string;
  readonly comment: string;
  readonly type: string;
}

/** The body between the braces that open at `from`. */
function braced(text: string, from: number): string {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces after offset ${from}`);
}

function cleanComment(raw: string): string {
  return raw
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trim())
    .filter((line) => line !== '')
    .join(' ');
}

/** The kinds an interface declares, each with its doc comment and its data type as written. */
export function kindsOf(file: string, iface: string): DocumentedKind[] {
  const text = readFileSync(new URL(file, traceDir), 'utf8');
  const at = text.indexOf(`export interface ${iface} `);
  if (at < 0) throw new Error(`src/trace/${file}: no interface ${iface}`);
  const body = braced(text, at);
  const kinds: DocumentedKind[] = [];
  const member = /^ {2}(\/\*\*[\s\S]*?\*\/\n {2})?('([^']+)'|([A-Za-z]+)): /gm;
  for (let m = member.exec(body); m !== null; m = member.exec(body)) {
    let depth = 0;
    let end = m.index + m[0].length;
    for (; end < body.length; end++) {
      const c = body[end];
      if (c === '{' || c === '(' || c === '[') depth++;
      else if (c === '}' || c === ')' || c === ']') depth--;
      else if (c === ';' && depth === 0) break;
    }
    const type = body
      .slice(m.index + m[0].length, end)
      .split('\n')
      .map((line) => line.replace(/^ {2}/, ''))
      .join('\n');
    kinds.push({ kind: m[3] ?? m[4], comment: m[1] === undefined ? '' : cleanComment(m[1].trim()), type });
    member.lastIndex = end;
  }
  return kinds;
}

/** `export type X = ...;` declarations of a trace file: the value types records use. */
function valueTypes(file: string): string[] {
  const text = readFileSync(new URL(file, traceDir), 'utf8');
  return [...text.matchAll(/^export type (\w+) =[\s\S]*?;$/gm)].map((m) => m[0]);
}

export function renderTraceDoc(): string {
  const out: string[] = [
    '# The trace contract',
    '',
    '<!-- Generated from src/trace/*.ts by test/trace/trace-doc.ts; `REWRITE=1 npx vitest run test/trace` rewrites it. -->',
    '',
    'A run is a list of records `{ timeSeconds, subsystem, kind, data }` in time order: what the models',
    'write while a plan runs, and what the real-cluster adapter will write for an observed run.',
    'Evaluation (`evaluate(trace)`, `harvester-sim report trace.jsonl`) reads nothing else. The types are',
    '`TraceRecordMap` in `src/trace/record.ts`; models write through a `Recorder`, readers use `select`.',
    '',
    '- **Time.** `timeSeconds` is trace time: simulated seconds since the world started (an observed',
    '  trace may use any origin). Evaluation rebases every time to plan time, seconds from `run.start`,',
    '  in one place (`src/evaluate/run-summary.ts`), together with the data fields that hold trace times:',
    '  `longhorn/volume.data-at-risk` `fromSeconds` and `toSeconds`, `longhorn/replenish.waiting`',
    '  `untilSeconds`, and `run/run.end` `endSeconds`. Every other `...Seconds` field is a duration.',
    '- **Units** are the last word of a field name: `Seconds`, `Ms`, `Bytes`, `BytesPerSecond`,',
    '  `Millicores`, `Percent`, `PerMinute`; counts are plain numbers.',
    '- **Names.** Nodes by name; VMs and volumes `namespace/name`; etcd members by node name.',
    '- **A trace file** has one record per line as canonical JSON (keys sorted), as `evaluate --trace`',
    '  writes it. `report` refuses a line whose subsystem and kind are not listed below.',
    '- **Required records.** `run/run.start` (what evaluation needs of the cluster) first; `plan/plan.end`',
    '  says whether the plan completed; `run/run.end` closes the traced part.',
    '',
  ];
  for (const [subsystem, source] of Object.entries(SOURCES)) {
    out.push(`## \`${subsystem}\``, '', `Declared in \`src/trace/${source.file}\`.`, '');
    for (const iface of source.interfaces) {
      for (const k of kindsOf(source.file, iface)) {
        out.push(`### \`${subsystem}\` / \`${k.kind}\``, '');
        if (k.comment !== '') out.push(k.comment, '');
        out.push('```ts', k.type, '```', '');
      }
    }
  }
  out.push('## Value types', '');
  const files = [...new Set(Object.values(SOURCES).map((s) => s.file))];
  for (const file of files) {
    const types = valueTypes(file);
    if (types.length === 0) continue;
    out.push(`From \`src/trace/${file}\`:`, '', '```ts', ...types, '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
