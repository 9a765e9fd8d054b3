/** Options that are plain numbers, no unit: counts and fractions. Refusals are UnitErrors. */
import { UnitError } from '../../scenario/units.ts';

/** A whole number ≥ `min`. */
export function parseCount(text: string, min: number): number {
  const expected = `a whole number ≥ ${min}`;
  if (!/^\s*\d+\s*$/.test(text)) throw new UnitError(expected, text, 'not a whole number');
  const value = Number(text);
  if (value < min) throw new UnitError(expected, text, `below ${min}`);
  return value;
}

/** A number from 0 to 1. */
export function parseFraction(text: string): number {
  const expected = 'a number from 0 to 1';
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new UnitError(expected, text, 'not a number');
  if (value < 0 || value > 1) throw new UnitError(expected, text, 'out of range');
  return value;
}
