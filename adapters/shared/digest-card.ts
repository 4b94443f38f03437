// A Digest as the platform-neutral card every edge lays out, every word it says, and its fitting
// into one platform message: one message keeps a day's digest atomic (one post, one message id, as
// the once-a-day claim records), so where a platform's limits cannot hold it all, whole quotes are
// left out, in the same order everywhere, rather than the digest split or a quote cut silently.
import type { Digest } from '../../src/digest/types.js';
import { byline } from '../../src/text/attribution.js';
import type { Quote } from '../../src/types.js';
import { counted, quoteAttribution, sourcesFooter } from './card.js';

export const NEW_SINCE_HEADING = 'New since the last briefing';
export const POINTS_HEADING = 'Key points';
export const INDICATORS_HEADING = 'Indicators to watch';
const NOTHING_TO_BRIEF = 'The sources have nothing to brief on for this date.';
const QUOTED_VERBATIM = 'Every point is quoted word for word from the sources, with the outlet, date and section it comes from.';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-03-10" -> "Tuesday 10 March 2026": spelled out here, as Intl's wording varies with the ICU version. */
export function spelledDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function digestTitle(date: string): string {
  return `US–Iran nuclear talks: daily briefing, ${spelledDate(date)}`;
}

export const passageCount = (n: number) => counted(n, 'passage');

/** How a platform names itself and points to the full passages, for the line about left-out quotes. */
export interface DigestDialect {
  /** "Slack", as in "to fit one Slack message". */
  platform: string;
  /** Where the rest is: "ask me about any topic for the full passages". */
  fullPassages: string;
}

const leftOutNote = (count: number, d: DigestDialect) => `${counted(count, 'more quote')} left out to fit one ${d.platform} message; ${d.fullPassages}.`;

export interface DigestCardQuote {
  /** Names the quote's place in the digest ("new:0:1", "point:2"), so a fitted card can leave it out. */
  slot: string;
  quote: Quote;
  /** "Tidewater Gulf Monitor, 10 Mar 2026 · Section" */
  attribution: string;
}

export interface DigestCardPoint extends DigestCardQuote {
  /** The briefing topic the point quotes. */
  label: string;
}

export interface DigestCardDocument {
  title: string;
  /** "Tidewater Gulf Monitor, 10 Mar 2026", or "" when neither is known. */
  byline: string;
  quotes: DigestCardQuote[];
}

export interface DigestCard {
  title: string;
  /** Said instead of any section when the digest has nothing at all. */
  nothing?: string;
  /** How the quotes were chosen; absent when there is nothing. */
  method?: string;
  /** Listed whenever documents are new, even when none of their quotes fit. */
  newSince?: { heading: string; documents: DigestCardDocument[] };
  points?: { heading: string; quotes: DigestCardPoint[] };
  indicators?: { heading: string; quotes: DigestCardQuote[] };
  /** "Sources: A; B" naming the documents of the quotes shown. */
  sources?: string;
  /** Quotes a platform's limits left out, and the line saying so. */
  leftOut?: { count: number; note: string };
}

/** The card of the whole digest, or without the `omitted` slots (saying how many, in the platform's words). */
export function digestCard(d: Digest, fit?: { omitted: ReadonlySet<string>; dialect: DigestDialect }): DigestCard {
  const shown = (q: DigestCardQuote) => !fit?.omitted.has(q.slot);
  const cardQuote = (quote: Quote, slot: string): DigestCardQuote => ({ slot, quote, attribution: quoteAttribution(quote, d.titles) });

  const documents = d.newSince.map((n, i) => ({
    title: n.document.title,
    byline: byline(n.document.source, n.document.published),
    quotes: n.quotes.map((q, j) => cardQuote(q, `new:${i}:${j}`)).filter(shown),
  }));
  const points = d.points.map((p, i): DigestCardPoint => ({ ...cardQuote(p.quote, `point:${i}`), label: p.topic.label })).filter(shown);
  const indicators = d.indicators.map((q, i) => cardQuote(q, `indicator:${i}`)).filter(shown);
  const quotes = [...documents.flatMap((doc) => doc.quotes), ...points, ...indicators].map((q) => q.quote);
  const nothing = !d.newSince.length && !d.points.length && !d.indicators.length;
  const omitted = fit?.omitted.size ?? 0;

  return {
    title: digestTitle(d.date),
    ...(nothing ? { nothing: NOTHING_TO_BRIEF } : { method: QUOTED_VERBATIM }),
    ...(documents.length ? { newSince: { heading: NEW_SINCE_HEADING, documents } } : {}),
    ...(points.length ? { points: { heading: POINTS_HEADING, quotes: points } } : {}),
    ...(indicators.length ? { indicators: { heading: INDICATORS_HEADING, quotes: indicators } } : {}),
    sources: sourcesFooter(quotes, d.titles),
    ...(fit && omitted ? { leftOut: { count: omitted, note: leftOutNote(omitted, fit.dialect) } } : {}),
  };
}

// The digest's items, least important first: extra passages of new documents, extra indicators, the
// lead passage of all but the newest document (each stays listed by title), points beyond three, then
// the rest. `fresh` holds each new document's items, newest first.
export function dropOrder<T>(fresh: T[][], points: T[], indicators: T[]): T[] {
  const lastFirst = (xs: T[]) => [...xs].reverse();
  return [
    ...lastFirst(fresh.flatMap((qs) => qs.slice(1))),
    ...lastFirst(indicators.slice(1)),
    ...lastFirst(fresh.slice(1).flatMap((qs) => qs.slice(0, 1))),
    ...lastFirst(points.slice(3)),
    ...indicators.slice(0, 1),
    ...lastFirst(points.slice(1, 3)),
    ...fresh.slice(0, 1).flatMap((qs) => qs.slice(0, 1)),
    ...points.slice(0, 1),
  ];
}

// The card with the fewest quotes left out, least important first, that `measure`s `limit` or under;
// when even the card without any quote measures more, that card is returned.
export function fitWithin(d: Digest, dialect: DigestDialect, limit: number, measure: (card: DigestCard) => number): DigestCard {
  let card = digestCard(d);
  const order = dropOrder<DigestCardQuote>(card.newSince?.documents.map((doc) => doc.quotes) ?? [], card.points?.quotes ?? [], card.indicators?.quotes ?? []);
  const omitted = new Set<string>();
  for (const quote of order) {
    if (measure(card) <= limit) break;
    omitted.add(quote.slot);
    card = digestCard(d, { omitted, dialect });
  }
  return card;
}
