/** Placeholder replaced once resources and flows land. */
export function runKernelDemo(_seed: number): string {
  return '';
}
