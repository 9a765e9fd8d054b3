/**
 * `evaluate`'s exit status, for scripts and CI gates: 0 when the plan completed without a finding at
 * or above `--fail-on`, 2 when the plan stopped or has such a finding (bad input and internal errors
 * exit 1 through `main`).
 */
import type { Evaluation } from '../../evaluate/evaluate.ts';
import type { Severity } from '../../evaluate/finding.ts';

export type FailOn = Severity | 'none';

const ranks: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
const choices: readonly FailOn[] = ['critical', 'warning', 'info', 'none'];

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_VERDICT = 2;

/** The text of `--help`'s exit-status section, shared by the commands that use it. */
export const exitStatusHelp = `
Exit status:
  0  the plan completed and no finding is at or above --fail-on (default critical)
  1  bad input (a scenario, plan or option) or an internal error; one line on stderr
  2  the plan stopped (a failed step, precondition or wait) or a finding is at or above --fail-on
`;

/** The program's `--help`: what each status means across commands. */
export const programExitStatusHelp = `
Exit status:
  0  success
  1  bad input (a scenario, plan, trace or option) or an internal error; one line on stderr
  2  a verdict: evaluate's plan stopped or has a finding at or above --fail-on; check found a problem
`;

export function parseFailOn(text: string): FailOn {
  if ((choices as readonly string[]).includes(text)) return text as FailOn;
  throw new Error(`--fail-on: expected one of ${choices.join(', ')}, found "${text}"`);
}

/** 0 or 2 for one evaluated run. */
export function verdictExitCode(evaluation: Evaluation, failOn: FailOn): number {
  if (!evaluation.ok) return EXIT_VERDICT;
  if (failOn === 'none') return EXIT_OK;
  const bar = ranks[failOn];
  return evaluation.findings.some((f) => ranks[f.severity] >= bar) ? EXIT_VERDICT : EXIT_OK;
}
