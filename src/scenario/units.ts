/**
 * Units at the edge: one grammar for the scenario and plan YAML and for the command line, parsed
 * once into plain numbers (bytes, cores, seconds, bytes per second).
 *
 * - quantity: a Kubernetes resource quantity (`kubernetes/apimachinery:pkg/api/resource/quantity.go`,
 *   `ParseQuantity`): a signed decimal number ("5", "1.5", "5.", ".5") and one suffix, binary
 *   (Ki Mi Gi Ti Pi Ei), decimal (n u m, none, k M G T P E) or a decimal exponent ("e3", "E-2");
 * - size: a quantity in bytes, optionally ending in "B" after no suffix, a binary one or k..E
 *   ("230MiB", "1GB", "512B"); fractions round up as `Quantity.Value()` does;
 * - duration: a Go duration (`golang/go:src/time/format.go`, `ParseDuration`): number+unit parts,
 *   units ns us µs ms s m h ("1h30m", "1.5h", "300ms"). Unlike Go, a bare number (a YAML number or
 *   text such as "300") is read in the field's bare unit (seconds unless it says otherwise), and a
 *   negative duration is refused: nothing in a scenario, plan or command runs backwards;
 * - bandwidth: bits per second with decimal prefixes ("10Gbps", "800Mbit/s", "1Gb/s"), a size per
 *   second ("16MiB/s", "16Mi/s", "125MB/s", "125MBps"), or a bare size, bytes per second, as
 *   KubeVirt's bandwidthPerMigration ("64Mi").
 *
 * Every refusal is a UnitError: `expected <syntax>, found "<text>" (<what is wrong>)`.
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

const binarySuffixes: ReadonlyMap<string, number> = new Map([
  ['Ki', 2 ** 10],
  ['Mi', 2 ** 20],
  ['Gi', 2 ** 30],
  ['Ti', 2 ** 40],
  ['Pi', 2 ** 50],
  ['Ei', 2 ** 60],
]);

/** Decimal multiples from none up: the suffixes a size may follow with "B". */
const decimalMultiples: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
  ['P', 1e15],
  ['E', 1e18],
]);

const decimalFractions: ReadonlyMap<string, number> = new Map([
  ['n', 1e-9],
  ['u', 1e-6],
  ['m', 1e-3],
]);

const numberPattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/s;
const exponentPattern = /^[eE]([+-]?\d+)$/;

/** The scale of a quantity suffix, undefined when Kubernetes has no such suffix. */
function quantityScale(suffix: string): number | undefined {
  const named = binarySuffixes.get(suffix) ?? decimalMultiples.get(suffix) ?? decimalFractions.get(suffix);
  if (named !== undefined) return named;
  const exponent = exponentPattern.exec(suffix);
  return exponent === null ? undefined : 10 ** Number(exponent[1]);
}

/** The scale of a size suffix: a quantity suffix, or "B" after none, a binary one or k..E. */
function sizeScale(suffix: string): number | undefined {
  const quantity = quantityScale(suffix);
  if (quantity !== undefined || !suffix.endsWith('B')) return quantity;
  const multiple = suffix.slice(0, -1);
  return binarySuffixes.get(multiple) ?? decimalMultiples.get(multiple);
}

/** Sign × number and the text after it; `expected` names the syntax for the error. */
function leadingNumber(input: string, expected: string): { value: number; rest: string } {
  const match = numberPattern.exec(input.trim());
  if (match === null) throw new UnitError(expected, input, 'no leading number');
  const [, sign, digits, rest] = match;
  return { value: Number(digits) * (sign === '-' ? -1 : 1), rest };
}

/**
 * A Kubernetes resource quantity: "64Mi" → 67108864, "500m" → 0.5, "10G" → 1e10, "1e3" → 1000.
 * A YAML number is taken as is.
 */
export function parseQuantity(input: string | number): number {
  if (typeof input === 'number') return requireFinite(input, quantityExpected);
  const { value, rest } = leadingNumber(input, quantityExpected);
  const scale = quantityScale(rest);
  if (scale === undefined) throw new UnitError(quantityExpected, input, `unknown suffix "${rest}"`);
  return requireFinite(value * scale, quantityExpected, input);
}

/** A size in bytes ("64Mi", "230MiB", "1GB", 4096); fractions round up. Negative sizes are refused. */
export function parseBytes(input: string | number): number {
  let bytes: number;
  if (typeof input === 'number') bytes = parseQuantity(input);
  else {
    const { value, rest } = leadingNumber(input, quantityExpected);
    const scale = sizeScale(rest);
    if (scale === undefined) throw new UnitError(quantityExpected, input, `unknown suffix "${rest}"`);
    bytes = requireFinite(value * scale, quantityExpected, input);
  }
  if (bytes < 0) throw new UnitError('a non-negative size in bytes', String(input), 'negative');
  return Math.ceil(bytes);
}

/** A CPU quantity in cores: "4" → 4, "500m" → 0.5. */
export function parseCores(input: string | number): number {
  const value = parseQuantity(input);
  if (value <= 0) throw new UnitError('a positive number of cores', String(input), 'not positive');
  return value;
}

