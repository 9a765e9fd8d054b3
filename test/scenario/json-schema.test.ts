import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planJsonSchema } from '../../src/plan/format/json-schema.ts';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.ts';

describe('committed JSON Schemas', () => {
  it('scenarios/scenario.schema.json is up to date (npx tsx src/scenario/json-schema.ts > scenarios/scenario.schema.json)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });

  it('scenarios/plan.schema.json is up to date (npx tsx src/plan/format/json-schema.ts > scenarios/plan.schema.json)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../scenarios/plan.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(planJsonSchema())));
  });
});
