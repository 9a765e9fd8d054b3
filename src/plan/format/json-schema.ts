/**
 * The plan format as JSON Schema, for editors. Regenerate with
 * `npx tsx src/plan/format/json-schema.ts > scenarios/plan.schema.json && npx biome format --write scenarios`;
 * a test keeps it current.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { planDocumentSchema } from './schema.ts';

export function planJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(planDocumentSchema, { io: 'input', unrepresentable: 'any' }),
    patternProperties: { '^x-': { description: 'ignored: a place for YAML anchors' } },
    $id: 'https://github.com/harvester-sim/harvester-sim/scenarios/plan.schema.json',
    title: 'harvester-sim plan',
    description: 'An ordered list of operator steps for harvester-sim. Reference: docs/scenario-format.md',
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(planJsonSchema(), null, 2)}\n`);
}
