/** A compared metric's value for people, in its unit: durations as clocks, bytes in binary units. */
import type { MetricUnit } from '../compare/metrics.ts';
import { durationText } from './duration-text.ts';

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytesText(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BINARY.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${BINARY[unit]}`;
}

export function quantityText(value: number, unit: MetricUnit): string {
  if (unit === 'seconds') return durationText(value);
  if (unit === 'bytes') return bytesText(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export const percentText = (fraction: number): string =>
  `${(100 * fraction).toFixed(fraction === 0 || fraction === 1 ? 0 : 1)} %`;
