/** A YAML document read for validation: the plain data plus a way to find the line of any path. */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import {
  type DocumentIssue,
  type DocumentPath,
  describeFound,
  formatPath,
  valueAt,
} from './document-error.ts';

export interface YamlSource {
  readonly fileName: string;
  readonly data: unknown;
  /** 1-based line and column of the value at `path`, or of the deepest ancestor that exists. */
  locate(path: DocumentPath, atKey?: boolean): { line: number; column: number } | null;
  /** An issue at `path`, located in the file. */
  issue(path: DocumentPath, expected: string, found?: string, atKey?: boolean): DocumentIssue;
}

/** Anchors and aliases are allowed; an alias may be expanded at most this often (billion-laughs guard). */
const maxAliasCount = 10_000;

/**
 * The largest scenario or plan document read, in bytes (UTF-16 code units of the text): a 12-node
 * scenario with 200 VMs is about 40 KiB, so 4 MiB leaves a hundredfold margin while keeping the
 * parser's memory (about 80 bytes per source byte) well under 500 MB.
 */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/** Explicit tags a document may carry: YAML 1.2's core schema. Others (`!foo`, `!!binary`) are refused. */
const coreTags = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/** Parses YAML text. Syntax errors come back as issues (at least one), never as a throw. */
export function readYaml(
  text: string,
  fileName: string,
): { source: YamlSource } | { issues: DocumentIssue[] } {
  if (text.length > MAX_DOCUMENT_BYTES) {
    return {
      issues: [
        {
          fileName,
          line: null,
          column: null,
          path: [],
          expected: `a document of at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`,
          found: `${(text.length / 1024 / 1024).toFixed(1)} MiB`,
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // Warnings (an unknown directive such as `%YAML 9.9`, an unresolved tag) are refused like errors:
  // the document would otherwise be read differently from what its author meant.
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    return {
      issues: problems.map((error) => {
        const { line, column } = position(error.pos[0]);
        const firstLine = error.message.split('\n')[0];
        return { fileName, line, column, path: [], expected: 'valid YAML', found: firstLine };
      }),
    };
  }
  const tagIssues: DocumentIssue[] = [];
  visit(document, (_key, node) => {
    const tag = (node as { tag?: string } | null)?.tag;
    if (typeof tag === 'string' && !coreTags.has(tag)) {
      const at = (node as Node).range ? position((node as Node).range![0]) : { line: null, column: null };
      tagIssues.push({
        ...at,
        fileName,
        path: [],
        expected:
          'plain YAML values (tags other than !!str, !!int, !!float, !!bool, !!null, !!map, !!seq are not read)',
        found: `the tag ${tag.replace('tag:yaml.org,2002:', '!!')}`,
      });
    }
  });
  if (tagIssues.length > 0) return { issues: tagIssues };
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      issues: [{ fileName, line: null, column: null, path: [], expected: 'valid YAML', found: message }],
    };
  }
  const locate = (path: DocumentPath, atKey = false) => {
    let node: unknown = document.contents;
    let best: unknown = node;
    for (let i = 0; i < path.length; i += 1) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) break;
        node = last && atKey ? pair.key : pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        break;
      }
      if (node === null || node === undefined) break;
      best = node;
    }
    const range = (best as Node | null)?.range;
    return range ? position(range[0]) : null;
  };
  const source: YamlSource = {
    fileName,
    data,
    locate,
    issue(path, expected, found, atKey = false) {
      const at = locate(path, atKey);
      return {
        fileName,
        line: at?.line ?? null,
        column: at?.column ?? null,
        path,
        expected,
        found: found ?? describeFound(valueAt(data, path)),
      };
    },
  };
  return { source };
}

/** A source for data that did not come from YAML text (built in code or by a generator): no lines. */
export function plainSource(data: unknown, fileName: string): YamlSource {
  return {
    fileName,
    data,
    locate: () => null,
    issue(path, expected, found) {
      return {
        fileName,
        line: null,
        column: null,
        path,
        expected,
        found: found ?? describeFound(valueAt(data, path)),
      };
    },
  };
}

/** Line and column of every value in the document, keyed by its printed path; for checks done later. */
export function locationsOf(source: YamlSource): Record<string, { line: number; column: number }> {
  const locations: Record<string, { line: number; column: number }> = {};
  const visit = (value: unknown, path: (string | number)[], depth: number) => {
    const at = source.locate(path);
    if (at !== null) locations[formatPath(path)] = at;
    if (depth > 12 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) visit(value[i], [...path, i], depth + 1);
    } else for (const [key, item] of Object.entries(value)) visit(item, [...path, key], depth + 1);
  };
  visit(source.data, [], 0);
  return locations;
}

/**
 * Top-level keys starting with "x-" hold YAML anchors for reuse (as in Compose files) and are not part
 * of the document; they are dropped before validation.
 */
export function withoutExtensionKeys(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('x-')));
}
