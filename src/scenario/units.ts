/**
 * Units at the edge: Kubernetes quantities, Go durations and bandwidths as written in YAML,
 * parsed once into plain numbers (bytes, cores, seconds, bytes per second).
 */

/** A value could not be read in the expected unit syntax. `expected` names the syntax. */
export class UnitError extends Error {
  constructor(
    readonly expected: string,
    readonly found: string,
    readonly detail: string,
  ) {
    super(`expected ${expected}, found ${JSON.stringify(found)} (${detail})`);
    this.name = 'UnitError';
  }
}

const quantityExpected = 'a Kubernetes quantity such as "64Mi", "1.5Gi", "10G" or "500m"';

const binarySuffixes: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const decimalSuffixes: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const quantityPattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;
const exponentPattern = /^[eE]([+-]?\d+)$/;

/**
 * A Kubernetes resource quantity (`k8s.io/apimachinery/pkg/api/resource`): a decimal number with
 * an optional binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent (e3) suffix.
 * "64Mi" → 67108864, "500m" → 0.5, "10G" → 1e10. A YAML number is taken as is.
 */
export function parseQuantity(input: string | number): number {
  if (typeof input === 'number') return requireFinite(input, quantityExpected);
  const text = input.trim();
  const match = quantityPattern.exec(text);
  if (match === null) throw new UnitError(quantityExpected, input, 'no leading number');
  const [, sign, digits, suffix] = match;
  const magnitude = Number(digits) * (sign === '-' ? -1 : 1);
  const binary = binarySuffixes[suffix];
  if (binary !== undefined) return magnitude * binary;
  const decimal = decimalSuffixes[suffix];
  if (decimal !== undefined) return magnitude * decimal;
  const exponent = exponentPattern.exec(suffix);
  if (exponent !== null) return magnitude * 10 ** Number(exponent[1]);
  throw new UnitError(quantityExpected, input, `unknown suffix "${suffix}"`);
}

/** A quantity of bytes; fractions round up as `Quantity.Value()` does. Negative sizes are refused. */
export function parseBytes(input: string | number): number {
  const value = parseQuantity(input);
  if (value < 0) throw new UnitError('a non-negative size in bytes', String(input), 'negative');
  return Math.ceil(value);
}

/** A CPU quantity in cores: "4" → 4, "500m" → 0.5. */
export function parseCores(input: string | number): number {
  const value = parseQuantity(input);
  if (value <= 0) throw new UnitError('a positive number of cores', String(input), 'not positive');
  return value;
}

const durationExpected =
  'a Go duration such as "150s", "1h30m", "33.6h" or "300ms" (a bare number is seconds)';

const durationUnitsSeconds: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

const durationPartPattern = /(\d+(?:\.\d*)?|\.\d+)([a-zµμ]*)/gy;

/**
 * A Go duration (`time.ParseDuration`): one or more number+unit parts, units ns, us, µs, ms, s, m, h.
 * "1h30m" → 5400, "33.6h" → 120960, "300ms" → 0.3. A bare "0" and YAML numbers are seconds.
 * Negative durations are refused: nothing in a scenario or plan runs backwards.
 */
export function parseDurationSeconds(input: string | number): number {
  if (typeof input === 'number') {
    if (input < 0) throw new UnitError(durationExpected, String(input), 'negative');
    return requireFinite(input, durationExpected);
  }
  const text = input.trim();
  if (text === '0') return 0;
  if (text === '') throw new UnitError(durationExpected, input, 'empty');
  if (text.startsWith('-')) throw new UnitError(durationExpected, input, 'negative');
  const body = text.startsWith('+') ? text.slice(1) : text;
  let totalSeconds = 0;
  let consumed = 0;
  durationPartPattern.lastIndex = 0;
  for (let part = durationPartPattern.exec(body); part !== null; part = durationPartPattern.exec(body)) {
    const [whole, digits, unit] = part;
    if (whole === '') break;
    if (unit === '') throw new UnitError(durationExpected, input, `missing unit after "${digits}"`);
    const unitSeconds = durationUnitsSeconds[unit];
    if (unitSeconds === undefined) throw new UnitError(durationExpected, input, `unknown unit "${unit}"`);
    totalSeconds += Number(digits) * unitSeconds;
    consumed = durationPartPattern.lastIndex;
  }
  if (consumed === 0) throw new UnitError(durationExpected, input, 'no leading number');
  if (consumed !== body.length) {
    throw new UnitError(durationExpected, input, `cannot read "${body.slice(consumed)}"`);
  }
  return totalSeconds;
}

const bandwidthExpected =
  'a bandwidth such as "10Gbps", "16MiB/s", "125MB/s" or a byte quantity per second like "64Mi"';

const bitUnits: Readonly<Record<string, number>> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
const byteUnits: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

const bitsPattern = /^(\d+(?:\.\d*)?|\.\d+)\s*([kKMGT]?)(?:bps|bit\/s|b\/s)$/;
const bytesPattern = /^(\d+(?:\.\d*)?|\.\d+)\s*([kKMGT]i?|)(?:B\/s|Bps)$/;

/**
 * A bandwidth in bytes per second. Bits: "10Gbps" / "10Gbit/s" → 1.25e9 (decimal prefixes).
 * Bytes: "125MB/s" → 1.25e8, "16MiB/s" → 16777216. A bare quantity ("64Mi", as KubeVirt's
 * bandwidthPerMigration) or a YAML number is bytes per second.
 */
export function parseBandwidthBytesPerSecond(input: string | number): number {
  if (typeof input === 'number') {
    if (input < 0) throw new UnitError(bandwidthExpected, String(input), 'negative');
    return requireFinite(input, bandwidthExpected);
  }
  const text = input.trim();
  const bits = bitsPattern.exec(text);
  if (bits !== null) return (Number(bits[1]) * bitUnits[bits[2]]) / 8;
  const bytes = bytesPattern.exec(text);
  if (bytes !== null) {
    const unit = byteUnits[bytes[2]];
    if (unit === undefined) throw new UnitError(bandwidthExpected, input, `unknown prefix "${bytes[2]}"`);
    return Number(bytes[1]) * unit;
  }
  if (/[a-zA-Z]\/s$|ps$/.test(text)) {
    throw new UnitError(
      bandwidthExpected,
      input,
      'unknown unit; use bps, Kbps, Mbps, Gbps, B/s, MB/s or MiB/s',
    );
  }
  try {
    const value = parseQuantity(text);
    if (value < 0) throw new UnitError(bandwidthExpected, input, 'negative');
    return value;
  } catch (error) {
    if (error instanceof UnitError) throw new UnitError(bandwidthExpected, input, error.detail);
    throw error;
  }
}

function requireFinite(value: number, expected: string): number {
  if (!Number.isFinite(value)) throw new UnitError(expected, String(value), 'not a finite number');
  return value;
}
