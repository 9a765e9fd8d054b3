/** fast-check arbitraries of guests and bandwidth limits for the migration properties. */
import fc from 'fast-check';
import { MiB } from './request-builders.ts';

/** A guest and a bandwidth limit, sizes in MiB. */
export const scenario = fc.record({
  memoryMib: fc.integer({ min: 64, max: 1024 }),
  usedShare: fc.double({ min: 0.1, max: 1, noNaN: true }),
  wssShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
  bandwidthMibps: fc.integer({ min: 32, max: 512 }),
  /** Dirty rate as a share of the bandwidth. */
  rateShare: fc.double({ min: 0, max: 2, noNaN: true }),
  downtimeMs: fc.integer({ min: 30, max: 1000 }),
});
/** Guests that keep re-dirtying a large working set: auto-converge and post-copy have work to do. */
export const hotScenario = fc.record({
  memoryMib: fc.integer({ min: 128, max: 512 }),
  usedShare: fc.double({ min: 0.5, max: 1, noNaN: true }),
  wssShare: fc.double({ min: 0.3, max: 1, noNaN: true }),
  bandwidthMibps: fc.integer({ min: 32, max: 128 }),
  rateShare: fc.double({ min: 0.8, max: 2, noNaN: true }),
  downtimeMs: fc.integer({ min: 30, max: 300 }),
});
export type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The guest of a scenario, for `request` (request-builders.ts). */
export function guestOf(s: Scenario) {
  const used = Math.max(4096, Math.floor(s.memoryMib * s.usedShare) * MiB);
  return {
    memoryBytes: s.memoryMib * MiB,
    usedMemoryBytes: used,
    workingSetBytes: Math.max(4096, Math.floor((used * s.wssShare) / 4096) * 4096),
    dirtyPagesPerSecond: (s.rateShare * s.bandwidthMibps * MiB) / 4096,
  };
}
