/**
 * STYLE.md, "Defaults are data": each subsystem has one typed defaults table, each entry with its
 * upstream source; "a magic number in model code is a bug waiting for the next release". This test
 * reads the model folders and fails on a numeric literal outside a defaults table: it skips
 * `defaults.ts` and `<topic>-defaults.ts` files, and src/profiles/ is not among the folders.
 *
 * Not counted:
 * - 0, 1 and 2 (so also -1, halves and doubles);
 * - unit conversions, as an operand of `*` or `/`: 60, 3600, 86400 and 24 (time), 1000 (milli),
 *   1024 (binary), 100 (percent), 8 (bits per byte), 1e3 / 1e6 / 1e9 / 1e12 (SI prefixes), and the
 *   exponent of `2 ** 10|20|30|40` (Ki, Mi, Gi, Ti);
 * - a literal alone in an index (`parts[3]`);
 * - anything in a comment, a string, template text or a regular expression.
 * A literal that is none of these and still belongs in the code goes in `allowed`, with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const modelFolders = [
  'nodes',
  'etcd',
  'kube',
  'rancher',
  'addons',
  'longhorn',
  'guest',
  'kubevirt',
  'harvester',
];
const isDefaultsTable = (fileName: string) => /^(.+-)?defaults\.ts$/.test(fileName);

/**
 * Literals that are not defaults, each `file` and a substring of its line → why. Keep it short:
 * an entry that no longer matches a literal fails the last test.
 */
const allowed: readonly { readonly file: string; readonly line: string; readonly why: string }[] = [
  {
    file: 'src/longhorn/scheduling.ts',
    line: '(policy.nodeSoftAntiAffinity ? 3 : 2) : 1',
    why: 'how many relaxation stages the scheduler tries (zone, node, disk): a count of code paths, not a setting',
  },
  {
    file: 'src/longhorn/writes.ts',
    line: 'const MEMO_MIN_INTERVALS = 64;',
    why: 'when a lazy write replay is worth remembering (a speed trade-off of the ledger; results are the same either way)',
  },
];

const unitConversions = new Set([24, 60, 100, 1000, 1024, 3600, 86400, 8, 1e3, 1e6, 1e9, 1e12]);
const binaryExponents = new Set([10, 20, 30, 40]);
const notCounted = new Set([0, 1, 2]);

type Token =
  | { readonly kind: 'number'; readonly text: string; readonly line: number }
  | { readonly kind: 'word' | 'punct'; readonly text: string; readonly line: number };

/** Words after which `/` starts a regular expression rather than a division. */
const regexAfterWords = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
]);

/**
 * The code tokens of a TypeScript file: numbers, words and punctuation, without comments, strings,
 * template text (its `${...}` expressions are code) and regular expressions.
 */
function codeTokens(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  /** One entry per open `${`: the brace depth inside it. */
  const templates: number[] = [];
  const isIdent = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$]/.test(c);
  const skipTemplateText = () => {
    // i is just past the opening backquote or the `}` that closed an expression.
    while (i < source.length) {
      const c = source[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        i += 2;
        templates.push(0);
        return;
      } else {
        if (c === '\n') line++;
        i++;
      }
    }
  };
  const regexAllowed = () => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return true;
    if (last.kind === 'number') return false;
    if (last.kind === 'word') return regexAfterWords.has(last.text);
    return !/^[)\]}]$/.test(last.text);
  };
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      for (let k = i; k < stop; k++) if (source[k] === '\n') line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      i++;
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      i++;
      skipTemplateText();
    } else if (c === '/' && regexAllowed()) {
      i++;
      let inClass = false;
      while (i < source.length && (inClass || source[i] !== '/')) {
        if (source[i] === '\\') i++;
        else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        i++;
      }
      i++;
      while (isIdent(source[i])) i++;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      const start = i;
      if (c === '0' && /[xXbBoO]/.test(next ?? '')) {
        i += 2;
        while (/[0-9A-Fa-f_]/.test(source[i] ?? '')) i++;
      } else {
        while (/[0-9_.]/.test(source[i] ?? '')) i++;
        if (/[eE]/.test(source[i] ?? '')) {
          i++;
          if (/[+-]/.test(source[i] ?? '')) i++;
          while (/[0-9_]/.test(source[i] ?? '')) i++;
        }
      }
      if (source[i] === 'n') i++;
      tokens.push({ kind: 'number', text: source.slice(start, i), line });
    } else if (isIdent(c)) {
      const start = i;
      while (isIdent(source[i])) i++;
      tokens.push({ kind: 'word', text: source.slice(start, i), line });
    } else if (c === '{' && templates.length > 0) {
      templates[templates.length - 1]++;
      tokens.push({ kind: 'punct', text: c, line });
      i++;
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === 0) {
      templates.pop();
      i++;
      skipTemplateText();
    } else {
      if (c === '}' && templates.length > 0) templates[templates.length - 1]--;
      const three = source.slice(i, i + 3);
      const two = source.slice(i, i + 2);
      const text = ['**=', '...', '>>>', '===', '!=='].includes(three)
        ? three
        : ['**', '*=', '/=', '=>', '?.', '??', '&&', '||', '==', '!=', '<=', '>='].includes(two)
          ? two
          : c;
      tokens.push({ kind: 'punct', text, line });
      i += text.length;
    }
  }
  return tokens;
}

