/** Entry points: read a plan from YAML text or a file into a typed Plan. */
import { DocumentError, type DocumentIssue } from '../../scenario/document-error.ts';
import { readDocumentFile } from '../../scenario/load.ts';
import {
  locationsOf,
  plainSource,
  readYaml,
  withoutExtensionKeys,
  type YamlSource,
} from '../../scenario/yaml-source.ts';
import { issuesFromZod } from '../../scenario/zod-issues.ts';
import { normalizePlan } from './normalize.ts';
import { planDocumentSchema } from './schema.ts';
import type { Plan } from './types.ts';

/** Parses plan YAML. Throws DocumentError (and nothing else) naming `fileName`, path and line. */
export function parsePlan(text: string, fileName: string): Plan {
  const read = readYaml(text, fileName);
  if ('issues' in read) throw new DocumentError('plan', read.issues);
  return validatePlan(read.source);
}

/** Reads and parses a plan file. */
export function loadPlan(path: string): Plan {
  return parsePlan(readDocumentFile(path, 'plan'), path);
}

/** Validates a plan given as plain data; errors carry paths but no lines. */
export function planFromData(data: unknown, fileName = '(data)'): Plan {
  return validatePlan(plainSource(data, fileName));
}

function validatePlan(source: YamlSource): Plan {
  const parsed = planDocumentSchema.safeParse(withoutExtensionKeys(source.data));
  if (!parsed.success)
    throw new DocumentError('plan', issuesFromZod(parsed.error.issues, source, planDocumentSchema));
  const issues: DocumentIssue[] = [];
  const plan = normalizePlan(parsed.data, source.fileName, (path, expected, found) =>
    issues.push(source.issue(path, expected, found)),
  );
  if (issues.length > 0) throw new DocumentError('plan', issues);
  return { ...plan, locations: locationsOf(source) };
}
