// Every word a daily digest says to a person, for every platform: its dated title, its headings,
// what an empty day says and how the quotes were chosen. The core hands over only what was chosen
// (src/digest/types.ts). Text here is plain; each platform escapes it as it escapes any other text.

const DIGEST_HEADLINE = 'US–Iran nuclear talks: daily briefing';
export const NEW_SINCE_HEADING = 'New since the last briefing';
export const POINTS_HEADING = 'Key points';
export const INDICATORS_HEADING = 'Indicators to watch';
export const NOTHING_TO_BRIEF = 'The sources have nothing to brief on for this date.';
export const QUOTED_VERBATIM = 'Every point is quoted word for word from the sources, with the outlet, date and section it comes from.';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-03-10" -> "Tuesday 10 March 2026": spelled out here, as Intl's wording varies with the ICU version. */
export function spelledDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "US–Iran nuclear talks: daily briefing, Tuesday 10 March 2026" */
export function digestTitle(date: string): string {
  return `${DIGEST_HEADLINE}, ${spelledDate(date)}`;
}

/** How a platform names itself and points to the full passages, for the line about left-out quotes. */
export interface DigestDialect {
  /** "Slack", as in "to fit one Slack message". */
  platform: string;
  /** Where the rest is: "ask me about any topic for the full passages". */
  fullPassages: string;
}

/** Said when a platform's message limits made us leave whole quotes out. */
export function leftOutNote(count: number, d: DigestDialect): string {
  return `${count} more quote${count === 1 ? '' : 's'} left out to fit one ${d.platform} message; ${d.fullPassages}.`;
}

/** "1 passage", "3 passages" */
export function passageCount(n: number): string {
  return `${n} passage${n === 1 ? '' : 's'}`;
}
