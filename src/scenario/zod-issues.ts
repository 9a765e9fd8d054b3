/** Turns zod issues into document issues: expected phrased for people, found read from the document. */
import type { z } from 'zod';
import { type DocumentIssue, type DocumentPath, describeFound, valueAt } from './document-error.ts';
import type { YamlSource } from './yaml-source.ts';

type ZodIssue = z.core.$ZodIssue;

/** Zod issue params carrying our own phrasing (from unit parsing and semantic refinements). */
export interface ExpectedParams {
  readonly expected: string;
  readonly found?: string;
}

export function issuesFromZod(
  issues: readonly ZodIssue[],
  source: YamlSource,
  schema: z.ZodType,
): DocumentIssue[] {
  const result: DocumentIssue[] = [];
  // One issue per value: a name too long and badly formed is reported once, by its first rule.
  const reported = new Set<string>();
  for (const issue of withUnionBranches(issues)) {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (issue.code !== 'unrecognized_keys') {
      const key = JSON.stringify(path);
      if (reported.has(key)) continue;
      reported.add(key);
    }
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, source.data, path);
      for (const key of issue.keys) {
        const expected = known.length > 0 ? `one of the fields ${known.join(', ')}` : 'no field of this name';
        result.push(source.issue([...path, key], expected, `unknown field ${JSON.stringify(key)}`, true));
      }
      continue;
    }
    const found = valueAt(source.data, path);
    const { expected, foundText } = phrase(issue, found);
    result.push(source.issue(path, expected, foundText));
  }
  return result;
}

/**
 * A union without its own message ("Invalid input") is replaced by the issues of the branch the value
 * came closest to: the one whose issues are all inside the value (it matched the shape and failed on a
 * field, e.g. `fstrim: { every: 1ns }`), with their paths under the union's.
 */
function withUnionBranches(issues: readonly ZodIssue[]): ZodIssue[] {
  const out: ZodIssue[] = [];
  for (const issue of issues) {
    const branches = issue.code === 'invalid_union' ? (issue as { errors?: ZodIssue[][] }).errors : undefined;
    const generic = issue.message === 'Invalid input' || issue.message.startsWith('Invalid input');
    const deep = branches?.find(
      (b) => b.length > 0 && b.every((i) => i.path.length > 0 || i.code === 'unrecognized_keys'),
    );
    if (!generic || branches === undefined) {
      out.push(issue);
    } else if (deep !== undefined) {
      out.push(
        ...withUnionBranches(deep.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as ZodIssue)),
      );
    } else {
      const expected = branches.map((b) => (b[0] === undefined ? null : phrase(b[0], undefined).expected));
      const named = expected.filter((e): e is string => e !== null && !e.startsWith('Invalid'));
      out.push({
        ...issue,
        code: 'custom',
        params: { expected: named.length > 0 ? named.join(' or ') : 'a valid value' },
      } as ZodIssue);
    }
  }
  return out;
}

function phrase(issue: ZodIssue, found: unknown): { expected: string; foundText: string } {
  const plain = describeFound(found);
  switch (issue.code) {
    case 'invalid_type':
      return { expected: typeName(issue.expected), foundText: plain };
    case 'invalid_value':
      return { expected: oneOf(issue.values), foundText: plain };
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options) && issue.options.length > 0) {
        return { expected: oneOf(issue.options as unknown[]), foundText: plain };
      }
      return { expected: issue.message, foundText: plain };
    case 'too_small':
      return { expected: bound('at least', issue.origin, issue.minimum, issue.inclusive), foundText: plain };
    case 'too_big':
      return { expected: bound('at most', issue.origin, issue.maximum, issue.inclusive), foundText: plain };
    case 'invalid_format':
      return { expected: issue.message, foundText: plain };
    case 'not_multiple_of':
      return { expected: `a multiple of ${String(issue.divisor)}`, foundText: plain };
    case 'custom': {
      const params = issue.params as ExpectedParams | undefined;
      if (params?.expected !== undefined)
        return { expected: params.expected, foundText: params.found ?? plain };
      return { expected: issue.message, foundText: plain };
    }
    default:
      return { expected: issue.message, foundText: plain };
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    default:
      return expected;
  }
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((value) => JSON.stringify(value));
  return shown.length === 1 ? shown[0] : `one of ${shown.join(', ')}`;
}

function bound(word: string, origin: string, limit: number | bigint, inclusive: boolean | undefined): string {
  const value = Number(limit);
  if (origin === 'array' || origin === 'set') return `${word} ${value} item${value === 1 ? '' : 's'}`;
  if (origin === 'string') return `${word} ${value} character${value === 1 ? '' : 's'}`;
  if (inclusive === false) return word === 'at least' ? `more than ${value}` : `less than ${value}`;
  return `${word} ${value}`;
}

/** The field names the schema allows at `path`, following the data through unions. */
function knownKeys(schema: z.ZodType, data: unknown, path: DocumentPath): string[] {
  let current: unknown = schema;
  for (let i = 0; i <= path.length; i += 1) {
    current = unwrap(current, valueAt(data, path.slice(0, i)));
    if (i === path.length) break;
    const def = defOf(current);
    const segment = path[i];
    if (def?.type === 'object') current = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def?.type === 'array') current = def.element;
    else if (def?.type === 'record') current = def.valueType;
    else return [];
    if (current === undefined) return [];
  }
  const def = defOf(current);
  return def?.type === 'object' ? Object.keys(def.shape as Record<string, unknown>) : [];
}

interface LooseDef {
  type: string;
  [key: string]: unknown;
}

function defOf(schema: unknown): LooseDef | undefined {
  return (schema as { _zod?: { def?: LooseDef } } | undefined)?._zod?.def;
}

/** Steps through optional/default/pipe wrappers and picks the union member matching the data. */
function unwrap(schema: unknown, value: unknown): unknown {
  let current = schema;
  for (let guard = 0; guard < 32; guard += 1) {
    const def = defOf(current);
    if (def === undefined) return current;
    if (
      def.type === 'optional' ||
      def.type === 'nullable' ||
      def.type === 'default' ||
      def.type === 'prefault'
    ) {
      current = def.innerType;
    } else if (def.type === 'pipe') {
      current = def.in;
    } else if (def.type === 'lazy') {
      current = (def.getter as () => unknown)();
    } else if (def.type === 'union') {
      const options = def.options as unknown[];
      const discriminator = def.discriminator as string | undefined;
      const wanted =
        discriminator !== undefined && value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[discriminator]
          : undefined;
      const match = options.find((option) => {
        const shape = defOf(option)?.shape as Record<string, unknown> | undefined;
        const literal = discriminator === undefined ? undefined : defOf(shape?.[discriminator]);
        return literal !== undefined && (literal.values as unknown[] | undefined)?.includes(wanted);
      });
      current = match ?? options.find((option) => defOf(option)?.type === 'object') ?? options[0];
    } else {
      return current;
    }
  }
  return current;
}
