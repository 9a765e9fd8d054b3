import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** salabim's default: a run is deterministic unless a seed is asked for. */
export const DEFAULT_SEED = 1234567;

type Generator = ReturnType<typeof xoroshiro128plusFromState>;

/**
 * Splittable named random streams (TigerBeetle derives a seed per subsystem): each stream's state
 * comes from a hash of (root seed, name), so a draw added in one model never shifts another's.
 */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly seed: number | string = DEFAULT_SEED) {}

  stream(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = new RandomStream(deriveState(this.seed, name));
      this.streams.set(name, stream);
    }
    return stream;
  }
}

/** One xoroshiro128+ stream with the distributions the models use. */
export class RandomStream {
  private readonly generator: Generator;
  private spareNormal: number | null = null;

  constructor(state: readonly number[]) {
    this.generator = xoroshiro128plusFromState(state);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.generator);
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [low, high], both included. */
  integer(low: number, high: number): number {
    return uniformInt(this.generator, low, high);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Normal by the polar Box-Muller method; the second variate is kept for the next call. */
  normal(mean: number, standardDeviation: number): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + standardDeviation * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return mean + standardDeviation * u * factor;
  }

  /** exp(N(mu, sigma)): mu and sigma are those of the logarithm. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** True with probability numerator/denominator (rational, as TigerBeetle's Ratio). */
  chance(numerator: number, denominator: number): boolean {
    return this.integer(0, denominator - 1) < numerator;
  }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('choice from an empty list');
    return items[this.integer(0, items.length - 1)];
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.integer(0, i);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}

function deriveState(seed: number | string, name: string): number[] {
  const digest = createHash('sha256')
    .update(`${String(seed)}\u0000${name}`)
    .digest();
  const state: number[] = [
    digest.readInt32LE(0),
    digest.readInt32LE(4),
    digest.readInt32LE(8),
    digest.readInt32LE(12),
  ];
  if (!state.some((x) => x !== 0)) state[0] = 1;
  return state;
}
