/**
 * Attempts a controller makes on one failing object: client-go's per-item exponential backoff
 * (base 5 ms, doubling, capped at 1000 s; kubernetes/client-go:util/workqueue/default_rate_limiters.go).
 * Returns how many attempts happen within `elapsedSeconds` of the first failure.
 */
export function attemptsWithin(elapsedSeconds: number, baseSeconds: number, maxSeconds: number): number {
  if (elapsedSeconds < 0) return 0;
  let attempts = 1;
  let time = 0;
  let delay = baseSeconds;
  while (delay < maxSeconds) {
    if (time + delay > elapsedSeconds) return attempts;
    time += delay;
    attempts++;
    delay *= 2;
  }
  return attempts + Math.floor((elapsedSeconds - time) / maxSeconds);
}
