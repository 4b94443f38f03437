// A Digest as the platform-neutral card every edge lays out: the dated title, "New since the last
// briefing" with each document's title, outlet and date, the key points labelled by topic, the
// indicators, and the notes, all worded once (digest-wording.ts). Slack's blocks, Discord's embeds
// and the terminal text are layouts of this card; digest-fit.ts makes smaller ones when a
// platform's limits cannot hold it all.
import type { Digest } from '../../src/digest/types.js';
import type { Quote } from '../../src/types.js';
import { documentByline, quoteAttribution } from './attribution.js';
import {
  digestTitle,
  INDICATORS_HEADING,
  leftOutNote,
  NEW_SINCE_HEADING,
  NOTHING_TO_BRIEF,
  POINTS_HEADING,
  QUOTED_VERBATIM,
  type DigestDialect,
} from './digest-wording.js';
import { sourcesFooter } from './wording.js';

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

/** The slots of a digest's quotes by part: each new document's, the points', the indicators'. */
export function digestSlots(d: Digest): { fresh: string[][]; points: string[]; indicators: string[] } {
  return {
    fresh: d.newSince.map((n, i) => n.quotes.map((_, j) => `new:${i}:${j}`)),
    points: d.points.map((_, i) => `point:${i}`),
    indicators: d.indicators.map((_, i) => `indicator:${i}`),
  };
}

/** The card of the whole digest, or without the `omitted` slots (saying how many, in the platform's words). */
export function digestCard(d: Digest, fit?: { omitted: ReadonlySet<string>; dialect: DigestDialect }): DigestCard {
  const slots = digestSlots(d);
  const shown = (slot: string) => !fit?.omitted.has(slot);
  const cardQuote = (quote: Quote, slot: string): DigestCardQuote => ({ slot, quote, attribution: quoteAttribution(quote, d.titles) });

  const documents = d.newSince.map((n, i) => ({
    title: n.document.title,
    byline: documentByline(n.document),
    quotes: n.quotes.map((q, j) => cardQuote(q, slots.fresh[i][j])).filter((q) => shown(q.slot)),
  }));
  const points = d.points.map((p, i): DigestCardPoint => ({ ...cardQuote(p.quote, slots.points[i]), label: p.topic.label })).filter((q) => shown(q.slot));
  const indicators = d.indicators.map((q, i) => cardQuote(q, slots.indicators[i])).filter((q) => shown(q.slot));
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
