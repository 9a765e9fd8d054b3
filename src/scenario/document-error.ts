/**
 * Errors in scenario and plan documents. Each issue names the file, the line when known, the path
 * inside the document, what was expected and what was found, on one line.
 */

export type DocumentPath = readonly (string | number)[];

export interface DocumentIssue {
  readonly fileName: string;
  /** 1-based; null when the position is unknown (e.g. a document built in code). */
  readonly line: number | null;
  readonly column: number | null;
  readonly path: DocumentPath;
  readonly expected: string;
  readonly found: string;
}

/** The one error class the scenario and plan loaders throw. `issues` has at least one entry. */
export class DocumentError extends Error {
  constructor(
    readonly kind: 'scenario' | 'plan',
    readonly issues: readonly DocumentIssue[],
  ) {
    super(formatIssues(issues));
    this.name = 'DocumentError';
  }
}

/** At most this many issues are printed; the rest are counted ("and 7034 more"). */
export const MAX_PRINTED_ISSUES = 20;

/** One line per issue, the first MAX_PRINTED_ISSUES of them, then how many more there were. */
export function formatIssues(issues: readonly DocumentIssue[]): string {
  const lines = issues.slice(0, MAX_PRINTED_ISSUES).map(formatIssue);
  const more = issues.length - MAX_PRINTED_ISSUES;
  if (more > 0) lines.push(`and ${more} more`);
  return lines.join('\n');
}

/** `file.yaml:12:5: nodes[2].role: expected one of "management", "worker", "witness", found "master"` */
export function formatIssue(issue: DocumentIssue): string {
  const position = issue.line === null ? '' : `:${issue.line}:${issue.column ?? 1}`;
  return `${issue.fileName}${position}: ${formatPath(issue.path)}: expected ${issue.expected}, found ${issue.found}`;
}

/** `nodes[2].role`, `vms[0].labels["app.kubernetes.io/name"]`; the root is `(document)`. */
export function formatPath(path: DocumentPath): string {
  if (path.length === 0) return '(document)';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** How a found value reads in a message: `"12XB"`, `42`, `a mapping`, `nothing`. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value instanceof Date) return `a date (${value.toISOString()}); quote it to make it a string`;
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** The value at `path` in plain data, or undefined. */
export function valueAt(data: unknown, path: DocumentPath): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (typeof segment !== 'number') return undefined;
      current = current[segment];
    } else {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[String(segment)];
    }
  }
  return current;
}
