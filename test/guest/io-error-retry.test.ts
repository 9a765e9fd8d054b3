import { describe, expect, it } from 'vitest';
import { IoErrorRetryState } from '../../src/guest/io-error-retry.ts';

// kubevirt/kubevirt pkg/virt-handler/vm.go: NewFailRetryManager("io-error-retry", 10*time.Second,
// 3*time.Minute, 30*time.Second); fail-retry-manager.go ShouldDelay: the first failure is not delayed;
// a failure within maxFailResponseTime waits until nextRun; each retry doubles the wait up to maxWait.

const config = { initialWaitSeconds: 10, maxWaitSeconds: 180, maxFailResponseSeconds: 30 };

describe("KubeVirt's IO-error retry backoff", () => {
  it('unpauses at once, then after 10, 20, 40, 80, 160, 180 s while the error repeats', () => {
    const retry = new IoErrorRetryState(config);
    // The VM re-fails 1 s after each unpause (virt-handler reaction).
    expect(retry.delaySeconds(0)).toBe(0); // unpause at 1
    expect(retry.delaySeconds(1)).toBe(9); // wait until 10
    expect(retry.delaySeconds(10)).toBe(0); // unpause at 11, next run at 30
    expect(retry.delaySeconds(11)).toBe(19);
    expect(retry.delaySeconds(30)).toBe(0); // next run at 70
    expect(retry.delaySeconds(31)).toBe(39);
    expect(retry.delaySeconds(70)).toBe(0); // next run at 150
    expect(retry.delaySeconds(71)).toBe(79);
    expect(retry.delaySeconds(150)).toBe(0); // 160 s wait: next run at 310
    expect(retry.delaySeconds(151)).toBe(159);
    expect(retry.delaySeconds(310)).toBe(0); // capped at 180 s: next run at 490
    expect(retry.delaySeconds(311)).toBe(179);
  });

  it('a failure more than 30 s after the last unpause starts a new cycle', () => {
    const retry = new IoErrorRetryState(config);
    expect(retry.delaySeconds(0)).toBe(0);
    expect(retry.delaySeconds(31)).toBe(0);
    expect(retry.delaySeconds(32)).toBe(9);
  });
});
