// Calendar maths for daily digests, done by croner in the subscription's own zone so daylight
// saving is croner's problem, not ours. These crons are never started (no callback): they only
// answer "when was / is the run" for a given instant, which keeps the scheduler clock-injectable.
import { Cron } from 'croner';

export interface DailySchedule {
  /** HH:MM local time. */
  time: string;
  /** IANA zone. */
  timeZone: string;
  weekdaysOnly: boolean;
}

export function cronPattern(s: DailySchedule): string {
  const [hh, mm] = s.time.split(':').map(Number);
  return `${mm} ${hh} * * ${s.weekdaysOnly ? '1-5' : '*'}`;
}

function calendar(s: DailySchedule): Cron {
  return new Cron(cronPattern(s), { timezone: s.timeZone, mode: '5-part' });
}

/**
 * The latest scheduled instant at or before `now`. croner's `previousRuns(n, ref)` is strictly
 * before `ref` at whole seconds (it steps back one second from ref, ms dropped: see
 * CronDate.decrement in node_modules/croner/dist/croner.js), so ask from the next whole second.
 *
 * On a spring-forward day a time inside the gap (01:30 Europe/London) runs an hour later by the
 * clock (02:30 BST); on a fall-back day a repeated time runs once, at its first occurrence.
 */
export function latestSlot(s: DailySchedule, now: Date): Date | undefined {
  const ref = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
  return calendar(s)
    .previousRuns(2, ref)
    .find((d) => d.getTime() <= now.getTime());
}

/**
 * `latestSlot` remembered per schedule: the answer only changes when `now` reaches the next run,
 * and croner's zone maths costs about 2 ms a call, which a tick per minute per channel would repeat.
 */
export class SlotCache {
  private readonly known = new Map<string, { slot?: Date; next?: Date; from: number }>();

  latest(s: DailySchedule, now: Date): Date | undefined {
    const key = `${s.timeZone} ${cronPattern(s)}`;
    const t = now.getTime();
    const hit = this.known.get(key);
    if (hit && t >= hit.from && (hit.next === undefined || t < hit.next.getTime())) return hit.slot;
    const slot = latestSlot(s, now);
    // Valid from the slot itself (or from now when there is none) until the next run.
    this.known.set(key, { slot, next: nextSlot(s, now), from: slot ? slot.getTime() : t });
    return slot;
  }
}

/** The first scheduled instant strictly after `after`. */
export function nextSlot(s: DailySchedule, after: Date): Date | undefined {
  return calendar(s).nextRun(after) ?? undefined;
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function localDate(instant: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Whole days since 1970-01-01 for a YYYY-MM-DD date: what digests rotate on. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}
