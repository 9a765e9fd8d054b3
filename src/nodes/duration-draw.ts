import type { RandomStream } from '../../sim/index.ts';
import type { DurationDistribution } from '../scenario/types.ts';

/** One draw, in seconds, from a scenario's duration distribution. */
export function drawSeconds(distribution: DurationDistribution, random: RandomStream): number {
  switch (distribution.distribution) {
    case 'fixed':
      return distribution.valueSeconds;
    case 'uniform':
      return random.uniform(distribution.minSeconds, distribution.maxSeconds);
    case 'lognormal':
      return Math.min(
        distribution.maxSeconds,
        random.lognormal(Math.log(distribution.medianSeconds), distribution.sigma),
      );
  }
}
