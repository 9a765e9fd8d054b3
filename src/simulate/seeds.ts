/**
 * The seeds a many-seed run uses (`simulateMany`, `compare`): its own module so that compare's calling
 * thread, which runs no seed itself, does not load the models.
 */
import { DEFAULT_SEED } from '../../sim/random.ts';

/** The seeds `simulateMany` runs: `runs` of them from `seed`, unless `seeds` names them. */
export function seedsOf(options: {
  readonly seeds?: readonly (number | string)[];
  readonly runs?: number;
  readonly seed?: number | string;
}): (number | string)[] {
  if (options.seeds !== undefined) return [...options.seeds];
  const runs = options.runs ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`runs: expected a whole number ≥ 1, found ${runs}`);
  const first = options.seed ?? DEFAULT_SEED;
  return Array.from({ length: runs }, (_, i) => (typeof first === 'number' ? first + i : `${first}-${i}`));
}
