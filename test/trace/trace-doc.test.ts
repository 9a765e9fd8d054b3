import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRACE_KINDS } from '../../src/trace/catalogue.ts';
import { renderTraceDoc } from './trace-doc.ts';

const docPath = new URL('../../docs/trace.md', import.meta.url);

describe('docs/trace.md', () => {
  const rendered = renderTraceDoc();

  it('lists every record kind of the contract, once', () => {
    for (const [subsystem, kinds] of Object.entries(TRACE_KINDS)) {
      for (const kind of Object.keys(kinds)) {
        const heading = `### \`${subsystem}\` / \`${kind}\`\n`;
        expect(rendered.split(heading).length - 1, heading).toBe(1);
      }
    }
    const headings = rendered.match(/^### /gm) ?? [];
    const total = Object.values(TRACE_KINDS).reduce((n, kinds) => n + Object.keys(kinds).length, 0);
    expect(headings.length).toBe(total);
  });

  it('is up to date with src/trace (REWRITE=1 rewrites it)', () => {
    if (process.env.REWRITE === '1') writeFileSync(docPath, rendered);
    expect(existsSync(docPath), 'docs/trace.md is missing: run REWRITE=1 npx vitest run test/trace').toBe(
      true,
    );
    expect(readFileSync(docPath, 'utf8')).toBe(rendered);
  });
});
