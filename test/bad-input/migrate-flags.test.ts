/**
 * The `migrate` flag corpus (issue 11: 300 random option sets): each bad value ends in one line
 * naming its option, and --no-monitor works through the parser, as typed.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureOutput } from '../cli/captured-output.ts';

const output = captureOutput();

const migrate = (...words: string[]) => main(['node', 'harvester-sim', 'migrate', ...words]);

const corpus: readonly [words: string[], line: string][] = [
  [
    ['--memory', 'lots'],
    '--memory: expected a Kubernetes quantity such as "64Mi", "1.5Gi", "10G" or "500m", found "lots" (no leading number)',
  ],
  [
    ['--memory', '1e400'],
    '--memory: expected a Kubernetes quantity such as "64Mi", "1.5Gi", "10G" or "500m", found "1e400" (too large: not a finite number)',
  ],
  // Was "invalid flow size NaN" after a simulated day.
  [['--memory', '65Ti'], '--memory: expected at most 64Ti, found "65Ti"'],
  [['--memory', '0'], '--memory: expected a size above 0, found "0"'],
  [['--memory', '1Gi', '--disk', '2Pi'], '--disk: expected at most 1Pi, found "2Pi"'],
  [
    ['--memory', '1Gi', '--kubevirt-version', '9.9'],
    '--kubevirt-version: expected a KubeVirt release such as v1.3.1, up to v1.9.0, found "9.9"',
  ],
  [
    ['--memory', '1Gi', '--kubevirt-version', 'latest'],
    '--kubevirt-version: expected a KubeVirt release such as v1.3.1, up to v1.9.0, found "latest"',
  ],
  [
    ['--memory', '1Gi', '--working-set-overlap', '2'],
    '--working-set-overlap: expected a number from 0 to 1, found "2" (out of range)',
  ],
  [
    ['--memory', '1Gi', '--dirty-rate', 'fast'],
    '--dirty-rate: expected a dirty rate in 4 KiB pages/s such as 4000, or a byte rate such as 20MiB/s, found "fast" (no leading number)',
  ],
  [
    ['--memory', '1Gi', '--downtime-limit', '-5ms'],
    '--downtime-limit: expected a Go duration such as "150s", "1h30m", "33.6h" or "300ms" (a bare number is milliseconds), found "-5ms" (negative)',
  ],
  [
    ['--memory', '1Gi', '--post-copy-after-pass', '0'],
    '--post-copy-after-pass: expected a whole number ≥ 1, found "0" (below 1)',
  ],
];

describe('migrate: every bad option value is one line naming the option', () => {
  for (const [words, line] of corpus) {
    it(words.join(' '), async () => {
      expect(await migrate(...words)).toBe(1);
      expect(output.err).toBe(`harvester-sim: ${line}\n`);
    });
  }
});

describe('migrate --no-monitor, through the parser', () => {
  it("turns off KubeVirt's timeouts: the operator cancels at 600 s instead of the completion timeout", async () => {
    // 32 MiB/s dirtied over a 16 MiB/s cap never converges.
    const words = [
      '--memory',
      '256Mi',
      '--dirty-rate',
      '32MiB/s',
      '--bandwidth',
      '16MiB/s',
      '--cancel-after',
      '600s',
      '--json',
    ];
    expect(await migrate(...words)).toBe(0);
    expect(JSON.parse(output.out)).toMatchObject({ outcome: 'aborted', reason: 'completion-timeout' });
    output.out = '';
    expect(await migrate(...words, '--no-monitor')).toBe(0);
    // The target pod's 10 s start (profile default), then 600 s of migration until the cancel.
    expect(JSON.parse(output.out)).toMatchObject({
      outcome: 'cancelled',
      reason: 'operator-cancel',
      totalSeconds: 610,
    });
  });
});
