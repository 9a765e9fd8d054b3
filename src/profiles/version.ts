/** Dotted release versions ("v1.27.10+rke2r1", "1.3.0", "3.5") compared numerically. */

/** "v1.27.10+rke2r1" → "1.27.10": without the leading "v", build metadata (`+rke2r1`) or `-rc1`. */
export function coreVersion(version: string): string {
  return version.trim().replace(/^v/, '').split(/[+-]/)[0];
}

/** [major, minor, patch]; a missing part is 0. Build metadata (`+rke2r1`) and `-rc1` are ignored. */
export function versionParts(version: string): readonly [number, number, number] {
  const parts = coreVersion(version)
    .split('.')
    .map((part) => Number(part));
  if (parts.length === 0 || parts.length > 3 || parts.some((part) => !Number.isInteger(part) || part < 0)) {
    throw new Error(
      `expected a version such as "1.3.0" or "v1.27.10+rke2r1", found ${JSON.stringify(version)}`,
    );
  }
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

/** Negative if a < b, 0 if equal, positive if a > b. */
export function compareVersions(a: string, b: string): number {
  const left = versionParts(a);
  const right = versionParts(b);
  for (let i = 0; i < 3; i += 1) {
    if (left[i] !== right[i]) return left[i] - right[i];
  }
  return 0;
}

export function isAtLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}

/** In [since, until): from the release `since` up to, not including, `until`. */
export function isInRange(version: string, since: string, until: string): boolean {
  return isAtLeast(version, since) && !isAtLeast(version, until);
}

/**
 * The version a free-form text starts with ("v2.8.x" → "2.8", "2.12.1-rc2" → "2.12.1"), or null
 * when it does not start with major.minor: for versions a user writes rather than a table holds.
 */
export function leadingVersion(text: string): string | null {
  const match = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(text.trim());
  return match === null ? null : match[1];
}

/** "v1.3.0" → "1.3.0"; keeps the text otherwise. */
export function withoutV(version: string): string {
  return version.trim().replace(/^v/, '');
}
