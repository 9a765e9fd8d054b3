import { describe, expect, it } from 'vitest';
import { nextWeeklyCalendarPoint, previousWeeklyCalendarPoint } from '../../src/guest/fstrim-timer.ts';

// util-linux sys-utils/fstrim.timer: OnCalendar=weekly, i.e. "Mon *-*-* 00:00:00" (systemd.time(7)).
// KB the_potential_risk_with_filesystem_trim shows "Trigger: Mon 2024-04-01 01:00:06 UTC".

const WED_2024_04_03 = Date.UTC(2024, 3, 3) / 1000;
const MON_2024_04_01 = Date.UTC(2024, 3, 1) / 1000;
const MON_2024_04_08 = Date.UTC(2024, 3, 8) / 1000;

describe('OnCalendar=weekly is Monday 00:00', () => {
  it('the next point after a Wednesday is the following Monday', () => {
    expect(nextWeeklyCalendarPoint(WED_2024_04_03)).toBe(MON_2024_04_08);
    expect(previousWeeklyCalendarPoint(WED_2024_04_03)).toBe(MON_2024_04_01);
  });

  it('at Monday 00:00 exactly, that point is the previous one and the next is a week later', () => {
    expect(previousWeeklyCalendarPoint(MON_2024_04_01)).toBe(MON_2024_04_01);
    expect(nextWeeklyCalendarPoint(MON_2024_04_01)).toBe(MON_2024_04_08);
  });
});
