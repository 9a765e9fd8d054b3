/**
 * Zod fields for values written with units in YAML. Each accepts a string or a number, parses it with
 * units.ts (the grammar the command line uses too) and yields a plain number; a bad value becomes one
 * issue saying what syntax was expected.
 */
import { z } from 'zod';
import type { FieldRange } from './limits.ts';
import {
  parseBandwidthBytesPerSecond,
  parseBytes,
  parseCores,
  parseDurationSeconds,
  UnitError,
} from './units.ts';

function unitField(
  parse: (input: string | number) => number,
  expected: string,
  description: string,
  range?: FieldRange,
) {
  return z
    .union([z.string(), z.number()], { error: expected })
    .transform((input, context) => {
      try {
        const value = parse(input);
        const below = range?.min !== undefined && value < range.min;
        if (below || (range?.max !== undefined && value > range.max)) {
          context.issues.push({
            code: 'custom',
            input,
            message: `expected ${range?.text}`,
            params: { expected: range?.text, found: JSON.stringify(input) },
          });
          return z.NEVER;
        }
        return value;
      } catch (error) {
        if (!(error instanceof UnitError)) throw error;
        context.issues.push({
          code: 'custom',
          input,
          message: error.message,
          params: { expected: error.expected, found: `${JSON.stringify(error.found)} (${error.detail})` },
        });
        return z.NEVER;
      }
    })
    .meta({ description: range === undefined ? description : `${description}; ${range.text}` });
}

/** "64Mi", "1.5Gi", "230MiB", "10G", 5368709120 → bytes. */
export const bytesField = (range?: FieldRange) =>
  unitField(
    parseBytes,
    'a size such as "64Mi", "1.5Gi", "10G" or a number of bytes',
    'bytes: Kubernetes quantity',
    range,
  );

/** "4", "500m", 16 → cores. */
export const coresField = (range?: FieldRange) =>
  unitField(parseCores, 'a CPU quantity such as 4 or "500m"', 'cores: Kubernetes CPU quantity', range);

/** "150s", "1h30m", "33.6h"; a bare number is seconds. */
export const secondsField = (range?: FieldRange) =>
  unitField(
    parseDurationSeconds,
    'a Go duration such as "150s", "1h30m" or a number of seconds',
    'duration: Go syntax ("1h30m", "300ms"); a bare number is seconds',
    range,
  );

/** A duration whose bare-number form means another unit upstream (minutes, hours, milliseconds). */
export const durationFieldWithBareUnit = (bareUnitSeconds: number, bareUnitName: string) =>
  unitField(
    (input) => parseDurationSeconds(input, { seconds: bareUnitSeconds, name: bareUnitName }),
    `a Go duration such as "150s" or a number of ${bareUnitName}`,
    `duration: Go syntax ("1h30m"); a bare number is ${bareUnitName}`,
  );

/** "10Gbps", "16MiB/s", "125MB/s", "64Mi" → bytes per second. */
export const bandwidthField = () =>
  unitField(
    parseBandwidthBytesPerSecond,
    'a bandwidth such as "10Gbps", "16MiB/s", "125MB/s" or a number of bytes per second',
    'bandwidth: "10Gbps" (bits), "125MB/s" / "16MiB/s" (bytes), a byte quantity or a number of bytes per second',
  );
