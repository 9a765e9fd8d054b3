/** Entry points: read a scenario from YAML text or a file into a typed, normalized Scenario. */
import { readFileSync, statSync } from 'node:fs';
import { knownHarvesterVersions, profileFor, UnknownHarvesterVersionError } from '../profiles/profile.ts';
import type { VersionProfile } from '../profiles/types.ts';
import { DocumentError } from './document-error.ts';
import { normalizeScenario } from './normalize.ts';
import { scenarioDocumentSchema } from './schema.ts';
import { checkScenarioDocument } from './semantic-checks.ts';
import type { Scenario } from './types.ts';
import {
  MAX_DOCUMENT_BYTES,
  plainSource,
  readYaml,
  withoutExtensionKeys,
  type YamlSource,
} from './yaml-source.ts';
import { issuesFromZod } from './zod-issues.ts';

/** Parses scenario YAML. Throws DocumentError (and nothing else) naming `fileName`, path and line. */
export function parseScenario(text: string, fileName: string): Scenario {
  const read = readYaml(text, fileName);
  if ('issues' in read) throw new DocumentError('scenario', read.issues);
  return validateScenario(read.source);
}

/** Reads and parses a scenario file. A file that cannot be read is a DocumentError too. */
export function loadScenario(path: string): Scenario {
  return parseScenario(readDocumentFile(path, 'scenario'), path);
}

/** Validates a scenario given as plain data (e.g. built in code); errors carry paths but no lines. */
export function scenarioFromData(data: unknown, fileName = '(data)'): Scenario {
  return validateScenario(plainSource(data, fileName));
}

function validateScenario(source: YamlSource): Scenario {
  const parsed = scenarioDocumentSchema.safeParse(withoutExtensionKeys(source.data));
  if (!parsed.success) {
    throw new DocumentError('scenario', issuesFromZod(parsed.error.issues, source, scenarioDocumentSchema));
  }
  const document = parsed.data;
  let profile: VersionProfile;
  try {
    profile = profileFor(document.harvesterVersion);
  } catch (error) {
    if (!(error instanceof UnknownHarvesterVersionError)) throw error;
    throw new DocumentError('scenario', [
      source.issue(
        ['harvesterVersion'],
        `a known Harvester version (${knownHarvesterVersions().join(', ')})`,
      ),
    ]);
  }
  const checked = checkScenarioDocument(document, source, profile);
  if (checked.issues.length > 0) throw new DocumentError('scenario', checked.issues);
  return normalizeScenario(document, profile, source.fileName, checked.warnings);
}

export function readDocumentFile(path: string, kind: 'scenario' | 'plan'): string {
  let sizeBytes: number | null = null;
  try {
    // Checked before reading: a 50 MB file is refused without holding it (readYaml checks text too).
    sizeBytes = statSync(path).size;
    if (sizeBytes <= MAX_DOCUMENT_BYTES) return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new DocumentError(kind, [
      {
        fileName: path,
        line: null,
        column: null,
        path: [],
        expected: `a readable ${kind} file`,
        found: reason,
      },
    ]);
  }
  throw new DocumentError(kind, [
    {
      fileName: path,
      line: null,
      column: null,
      path: [],
      expected: `a ${kind} file of at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`,
      found: `${(sizeBytes / 1024 / 1024).toFixed(1)} MiB`,
    },
  ]);
}
