// Time in a question, read against the documents' own dates, never the clock alone: "latest",
// "now", "still" favour newer analyses; "since X" keeps what was published after X (a date, or an
// event the sources date: "since the first Muscat round"); "in March", "on 14 March", "last week"
// name a span that dates written in the text and publication dates can fall in. Dates are parsed
// by chrono-node, anchored to the newest document's publication date.
import { createRequire } from 'node:module';

type Chrono = typeof import('chrono-node');
let chronoModule: Chrono | undefined;
/** Words a date expression needs: most questions have none, and chrono-node costs ~170 ms to load. */
const MAYBE_DATE = /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(?:yesterday|today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|ago)\b|\b(?:this|last|next|past)\s+(?:week|month|year|weekend|spring|summer|autumn|fall|winter)\b/i;

/** chrono-node's English parser, loaded on the first text that may hold a date. */
function parse(text: string, instant: Date): ReturnType<Chrono['en']['parse']> {
  if (!MAYBE_DATE.test(text)) return [];
  chronoModule ??= createRequire(import.meta.url)('chrono-node') as Chrono;
  return chronoModule.en.parse(text, { instant, timezone: 'UTC' });
}

export interface TimeScope {
  /** The question asks for the current state: newer documents first. */
  recent: boolean;
  /** Only documents published on or after this ISO date. */
  after?: string;
  /** The day or month the question asks about, inclusive ISO dates. */
  during?: { from: string; to: string };
  /** That span begins after the newest document was published: no source can report on it. */
  beyond?: boolean;
}

/** Words asking for the state of things now. */
const RECENT = /\b(?:latest|newest|most recent|recent(?:ly)?|now|right now|currently|current|still|these days|as of (?:now|today)|so far|any ?more|up to date|update)\b/i;
const SINCE = /\bsince\s+(.+?)(?=[?!.;]|,\s|\s+(?:and|but|or)\s|$)/i;

const iso = (d: Date) => d.toISOString().slice(0, 10);
/** The same day a year earlier: the last such month or day, where chrono-node took the coming one. */
function yearBefore(d: Date): Date {
  const out = new Date(d);
  out.setUTCFullYear(out.getUTCFullYear() - 1);
  return out;
}
const ORDINAL_DAY = /\b(?:on|by|before|after|until|till) the (\d{1,2})(?:st|nd|rd|th)\b(?! of)/i;

/**
 * `anchor` is the newest publication date among the documents (the "now" of "last week");
 * `dateOfEvent` finds the date the sources give an event ("the first Muscat round": 6 February);
 * `past`: the question asks what happened (intent.ts).
 */
export function readTime(question: string, anchor: string | undefined, dateOfEvent: (phrase: string) => string | undefined, past = false): TimeScope {
  const scope: TimeScope = { recent: RECENT.test(question) };
  const instant = anchor ? new Date(`${anchor}T12:00:00Z`) : new Date();
  const since = SINCE.exec(question);
  let rest = question;
  if (since) {
    rest = question.slice(0, since.index) + question.slice(since.index + since[0].length);
    const parsed = parse(since[1], instant)[0];
    let date = parsed ? iso(parsed.start.date()) : dateOfEvent(since[1]);
    // "Since" looks back: "since the June strikes", asked in March, means last June. chrono-node
    // reads a month without a year as this year's.
    if (parsed && date && anchor && date > anchor && !parsed.start.isCertain('year')) date = iso(yearBefore(parsed.start.date()));
    if (date) scope.after = date;
    // "What's new since ..." asks for the newest first, too.
    scope.recent = true;
  }
  const when = parse(rest, instant)[0];
  const day = when ? undefined : ORDINAL_DAY.exec(rest);
  if (day && anchor) {
    // "on the 24th": a day of the newest document's month, which chrono-node leaves unread.
    const d = `${anchor.slice(0, 8)}${day[1].padStart(2, '0')}`;
    const t = Date.parse(`${d}T00:00:00Z`);
    if (!Number.isNaN(t) && iso(new Date(t)) === d) scope.during = { from: d, to: d };
  }
  if (when) {
    let start = when.start.date();
    // A question about what happened ("did iran stop enriching after the june strikes?", `past`)
    // means the last June, as "since" does, when only a month is given; a day ("on 24 March")
    // stays the one after the newest document, which no source can have reported on.
    if (past && anchor && iso(start) > anchor && !when.start.isCertain('year') && !when.start.isCertain('day')) start = yearBefore(start);
    if (when.start.isCertain('day')) {
      const end = when.end && iso(when.end.date()) >= iso(start) ? when.end.date() : start;
      scope.during = { from: iso(start), to: iso(end) };
    } else if (when.start.isCertain('month')) {
      const from = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
      const to = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
      scope.during = { from: iso(from), to: iso(to) };
    }
  }
  if (scope.during && anchor && scope.during.from > anchor) scope.beyond = true;
  return scope;
}

/** The first date a text states, read relative to its document's publication date. */
export function firstDate(text: string, published: string | undefined): string | undefined {
  const instant = published ? new Date(`${published}T12:00:00Z`) : new Date();
  const r = parse(text, instant).find((x) => x.start.isCertain('day') && x.start.isCertain('month'));
  return r ? iso(r.start.date()) : undefined;
}


const MONTH_NAMES = ['jan(?:uary)?', 'feb(?:ruary)?', 'mar(?:ch)?', 'apr(?:il)?', 'may', 'june?', 'july?', 'aug(?:ust)?', 'sep(?:t(?:ember)?)?', 'oct(?:ober)?', 'nov(?:ember)?', 'dec(?:ember)?'];
const spanPatterns = new Map<string, RegExp>();

/** A pattern for the month names a span covers, and numeric dates. */
function spanMonths(span: { from: string; to: string }): RegExp {
  const key = `${span.from}\0${span.to}`;
  let re = spanPatterns.get(key);
  if (!re) {
    const months = new Set<number>();
    const [fy, fm] = span.from.split('-').map(Number);
    const [ty, tm] = span.to.split('-').map(Number);
    for (let y = fy, m = fm; (y < ty || (y === ty && m <= tm)) && months.size < 12; m === 12 ? ((m = 1), y++) : m++) months.add(m - 1);
    re = new RegExp(String.raw`\b(?:${[...months].map((m) => MONTH_NAMES[m]).join('|')})\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b`, 'i');
    if (spanPatterns.size > 1000) spanPatterns.clear();
    spanPatterns.set(key, re);
  }
  return re;
}

/** Dates a sentence states (month certain), by sentence and publication date: a bot rescores the same sentences. */
const statedDates = new Map<string, string[]>();
const STATED_DATES_LIMIT = 20_000;

/** True when the text states a date inside the span (relative to its document's publication date). */
export function mentionsDateIn(text: string, published: string | undefined, span: { from: string; to: string }): boolean {
  // Only a sentence naming one of the span's months (or writing a numeric date) can state a date in it.
  if (!spanMonths(span).test(text)) return false;
  const key = `${published ?? ''}\0${text}`;
  let dates = statedDates.get(key);
  if (!dates) {
    const instant = published ? new Date(`${published}T12:00:00Z`) : new Date();
    dates = parse(text, instant).filter((x) => x.start.isCertain('month')).map((x) => iso(x.start.date()));
    if (statedDates.size >= STATED_DATES_LIMIT) statedDates.clear();
    statedDates.set(key, dates);
  }
  return dates.some((d) => d >= span.from && d <= span.to);
}
