/**
 * Golden transcripts (etcd raft's testdata/*.txt, regenerated with its `-rewrite` flag): a transcript
 * is compared with its file, which only `REWRITE=1` writes. A missing file fails like a differing one,
 * so a golden never comes into being, or changes, without someone running the rewrite and reviewing
 * the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `golden`: the transcript file's absolute path. */
export function expectGolden(golden: string, transcript: string): void {
  const shown = relative(REPOSITORY_ROOT, golden);
  const testPath = expect.getState().testPath;
  const rewrite = `REWRITE=1 npx vitest run ${testPath === undefined ? '' : relative(REPOSITORY_ROOT, testPath)}`;
  if (process.env.REWRITE === '1') {
    mkdirSync(dirname(golden), { recursive: true });
    writeFileSync(golden, transcript);
  } else if (!existsSync(golden)) {
    throw new Error(`${shown}: golden transcript missing; write it with \`${rewrite}\` and review it`);
  }
  expect(transcript, `${shown} differs; if the change is meant, \`${rewrite}\` and review the diff`).toBe(
    readFileSync(golden, 'utf8'),
  );
}
