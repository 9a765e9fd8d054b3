/**
 * KubeVirt virt-handler's retry of a VM paused on an IO error (kubevirt/kubevirt
 * pkg/virt-handler/retry_manager.go `ShouldDelay`): the first failure is retried at once; a
 * failure within maxFailResponse of the last retry waits until the next run, and each retry doubles
 * the wait up to maxWait. Pure: the host passes the time.
 */
import type { IoErrorRetry } from './defaults.ts';

interface RetryState {
  lastRunSeconds: number;
  nextRunSeconds: number;
  waitSeconds: number;
  lastRunFailed: boolean;
}

export class IoErrorRetryState {
  private state: RetryState | null = null;

  constructor(private readonly config: IoErrorRetry) {}

  /** Seconds to wait before unpausing, asked when the pause is seen and again when that wait ends. */
  delaySeconds(nowSeconds: number): number {
    const c = this.config;
    const s = this.state;
    if (s === null || (!s.lastRunFailed && s.lastRunSeconds + c.maxFailResponseSeconds <= nowSeconds)) {
      this.state = {
        lastRunSeconds: nowSeconds,
        nextRunSeconds: nowSeconds + c.initialWaitSeconds,
        waitSeconds: c.initialWaitSeconds,
        lastRunFailed: false,
      };
      return 0;
    }
    if (!s.lastRunFailed) {
      s.lastRunFailed = true;
      return Math.max(0, s.nextRunSeconds - nowSeconds);
    }
    if (nowSeconds < s.nextRunSeconds) return s.nextRunSeconds - nowSeconds;
    s.waitSeconds = Math.min(c.maxWaitSeconds, s.waitSeconds * 2);
    s.nextRunSeconds = nowSeconds + s.waitSeconds;
    s.lastRunSeconds = nowSeconds;
    s.lastRunFailed = false;
    return 0;
  }
}
