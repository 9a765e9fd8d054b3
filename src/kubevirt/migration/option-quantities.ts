/**
 * Quantities as the migrate command takes them: sizes ("256Mi", "230MiB", "1G"), bandwidths
 * ("16MiB/s", "10Gbps", "800Mbit/s"), durations ("300ms", "60s", "2m") and dirty rates
 * ("4000" pages/s, "20MiB/s"), parsed once into bytes, bytes/s, seconds and pages/s.
 */

/** A value not in the expected syntax: says what was expected and what was found. */
export class QuantityError extends Error {
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected}, found "${found}"`);
    this.name = 'QuantityError';
  }
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  B: 1,
  k: 1e3,
  K: 1e3,
  KB: 1e3,
  kB: 1e3,
  M: 1e6,
  MB: 1e6,
  G: 1e9,
  GB: 1e9,
  T: 1e12,
  TB: 1e12,
  Ki: 2 ** 10,
  KiB: 2 ** 10,
  Mi: 2 ** 20,
  MiB: 2 ** 20,
  Gi: 2 ** 30,
  GiB: 2 ** 30,
  Ti: 2 ** 40,
  TiB: 2 ** 40,
};

const BIT_UNITS: Readonly<Record<string, number>> = {
  bps: 1 / 8,
  'bit/s': 1 / 8,
  Kbps: 1e3 / 8,
  kbps: 1e3 / 8,
  'Kbit/s': 1e3 / 8,
  'kbit/s': 1e3 / 8,
  Mbps: 1e6 / 8,
  'Mbit/s': 1e6 / 8,
  Gbps: 1e9 / 8,
  'Gbit/s': 1e9 / 8,
  Tbps: 1e12 / 8,
  'Tbit/s': 1e12 / 8,
};

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1e-3, s: 1, m: 60, min: 60, h: 3600 };

const NUMBER = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z/]*)\s*$/;

function split(text: string, expected: string): [number, string] {
  const match = NUMBER.exec(text);
  if (match === null) throw new QuantityError(expected, text);
  return [Number(match[1]), match[2]];
}

const SIZE = 'a size such as 256Mi, 230MiB or 1G';

/** Bytes: binary (Ki, Mi, Gi, KiB ...) or decimal (k, M, G, MB ...) suffixes; a bare number is bytes. */
export function parseSizeBytes(text: string): number {
  const [value, unit] = split(text, SIZE);
  const scale = BYTE_UNITS[unit];
  if (scale === undefined) throw new QuantityError(SIZE, text);
  return value * scale;
}

const BANDWIDTH = 'a bandwidth such as 16MiB/s, 10Gbps or 800Mbit/s';

/** Bytes per second from "<size>/s" or bits per second ("10Gbps"); a bare number is bytes/s. */
export function parseBandwidthBytesPerSecond(text: string): number {
  const [value, unit] = split(text, BANDWIDTH);
  const bits = BIT_UNITS[unit];
  if (bits !== undefined) return value * bits;
  const bytesUnit = unit.endsWith('/s') ? unit.slice(0, -2) : unit === '' ? '' : undefined;
  const scale = bytesUnit === undefined ? undefined : BYTE_UNITS[bytesUnit];
  if (scale === undefined) throw new QuantityError(BANDWIDTH, text);
  return value * scale;
}

/** Seconds from "300ms", "60s", "2m", "1h"; a bare number is taken in `bareUnit`. */
export function parseDurationSeconds(text: string, bareUnit: 'ms' | 's'): number {
  const expected = `a duration such as 300ms, 60s or 2m (a bare number is ${bareUnit})`;
  const [value, unit] = split(text, expected);
  const scale = DURATION_UNITS[unit === '' ? bareUnit : unit];
  if (scale === undefined) throw new QuantityError(expected, text);
  return value * scale;
}

const DIRTY = 'a dirty rate in 4 KiB pages/s such as 4000, or a byte rate such as 20MiB/s';

/** 4 KiB pages per second: a bare number is pages/s; "<size>/s" is converted. */
export function parseDirtyPagesPerSecond(text: string, pageSizeBytes = 4096): number {
  const [value, unit] = split(text, DIRTY);
  if (unit === '' || unit === 'pps' || unit === 'pages/s') return value;
  try {
    return parseBandwidthBytesPerSecond(text) / pageSizeBytes;
  } catch {
    throw new QuantityError(DIRTY, text);
  }
}

/** A whole number ≥ `min`. */
export function parseCount(text: string, min: number): number {
  const expected = `a whole number ≥ ${min}`;
  if (!/^\s*\d+\s*$/.test(text)) throw new QuantityError(expected, text);
  const value = Number(text);
  if (value < min) throw new QuantityError(expected, text);
  return value;
}
