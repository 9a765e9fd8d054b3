import type { Sourced } from './types.ts';

/** Every field of T as a value with its source: the shape of each defaults table. */
export type SourcedFields<T> = { readonly [K in keyof T]: Sourced<T[K]> };

/** The plain values of a defaults table. */
export function valuesOf<T>(table: SourcedFields<T>): T {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(table)) values[key] = (table as Record<string, Sourced<unknown>>)[key].value;
  return values as T;
}

/** The sources of a defaults table, keyed `<prefix>.<field>`. */
export function sourcesOf<T>(prefix: string, table: SourcedFields<T>): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const key of Object.keys(table)) {
    sources[`${prefix}.${key}`] = (table as Record<string, Sourced<unknown>>)[key].source;
  }
  return sources;
}
