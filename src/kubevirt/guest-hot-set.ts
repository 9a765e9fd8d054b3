import { measuredGuestGeometry } from './migration/guest-geometry.ts';

/**
 * The measured guest geometry (`measuredGuestGeometry`) for a guest whose writer dirties
 * `dirtyPagesPerSecond`. The hot set's per-working-set term is the page tables of the working set
 * (1/512 of its pages): the calibration campaign fitted it on syncs whose interval covered the whole
 * working set while the writer walked it (src/kubevirt/defaults.ts, hotSetPagesPerWorkingSetPage).
 * A guest with no writer (dirty rate 0) walks none of its working set, so none of those page tables
 * are written again: only the kernel's base hot set remains.
 *
 * Without this, an idle 32 GiB guest (16 GiB working set) re-marked 11,119 pages (45.5 MB) at every
 * sync whatever its throttle, above the 37.5 MB that 1 Gb/s × 300 ms allows, and never converged.
 * For a writer slower than its working set per sync the full term is still applied (an overestimate);
 * scaling it with the pages written per interval belongs in the pre-copy machine's sync.
 */
export function writerGuestGeometry(
  workingSetBytes: number,
  dirtyPagesPerSecond: number,
): ReturnType<typeof measuredGuestGeometry> {
  return measuredGuestGeometry(dirtyPagesPerSecond > 0 ? workingSetBytes : 0);
}
