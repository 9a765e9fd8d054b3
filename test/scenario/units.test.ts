/**
 * The one unit grammar of the scenario and plan YAML and of the command line (src/scenario/units.ts).
 * Quantities follow the grammar in kubernetes/apimachinery:pkg/api/resource/quantity.go (the comment
 * over `Quantity`); durations follow golang/go:src/time/format.go (`ParseDuration`), with the two
 * departures units.ts states.
 */
import { describe, expect, it } from 'vitest';
import {
  BARE_MILLISECONDS,
  parseBandwidthBytesPerSecond,
  parseBytes,
  parseCores,
  parseDurationSeconds,
  parseQuantity,
  UnitError,
} from '../../src/scenario/units.ts';

describe('Kubernetes quantities (resource.Quantity)', () => {
  // <quantity> ::= <signedNumber><suffix>; <binarySI> ::= Ki | Mi | Gi | Ti | Pi | Ei
  it.each([
    ['64Mi', 64 * 1024 * 1024], // 67108864
    ['1.5Gi', 1.5 * 1024 ** 3], // 1610612736
    ['1Ti', 1099511627776],
    ['1Ei', 2 ** 60],
  ])('binarySI: reads %s as %d', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  // <decimalSI> ::= m | "" | k | M | G | T | P | E (and n, u: suffix.go)
  it.each([
    ['5368709120', 5368709120], // 5 GiB, as in the KB's `kubectl get volume` listing
    ['500m', 0.5],
    ['2k', 2000],
    ['10G', 10_000_000_000],
    ['1P', 1e15],
    ['250u', 250e-6],
  ])('decimalSI: reads %s as %d', (text, expected) => {
    expect(parseQuantity(text)).toBeCloseTo(expected, 12);
  });

  // <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
  it.each([
    ['1e3', 1000],
    ['12E-1', 1.2],
    ['5e+2', 500],
  ])('decimalExponent: reads %s as %d', (text, expected) => {
    expect(parseQuantity(text)).toBeCloseTo(expected, 12);
  });

  // <number> ::= <digits> | <digits>.<digits> | <digits>. | .<digits>; <sign> ::= "+" | "-"
  it.each([
    ['.5Ki', 512],
    ['2.Ki', 2048],
    ['+3', 3],
    ['-3', -3],
  ])('number forms: reads %s as %d', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  it('takes YAML numbers as they are', () => {
    expect(parseQuantity(6442450944)).toBe(6442450944);
  });

  it('reads CPU in cores: "500m" is half a core', () => {
    expect(parseCores('500m')).toBe(0.5);
    expect(parseCores(16)).toBe(16);
  });

  it('rejects "12XB" naming the unknown suffix, with the syntax expected and the text found', () => {
    expect(() => parseQuantity('12XB')).toThrow(UnitError);
    expect(() => parseQuantity('12XB')).toThrow(
      'expected a Kubernetes quantity such as "64Mi", "1.5Gi", "10G" or "500m", found "12XB" (unknown suffix "XB")',
    );
  });

  it.each([
    ['5K', 'unknown suffix "K"'], // Kubernetes writes kilo as "k"
    ['1 Gi', 'unknown suffix " Gi"'], // no space inside a quantity
    ['2constructor', 'unknown suffix "constructor"'],
  ])('rejects %s (%s)', (text, detail) => {
    expect(() => parseQuantity(text)).toThrow(`found ${JSON.stringify(text)} (${detail})`);
  });

  it('rejects text without a number', () => {
    expect(() => parseQuantity('Gi')).toThrow('(no leading number)');
  });

  it('carries what was expected and what was found on the error', () => {
    try {
      parseQuantity('ten');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnitError);
      expect(error).toMatchObject({ found: 'ten', detail: 'no leading number' });
      expect((error as UnitError).expected).toMatch(/^a Kubernetes quantity/);
    }
  });
});

describe('sizes in bytes', () => {
  it.each([
    ['256Mi', 256 * 2 ** 20],
    ['230MiB', 230 * 2 ** 20], // a trailing B after a binary suffix
    ['1GB', 1e9], // … after a decimal multiple
    ['512B', 512],
    ['4096', 4096],
  ])('reads %s as %d bytes', (text, expected) => {
    expect(parseBytes(text)).toBe(expected);
  });

  it('rounds fractional bytes up, as Quantity.Value() does', () => {
    expect(parseBytes('1.5')).toBe(2);
  });

  it('refuses a negative size and "B" after a fraction suffix', () => {
    expect(() => parseBytes('-1Mi')).toThrow('(negative)');
    expect(() => parseBytes('500mB')).toThrow('(unknown suffix "mB")');
  });
});

describe('Go durations (time.ParseDuration)', () => {
  // "A duration string is a possibly signed sequence of decimal numbers, each with optional fraction
  // and a unit suffix, such as "300ms", "-1.5h" or "2h45m". Valid time units are "ns", "us" (or "µs"),
  // "ms", "s", "m", "h"."
  it.each([
    ['168h', 168 * 3600], // KubeVirt CA duration: 604800 s
    ['33.6h', 33.6 * 3600], // KubeVirt CA renewBefore: 120960 s
    ['150s', 150],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['90s', 90],
    ['300ms', 0.3],
    ['2h45m30.5s', 2 * 3600 + 45 * 60 + 30.5],
    ['1µs', 1e-6],
    ['1us', 1e-6],
    ['10ns', 1e-8],
    ['.5m', 30],
    ['+5s', 5],
    ['0', 0], // Go: "0" needs no unit
  ])('reads %s as %d s', (text, expected) => {
    expect(parseDurationSeconds(text)).toBeCloseTo(expected, 9);
  });

  it('takes a YAML number as seconds', () => {
    expect(parseDurationSeconds(800)).toBe(800);
  });

  it('departs from Go: a bare number is in the field\'s bare unit (Go: "missing unit in duration")', () => {
    expect(parseDurationSeconds('5')).toBe(5);
    expect(parseDurationSeconds('300', BARE_MILLISECONDS)).toBeCloseTo(0.3, 12);
    expect(parseDurationSeconds(300, BARE_MILLISECONDS)).toBeCloseTo(0.3, 12);
  });

  it.each([
    ['1d', 'unknown unit "d"'], // Go has no day unit
    ['2min', 'unknown unit "min"'], // nor "min"
    ['5 s', 'missing unit after "5"'],
    ['-5s', 'negative'], // Go accepts it; nothing here runs backwards
    ['1h 30m', 'cannot read " 30m"'],
    ['1h30', 'missing unit after "30"'],
    ['fast', 'no leading number'],
    ['', 'empty'],
  ])('rejects %s (%s)', (text, detail) => {
    expect(() => parseDurationSeconds(text)).toThrow(`found ${JSON.stringify(text)} (${detail})`);
  });

  it('names the bare unit in what it expected', () => {
    expect(() => parseDurationSeconds('1d', BARE_MILLISECONDS)).toThrow(
      'expected a Go duration such as "150s", "1h30m", "33.6h" or "300ms" (a bare number is milliseconds), found "1d" (unknown unit "d")',
    );
  });
});

describe('bandwidths', () => {
  it.each([
    ['10Gbps', 10e9 / 8], // 1.25e9 B/s
    ['1Gbit/s', 125_000_000],
    ['100Mbps', 12_500_000],
    ['800Mb/s', 1e8],
    ['10 Gbps', 1.25e9],
    ['16MiB/s', 16 * 1024 * 1024], // 16777216 B/s
    ['16Mi/s', 16 * 1024 * 1024],
    ['125MB/s', 125_000_000],
    ['125MBps', 125_000_000],
    ['125kB/s', 125_000], // decimal kilobytes per second
    ['125KB/s', 125_000], // the common spelling of the same, per second only
    ['64Mi', 64 * 1024 * 1024], // KubeVirt bandwidthPerMigration syntax, bytes per second
    ['0', 0],
  ])('reads %s as %d B/s', (text, expected) => {
    expect(parseBandwidthBytesPerSecond(text)).toBe(expected);
  });

  it('takes a YAML number as bytes per second', () => {
    expect(parseBandwidthBytesPerSecond(0)).toBe(0);
  });

  it.each([
    ['10XB/s', 'unknown unit; use bps, Kbps, Mbps, Gbps, B/s, MB/s or MiB/s'],
    ['10Gbpm', 'unknown suffix "Gbpm"'],
    ['-1Gbps', 'negative'],
    ['fast', 'no leading number'],
  ])('rejects %s (%s)', (text, detail) => {
    expect(() => parseBandwidthBytesPerSecond(text)).toThrow(`found ${JSON.stringify(text)} (${detail})`);
  });
});
