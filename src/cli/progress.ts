import { loadCliProgress } from './load-cli-progress.ts';

/** A step counter on a terminal; nothing when stderr is piped (kubectl's habit). */
export function stepProgress(total: number, label: string): { step(name: string): void; stop(): void } {
  if (!process.stderr.isTTY) return { step: () => {}, stop: () => {} };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} steps  {name}`,
      stream: process.stderr,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { name: '' });
  return {
    step: (name) => bar.increment(1, { name }),
    stop: () => bar.stop(),
  };
}

/** Finished runs of a many-seed job with an ETA on a terminal; nothing when stderr is piped. */
export function runProgress(label: string, total: number): { update(done: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} runs  {percentage}%  ETA {eta_formatted}`,
      stream: process.stderr,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
