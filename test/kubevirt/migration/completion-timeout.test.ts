import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptableCompletionSeconds,
  dataSizeDecimalGigabytes,
  migrationDataBytes,
} from '../../../src/kubevirt/migration/completion-timeout.ts';
import { assertProperty } from '../../fast-check-seed.ts';
import { GiB } from './request-builders.ts';

// research/migration.md §3; kubevirt/kubevirt:pkg/virt-launcher/virtwrap/manager.go getVMIMigrationDataSize
describe('completion timeout = completionTimeoutPerGiB × ceil(data in decimal GB)', () => {
  it('"2 Gi → 3 → 450 s, and 4 Gi → 5 → 750 s at the default"', () => {
    expect(dataSizeDecimalGigabytes(2 * GiB)).toBe(3);
    expect(acceptableCompletionSeconds(150, 2 * GiB)).toBe(450);
    expect(acceptableCompletionSeconds(150, 4 * GiB)).toBe(750);
  });

  it('counts BlockMigration disk bytes with memory (1 Gi + 0.5 GB disk → 2 GB → 300 s)', () => {
    expect(acceptableCompletionSeconds(150, migrationDataBytes(GiB, 0.5e9))).toBe(300);
  });

  it('uses 800 s per GB on pre-1.4 profiles (Harvester docs: 8 Gi → 9 GB → 7,200 s)', () => {
    expect(acceptableCompletionSeconds(800, 8 * GiB)).toBe(7200);
  });

  it('property: the deadline covers the data at one GB per perGiB seconds and overshoots by less than one GB', () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 45 }),
        fc.integer({ min: 1, max: 1000 }),
        (bytes, perGiB) => {
          const seconds = acceptableCompletionSeconds(perGiB, bytes);
          expect(seconds % perGiB).toBe(0);
          expect(seconds).toBeGreaterThanOrEqual((perGiB * bytes) / 1e9);
          expect(seconds).toBeLessThan(perGiB * (bytes / 1e9 + 1));
        },
      ),
    );
  });
});
