/** src/profiles/version.ts: the one place versions are parsed and compared. */
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  coreVersion,
  isAtLeast,
  isInRange,
  leadingVersion,
  versionParts,
} from '../../src/profiles/version.ts';

describe('release versions', () => {
  it('reads "v1.27.10+rke2r1" as 1.27.10: the leading v and the build metadata are not part of it', () => {
    expect(coreVersion('v1.27.10+rke2r1')).toBe('1.27.10');
    expect(coreVersion('3.5.0-rc1')).toBe('3.5.0');
    expect(versionParts('v1.27.10+rke2r1')).toEqual([1, 27, 10]);
    expect(versionParts('3.5')).toEqual([3, 5, 0]);
  });

  it('compares numerically, not as text: 1.10 is after 1.9', () => {
    expect(compareVersions('1.10.0', '1.9.2')).toBeGreaterThan(0);
    expect(isAtLeast('3.4.23', '3.5.0')).toBe(false);
    expect(isAtLeast('v3.5.9', '3.5.0')).toBe(true);
  });

  it('a range includes its first release and excludes its end', () => {
    expect(isInRange('2.8.0', '2.8.0', '2.12.0')).toBe(true);
    expect(isInRange('2.11.9', '2.8.0', '2.12.0')).toBe(true);
    expect(isInRange('2.12.0', '2.8.0', '2.12.0')).toBe(false);
    expect(isInRange('2.7.15', '2.8.0', '2.12.0')).toBe(false);
  });

  it('takes the version a user wrote from the start of the text, or none', () => {
    expect(leadingVersion('v2.8.x')).toBe('2.8');
    expect(leadingVersion('2.12.1-rc2')).toBe('2.12.1');
    expect(leadingVersion('latest')).toBeNull();
    expect(() => versionParts('latest')).toThrow('expected a version such as "1.3.0"');
  });
});
