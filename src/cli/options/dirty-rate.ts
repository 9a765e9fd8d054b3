/** `migrate --dirty-rate`: how fast the guest dirties memory, in 4 KiB pages per second. */
import { parseBandwidthBytesPerSecond, UnitError } from '../../scenario/units.ts';

const expected = 'a dirty rate in 4 KiB pages/s such as 4000, or a byte rate such as 20MiB/s';

/** A bare number (or "<n>pps", "<n>pages/s") is pages per second; a bandwidth is divided by the page size. */
export function parseDirtyPagesPerSecond(text: string, pageSizeBytes = 4096): number {
  const pages = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:pps|pages\/s)?\s*$/.exec(text);
  if (pages !== null) return Number(pages[1]);
  try {
    return parseBandwidthBytesPerSecond(text) / pageSizeBytes;
  } catch (error) {
    if (error instanceof UnitError) throw new UnitError(expected, text, error.detail);
    throw error;
  }
}
