/** The replay seed of a property, shared by the kit and the repository's own tests. */

/** `FC_SEED` from the environment, when set: the seed that replays a property. */
export function seedFromEnvironment(): number | undefined {
  const text = process.env.FC_SEED;
  if (text === undefined || text.trim() === '') return undefined;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED: expected an integer, found "${text}"`);
  return seed;
}
