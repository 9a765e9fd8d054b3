/** Dotted release versions ("v1.27.10+rke2r1", "1.3.0", "3.5") compared numerically. */

/** [major, minor, patch]; a missing part is 0. Build metadata (`+rke2r1`) and `-rc1` are ignored. */
export function versionParts(version: string): readonly [number, number, number] {
  const core = version.trim().replace(/^v/, '').split(/[+-]/)[0];
  const parts = core.split('.').map((part) => Number(part));
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

/** "v1.3.0" → "1.3.0"; keeps the text otherwise. */
export function withoutV(version: string): string {
  return version.trim().replace(/^v/, '');
}
