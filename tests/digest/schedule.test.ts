import { describe, expect, it } from 'vitest';
import { cronPattern, isCalendarDate, latestSlot, localDate, nextSlot, SlotCache } from '../../src/digest/schedule.js';

describe('schedule maths', () => {
  const london = { time: '08:00', timeZone: 'Europe/London', weekdaysOnly: false };

  it('writes the cron pattern croner runs', () => {
    expect(cronPattern(london)).toBe('0 8 * * *');
    expect(cronPattern({ time: '17:05', timeZone: 'UTC', weekdaysOnly: true })).toBe('5 17 * * 1-5');
  });

  it('finds the latest run at or before an instant, inclusive of the run itself', () => {
    expect(latestSlot(london, new Date('2026-03-29T07:00:00.000Z'))?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(latestSlot(london, new Date('2026-03-29T06:59:59.999Z'))?.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(latestSlot(london, new Date('2026-03-29T07:00:00.500Z'))?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(nextSlot(london, new Date('2026-03-29T07:00:00.000Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('the cache answers exactly as croner does, every 37 minutes across a DST change', () => {
    const cache = new SlotCache();
    const schedules = [london, { time: '01:30', timeZone: 'Europe/London', weekdaysOnly: true }];
    for (let t = Date.parse('2026-03-27T00:00:00Z'); t < Date.parse('2026-03-31T00:00:00Z'); t += 37 * 60_000 + 13_000) {
      for (const s of schedules) expect(cache.latest(s, new Date(t))).toEqual(latestSlot(s, new Date(t)));
    }
    // and when the clock goes backwards
    expect(cache.latest(london, new Date('2026-03-01T12:00:00Z'))?.toISOString()).toBe('2026-03-01T08:00:00.000Z');
  });

  it('dates instants in the channel’s zone', () => {
    expect(localDate(new Date('2026-03-09T22:00:00Z'), 'Asia/Tokyo')).toBe('2026-03-10');
    expect(localDate(new Date('2026-03-09T22:00:00Z'), 'America/New_York')).toBe('2026-03-09');
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-3-1')).toBe(false);
  });
});
