/** What a command writes to stdout and stderr during one test, captured instead of printed. */
import { afterEach, beforeEach, vi } from 'vitest';

export interface CapturedOutput {
  out: string;
  err: string;
}

/** Registers hooks that capture process.stdout and process.stderr around each test of the file. */
export function captureOutput(): CapturedOutput {
  const captured: CapturedOutput = { out: '', err: '' };
  const into = (key: keyof CapturedOutput) => (chunk: unknown) => {
    captured[key] += String(chunk);
    return true;
  };
  beforeEach(() => {
    captured.out = '';
    captured.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(into('out'));
    vi.spyOn(process.stderr, 'write').mockImplementation(into('err'));
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
