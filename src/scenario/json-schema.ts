/**
 * The scenario format as JSON Schema, for editors. Regenerate with
 * `npx tsx src/scenario/json-schema.ts > scenarios/scenario.schema.json && npx biome format --write scenarios`;
 * a test keeps it current.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { scenarioDocumentSchema } from './schema.ts';

export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioDocumentSchema, { io: 'input', unrepresentable: 'any' }),
    patternProperties: { '^x-': { description: 'ignored: a place for YAML anchors' } },
    $id: 'https://github.com/harvester-sim/harvester-sim/scenarios/scenario.schema.json',
    title: 'harvester-sim scenario',
    description: 'A Harvester cluster for harvester-sim. Reference: docs/scenario-format.md',
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
}