function numericValue(text: string): number {
  return Number(text.replace(/_/g, '').replace(/n$/, ''));
}

interface MagicNumber {
  readonly file: string;
  readonly line: number;
  readonly literal: string;
  readonly content: string;
}

/** Numeric literals of one file that this test counts (before the allowlist). */
function magicNumbers(file: string, source: string): MagicNumber[] {
  const lines = source.split('\n');
  const tokens = codeTokens(source);
  const found: MagicNumber[] = [];
  tokens.forEach((token, k) => {
    if (token.kind !== 'number') return;
    const value = numericValue(token.text);
    if (notCounted.has(value)) return;
    const before = tokens[k - 1];
    const after = tokens[k + 1];
    const isArith = (t: Token | undefined) => t !== undefined && ['*', '/', '*=', '/='].includes(t.text);
    if (unitConversions.has(value) && (isArith(before) || isArith(after))) return;
    const powerOfTwo = before?.text === '**' && tokens[k - 2]?.text === '2';
    if (binaryExponents.has(value) && powerOfTwo) return;
    const beforeBracket = tokens[k - 2];
    const indexes =
      before?.text === '[' &&
      after?.text === ']' &&
      beforeBracket !== undefined &&
      (beforeBracket.kind === 'word' || beforeBracket.text === ')' || beforeBracket.text === ']');
    if (indexes) return;
    found.push({ file, line: token.line, literal: token.text, content: lines[token.line - 1].trim() });
  });
  return found;
}

function modelFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a folder not written yet (src/harvester)
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !isDefaultsTable(entry.name)) files.push(path);
    }
  };
  for (const folder of modelFolders) walk(join(root, 'src', folder));
  return files.sort();
}

describe('no magic numbers in model code', () => {
  it('counts literals in code, not in comments, strings, template text or regular expressions', () => {
    const source = [
      '// 42 in a comment',
      "const a = '42'; /* 43 */ const r = /^v?(\\d+)\\.(44)/;",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source for the scanner
      'const t = `45 ${x * 46} ${`47 ${48}`}`;',
      'const s = ms / 1000, h = 3600 * x, m = Math.max(60, y), v = parts[3], l = [5, 6];',
      'const z = 0, o = -1, d = total / 2, q = 0x10, b = 1_000_000, p = (x * 100) / 50, g = 6 * 2 ** 30;',
    ].join('\n');
    expect(magicNumbers('example.ts', source).map((m) => `${m.line}:${m.literal}`)).toEqual([
      '3:46',
      '3:48',
      '4:60',
      '4:5',
      '4:6',
      '5:0x10',
      '5:1_000_000',
      '5:50',
      '5:6',
    ]);
  });

  const found = modelFiles().flatMap((path) => {
    const file = relative(root, path);
    return magicNumbers(file, readFileSync(path, 'utf8'));
  });
  const isAllowed = (m: MagicNumber) => allowed.some((a) => a.file === m.file && m.content.includes(a.line));

  it('finds a numeric literal in model code only in a defaults table or the allowlist', () => {
    const offenders = found
      .filter((m) => !isAllowed(m))
      .map((m) => `${m.file}:${m.line}: ${m.literal} in ${m.content}`);
    expect(
      offenders,
      'move these into the subsystem defaults table (with a source) or src/profiles/',
    ).toEqual([]);
  });

  it('keeps the allowlist short: every entry still matches a literal', () => {
    const stale = allowed.filter((a) => !found.some((m) => a.file === m.file && m.content.includes(a.line)));
    expect(stale).toEqual([]);
  });
});
