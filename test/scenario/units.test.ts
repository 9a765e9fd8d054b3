import { describe, expect, it } from 'vitest';
import {
  parseBandwidthBytesPerSecond,
  parseBytes,
  parseCores,
  parseDurationSeconds,
  parseQuantity,
  UnitError,
} from '../../src/scenario/units.ts';

describe('Kubernetes quantities (k8s.io/apimachinery/pkg/api/resource)', () => {
  it.each([
    ['64Mi', 64 * 1024 * 1024], // 67108864
    ['1.5Gi', 1.5 * 1024 ** 3], // 1610612736
    ['5368709120', 5368709120], // 5 GiB, as in the KB's `kubectl get volume` listing
    ['500m', 0.5],
    ['10G', 10_000_000_000],
    ['1Ti', 1099511627776],
    ['2k', 2000],
    ['1e3', 1000],
    ['.5Ki', 512],
  ])('reads %s as %d', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  it('takes YAML numbers as they are', () => {
    expect(parseQuantity(6442450944)).toBe(6442450944);
  });

  it('rounds fractional bytes up, as Quantity.Value() does', () => {
    expect(parseBytes('1.5')).toBe(2);
  });

  it('reads CPU in cores: "500m" is half a core', () => {
    expect(parseCores('500m')).toBe(0.5);
    expect(parseCores(16)).toBe(16);
  });

  it('rejects "12XB" naming the unknown suffix', () => {
    expect(() => parseQuantity('12XB')).toThrow(UnitError);
    expect(() => parseQuantity('12XB')).toThrow(
      'expected a Kubernetes quantity such as "64Mi", "1.5Gi", "10G" or "500m", found "12XB" (unknown suffix "XB")',
    );
  });

  it('rejects text without a number', () => {
    expect(() => parseQuantity('Gi')).toThrow('(no leading number)');
  });
});

describe('Go durations (time.ParseDuration)', () => {
  it.each([
    ['168h', 168 * 3600], // KubeVirt CA duration: 604800 s
    ['33.6h', 33.6 * 3600], // KubeVirt CA renewBefore: 120960 s
    ['150s', 150],
    ['1h30m', 5400],
    ['300ms', 0.3],
    ['2h45m30.5s', 2 * 3600 + 45 * 60 + 30.5],
    ['1µs', 1e-6],
    ['0', 0],
  ])('reads %s as %d s', (text, expected) => {
    expect(parseDurationSeconds(text)).toBeCloseTo(expected, 9);
  });

  it('takes a YAML number as seconds', () => {
    expect(parseDurationSeconds(800)).toBe(800);
  });

  it.each([
    ['1d', 'unknown unit "d"'],
    ['5', 'missing unit after "5"'],
    ['-5s', 'negative'],
    ['1h 30m', 'cannot read " 30m"'],
    ['fast', 'no leading number'],
  ])('rejects %s (%s)', (text, detail) => {
    expect(() => parseDurationSeconds(text)).toThrow(`found ${JSON.stringify(text)} (${detail})`);
  });
});

describe('bandwidths', () => {
  it.each([
    ['10Gbps', 10e9 / 8], // 1.25e9 B/s
    ['1Gbit/s', 125_000_000],
    ['16MiB/s', 16 * 1024 * 1024], // 16777216 B/s
    ['125MB/s', 125_000_000],
    ['64Mi', 64 * 1024 * 1024], // KubeVirt bandwidthPerMigration syntax, bytes per second
    ['100Mbps', 12_500_000],
  ])('reads %s as %d B/s', (text, expected) => {
    expect(parseBandwidthBytesPerSecond(text)).toBe(expected);
  });

  it('takes a YAML number as bytes per second', () => {
    expect(parseBandwidthBytesPerSecond(0)).toBe(0);
  });

  it('rejects an unknown unit', () => {
    expect(() => parseBandwidthBytesPerSecond('10XB/s')).toThrow('found "10XB/s" (unknown unit');
  });
});
