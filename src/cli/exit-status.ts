/**
 * A command's exit status when it ends without an error but with a verdict, e.g. `check` exits 2 when
 * it finds a problem (as `diff` does). `main` takes it after the command ran; errors still exit 1.
 */
let pending = 0;

export function setExitStatus(code: number): void {
  pending = code;
}

/** The status set by the command that just ran (0 if none), reset for the next run. */
export function takeExitStatus(): number {
  const code = pending;
  pending = 0;
  return code;
}
