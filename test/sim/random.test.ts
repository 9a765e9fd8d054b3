import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, RandomStreams, Simulation } from '../../sim/index.ts';

const draws = (streams: RandomStreams, name: string, n: number) =>
  Array.from({ length: n }, () => streams.stream(name).next());

describe('random streams', () => {
  it("is seeded by default with salabim's 1234567", () => {
    expect(DEFAULT_SEED).toBe(1234567);
    expect(draws(new Simulation().rng, 'etcd', 5)).toEqual(draws(new RandomStreams(1234567), 'etcd', 5));
  });

  it('a draw added in one stream does not shift another', () => {
    const plain = new RandomStreams(7);
    const extra = new RandomStreams(7);
    extra.stream('longhorn').next();
    extra.stream('longhorn').next();
    expect(draws(extra, 'etcd', 10)).toEqual(draws(plain, 'etcd', 10));
  });

  it('different seeds and names give different sequences', () => {
    expect(draws(new RandomStreams(1), 'etcd', 3)).not.toEqual(draws(new RandomStreams(2), 'etcd', 3));
    const streams = new RandomStreams(1);
    expect(draws(streams, 'a', 3)).not.toEqual(draws(streams, 'b', 3));
  });

  it('draws match their distributions (fixed seed, 200,000 samples)', () => {
    const s = new RandomStreams(42).stream('stats');
    const n = 200_000;
    const mean = (f: () => number) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += f();
      return sum / n;
    };
    // Standard errors: uniform(2,4) 0.577/sqrt(n) = 0.0013; exponential(3) 3/sqrt(n) = 0.0067.
    expect(mean(() => s.uniform(2, 4))).toBeCloseTo(3, 2);
    expect(Math.abs(mean(() => s.exponential(3)) - 3)).toBeLessThan(0.03);
    expect(Math.abs(mean(() => s.normal(10, 2)) - 10)).toBeLessThan(0.02);
    // lognormal(mu, sigma) has mean exp(mu + sigma^2/2) = exp(0.125) = 1.1331.
    expect(Math.abs(mean(() => s.lognormal(0, 0.5)) - Math.exp(0.125))).toBeLessThan(0.01);
    let within = 0;
    for (let i = 0; i < n; i++) if (Math.abs(s.normal(0, 1)) < 1) within++;
    expect(within / n).toBeCloseTo(0.6827, 2);
  });

  it('integer, choice, chance and shuffle stay in range and keep every item', () => {
    const s = new RandomStreams(3).stream('x');
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(s.integer(1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(['harv41', 'harv42']).toContain(s.choice(['harv41', 'harv42']));
    let yes = 0;
    for (let i = 0; i < 10_000; i++) if (s.chance(1, 4)) yes++;
    expect(yes / 10_000).toBeCloseTo(0.25, 1);
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(s.shuffle(items).sort()).toEqual(items);
    expect(() => s.choice([])).toThrow(/empty/);
  });
});