/** What a bare number means where a duration is read. */
export interface BareDurationUnit {
  readonly seconds: number;
  /** Plural, for messages: "seconds", "milliseconds". */
  readonly name: string;
}

export const BARE_SECONDS: BareDurationUnit = { seconds: 1, name: 'seconds' };
export const BARE_MILLISECONDS: BareDurationUnit = { seconds: 1e-3, name: 'milliseconds' };

const durationUnitsSeconds: ReadonlyMap<string, number> = new Map([
  ['ns', 1e-9],
  ['us', 1e-6],
  ['µs', 1e-6],
  ['μs', 1e-6],
  ['ms', 1e-3],
  ['s', 1],
  ['m', 60],
  ['h', 3600],
]);

const durationPartPattern = /(\d+(?:\.\d*)?|\.\d+)([a-zµμ]*)/gy;
const bareNumberPattern = /^(\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A Go duration: "1h30m" → 5400, "33.6h" → 120960, "300ms" → 0.3; a bare number ("300", or a YAML
 * number) is in `bare` (seconds by default).
 */
export function parseDurationSeconds(input: string | number, bare: BareDurationUnit = BARE_SECONDS): number {
  const expected = `a Go duration such as "150s", "1h30m", "33.6h" or "300ms" (a bare number is ${bare.name})`;
  if (typeof input === 'number') {
    if (input < 0) throw new UnitError(expected, String(input), 'negative');
    return requireFinite(input, expected) * bare.seconds;
  }
  const text = input.trim();
  if (text === '') throw new UnitError(expected, input, 'empty');
  if (text.startsWith('-')) throw new UnitError(expected, input, 'negative');
  const body = text.startsWith('+') ? text.slice(1) : text;
  if (bareNumberPattern.test(body)) return requireFinite(Number(body) * bare.seconds, expected, input);
  let totalSeconds = 0;
  let consumed = 0;
  durationPartPattern.lastIndex = 0;
  for (let part = durationPartPattern.exec(body); part !== null; part = durationPartPattern.exec(body)) {
    const [whole, digits, unit] = part;
    if (whole === '') break;
    if (unit === '') throw new UnitError(expected, input, `missing unit after "${digits}"`);
    const unitSeconds = durationUnitsSeconds.get(unit);
    if (unitSeconds === undefined) throw new UnitError(expected, input, `unknown unit "${unit}"`);
    totalSeconds += Number(digits) * unitSeconds;
    consumed = durationPartPattern.lastIndex;
  }
  if (consumed === 0) throw new UnitError(expected, input, 'no leading number');
  if (consumed !== body.length) {
    throw new UnitError(expected, input, `cannot read "${body.slice(consumed)}"`);
  }
  return requireFinite(totalSeconds, expected, input);
}

const bandwidthExpected =
  'a bandwidth such as "10Gbps", "16MiB/s", "125MB/s" or a byte quantity per second like "64Mi"';

const bitPrefixes: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['k', 1e3],
  ['K', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
]);

const bitsUnitPattern = /^([kKMGT]?)(?:bps|bit\/s|b\/s)$/;

/** Bytes per second of a unit after the number: bits, a size per second, or a bare size suffix. */
function bandwidthScale(unit: string): number | undefined {
  const bits = bitsUnitPattern.exec(unit);
  if (bits !== null) return (bitPrefixes.get(bits[1]) as number) / 8;
  // Per second, "KB" is the common spelling of the decimal kilobyte (Kubernetes quantities write "k").
  const perSecond = unit.endsWith('/s') ? unit.slice(0, -2) : unit.endsWith('Bps') ? unit.slice(0, -2) : null;
  if (perSecond !== null) return sizeScale(perSecond === 'KB' ? 'kB' : perSecond);
  return sizeScale(unit);
}

/**
 * A bandwidth in bytes per second: "10Gbps" → 1.25e9, "125MB/s" → 1.25e8, "16MiB/s" → 16777216,
 * "64Mi" → 67108864. A YAML number is bytes per second. A space may separate number and unit.
 */
export function parseBandwidthBytesPerSecond(input: string | number): number {
  if (typeof input === 'number') {
    if (input < 0) throw new UnitError(bandwidthExpected, String(input), 'negative');
    return requireFinite(input, bandwidthExpected);
  }
  const { value, rest } = leadingNumber(input, bandwidthExpected);
  const unit = rest.trimStart();
  const scale = bandwidthScale(unit);
  if (scale === undefined) {
    const detail = /\/s$|ps$/.test(unit)
      ? 'unknown unit; use bps, Kbps, Mbps, Gbps, B/s, MB/s or MiB/s'
      : `unknown suffix "${unit}"`;
    throw new UnitError(bandwidthExpected, input, detail);
  }
  if (value < 0) throw new UnitError(bandwidthExpected, input, 'negative');
  return requireFinite(value * scale, bandwidthExpected, input);
}

/** "1e400Gi" reads as Infinity in floating point: refused here, not turned into `null` in a report. */
function requireFinite(value: number, expected: string, input: string | number = value): number {
  if (!Number.isFinite(value)) throw new UnitError(expected, String(input), 'too large: not a finite number');
  return value;
}
