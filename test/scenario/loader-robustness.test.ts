import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DocumentError } from '../../src/scenario/document-error.ts';
import { parseScenario, scenarioFromData } from '../../src/scenario/load.ts';
import { assertProperty } from '../fast-check-seed.ts';
import { minimalScenarioYaml } from './minimal-scenario.ts';

/** Runs `load`; anything thrown must be the loader's DocumentError with at least one issue. */
function onlyDocumentErrors(load: () => unknown): void {
  try {
    load();
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    // One line per issue; past MAX_PRINTED_ISSUES the rest are counted on a last line ("and 3 more").
    for (const line of error.message.split('\n'))
      expect(line).toMatch(/: expected .+, found |^and \d+ more$/);
  }
}

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value)
    ? value.flatMap((item, i) => pathsOf(item, [...prefix, i]))
    : Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]));
  return [prefix, ...children];
}

function setAt(root: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  parent[path[path.length - 1]] = replacement;
  return copy;
}

const base = parse(minimalScenarioYaml) as unknown;
const basePaths = pathsOf(base);

describe('the scenario loader never fails with anything but DocumentError', () => {
  it('on arbitrary text', () => {
    assertProperty(
      fc.property(fc.string({ maxLength: 300 }), (text) =>
        onlyDocumentErrors(() => parseScenario(text, 'fuzz.yaml')),
      ),
      { numRuns: 300 },
    );
  });

  it('on arbitrary values as data and as YAML', () => {
    assertProperty(
      fc.property(fc.anything({ maxDepth: 3 }), (value) => {
        onlyDocumentErrors(() => scenarioFromData(value, 'fuzz'));
      }),
      { numRuns: 300 },
    );
    assertProperty(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        onlyDocumentErrors(() => parseScenario(stringify(value), 'fuzz.yaml'));
      }),
      { numRuns: 300 },
    );
  });

  it('on a valid scenario with one value replaced anywhere', () => {
    assertProperty(
      fc.property(
        fc.constantFrom(...basePaths),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom('12XB', '-1', '1h30m', 'witness', '', '@etcd-leader'),
        ),
        (path, replacement) => {
          const document = setAt(base, path, replacement);
          onlyDocumentErrors(() => scenarioFromData(document, 'fuzz'));
          onlyDocumentErrors(() => parseScenario(stringify(document), 'fuzz.yaml'));
        },
      ),
      { numRuns: 500 },
    );
  });
});
