/** `--max-events` and `--max-simulated-time`: the run's hard limits, raised by the user when needed. */
import { LimitExceeded } from '../../../sim/errors.ts';
import { parseDurationSeconds } from '../../scenario/units.ts';
import { parseCount } from './plain-numbers.ts';
import { readOption } from './read-option.ts';

export interface RunLimitOptions {
  maxEvents?: string;
  maxSimulatedTime?: string;
}

/** The defaults `runPlan` applies (docs/architecture.md, "Determinism and limits"). */
export const DEFAULT_MAX_EVENTS = 50_000_000;
export const DEFAULT_MAX_SIMULATED_TIME = '2160h';

export function runLimits(options: RunLimitOptions): { maxEvents?: number; maxSimulatedSeconds?: number } {
  const limits: { maxEvents?: number; maxSimulatedSeconds?: number } = {};
  if (options.maxEvents !== undefined)
    limits.maxEvents = readOption('--max-events', options.maxEvents, (t) => parseCount(t, 1));
  if (options.maxSimulatedTime !== undefined) {
    const seconds = readOption('--max-simulated-time', options.maxSimulatedTime, (t) =>
      parseDurationSeconds(t),
    );
    if (!(seconds > 0))
      throw new Error(
        `--max-simulated-time: expected a duration above 0, found "${options.maxSimulatedTime}"`,
      );
    limits.maxSimulatedSeconds = seconds;
  }
  return limits;
}

/** A limit the run reached, as one line that names the option raising it. */
export function explainLimit(error: unknown): unknown {
  if (!(error instanceof LimitExceeded)) return error;
  const option = error.limit === 'time' ? '--max-simulated-time' : '--max-events';
  return new Error(`${error.message}; raise the limit with ${option}`);
}
