/**
 * When systemd's fstrim.timer elapses (systemd.timer(5): OnCalendar, AccuracySec, RandomizedDelaySec;
 * util-linux sys-utils/fstrim.timer). Pure: times are Unix seconds (UTC).
 *
 * - `OnCalendar=weekly` is `Mon *-*-* 00:00:00`.
 * - AccuracySec: the elapse lands inside [calendar, calendar + accuracy) at a host-specific, stable
 *   position (`accuracyOffsetSeconds`, drawn once per VM).
 * - RandomizedDelaySec: a fresh uniform delay in [0, RandomizedDelaySec) each time.
 */
import { WEEKLY_CALENDAR } from './defaults.ts';

export const WEEK_SECONDS = WEEKLY_CALENDAR.weekSeconds.value;
/** 1970-01-05 00:00 UTC was a Monday. */
const FIRST_MONDAY_EPOCH_SECONDS = WEEKLY_CALENDAR.firstMondayEpochSeconds.value;

/** The first Monday 00:00 UTC strictly after `epochSeconds`. */
export function nextWeeklyCalendarPoint(epochSeconds: number): number {
  const weeks = Math.floor((epochSeconds - FIRST_MONDAY_EPOCH_SECONDS) / WEEK_SECONDS) + 1;
  return FIRST_MONDAY_EPOCH_SECONDS + weeks * WEEK_SECONDS;
}

/** The last Monday 00:00 UTC at or before `epochSeconds`. */
export function previousWeeklyCalendarPoint(epochSeconds: number): number {
  const weeks = Math.floor((epochSeconds - FIRST_MONDAY_EPOCH_SECONDS) / WEEK_SECONDS);
  return FIRST_MONDAY_EPOCH_SECONDS + weeks * WEEK_SECONDS;
}

export function elapseAfter(
  epochSeconds: number,
  accuracyOffsetSeconds: number,
  randomizedDelaySeconds: number,
): number {
  return nextWeeklyCalendarPoint(epochSeconds) + accuracyOffsetSeconds + randomizedDelaySeconds;
}
