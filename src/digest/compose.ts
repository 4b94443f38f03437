// Builds a day's Digest from whatever knows the corpus (the engine implements `DigestSource`).
// Pure: the same date, corpus and previous hashes always give the same digest, so two processes
// or a re-run of `briefbot digest --date` agree on what a channel got.
import type { Quote, SourceInfo, Topic } from '../types.js';
import type { Digest, DigestNewDocument, DigestPoint } from './types.js';
import { dayNumber, isCalendarDate } from './schedule.js';
import { newestFirst } from '../text/dates.js';

/** The topic whose passages feed "Indicators to watch" rather than a point of its own. */
export const INDICATORS_TOPIC_ID = 'indicators';

/** What composition needs from the corpus. Every quote must already be verified verbatim. */
export interface DigestSource {
  /** The briefing topics, in the order the digest lists them (one with id "indicators" is not a point). */
  topics(): Topic[];
  /** A topic's passages as quotes, strongest first ([] when the corpus does not cover it). */
  topicQuotes(topicId: string): Quote[];
  /** Passages naming what to watch next, strongest first; [] when the sources name none. */
  indicatorQuotes(): Quote[];
  sources(): SourceInfo[];
  /** Document id -> content hash. */
  documentHashes(): Record<string, string>;
  /** A document's `n` most representative passages, in reading order or best first. */
  documentQuotes(documentId: string, n: number): Quote[];
}

export interface ComposeOptions {
  /** YYYY-MM-DD: the channel's local date. */
  date: string;
  /** Hashes as of the channel's previous digest; absent for a first digest (nothing is "new"). */
  previous?: Record<string, string>;
}

export const MAX_POINTS = 6;
/** How many of a topic's strongest passages the daily rotation walks through. */
export const ROTATION_DEPTH = 5;
export const MAX_INDICATORS = 5;
export const MAX_NEW_DOCUMENTS = 5;
export const QUOTES_PER_NEW_DOCUMENT = 2;

function overlaps(a: Quote, b: Quote): boolean {
  return a.document === b.document && a.start < b.end && b.start < a.end;
}

/** Documents whose hash is new or different from `previous`, in the order `/sources` lists them (newest first). */
export function changedDocuments(current: Record<string, string>, previous: Record<string, string> | undefined, sources: SourceInfo[]): SourceInfo[] {
  if (!previous) return [];
  return newestFirst(sources.filter((s) => current[s.id] !== undefined && previous[s.id] !== current[s.id]));
}

/**
 * Picks the topic's quote for the day: the strongest passages in turn, one step a day, skipping
 * any that repeat text already in the digest. When every candidate repeats, the day's pick is kept
 * so that no covered topic drops out.
 */
function pickForDay(ranked: Quote[], day: number, used: Quote[]): Quote | undefined {
  const pool = ranked.slice(0, ROTATION_DEPTH);
  if (pool.length === 0) return undefined;
  const start = ((day % pool.length) + pool.length) % pool.length;
  for (let i = 0; i < pool.length; i++) {
    const q = pool[(start + i) % pool.length];
    if (!used.some((u) => overlaps(u, q))) return q;
  }
  return pool[start];
}

export function composeDigest(source: DigestSource, options: ComposeOptions): Digest {
  if (!isCalendarDate(options.date)) throw new RangeError(`digest date must be a real date written YYYY-MM-DD, got "${options.date}"`);
  const day = dayNumber(options.date);
  const sources = source.sources();
  const used: Quote[] = [];

  const newSince: DigestNewDocument[] = changedDocuments(source.documentHashes(), options.previous, sources)
    .slice(0, MAX_NEW_DOCUMENTS)
    .map((document) => {
      const quotes = source.documentQuotes(document.id, QUOTES_PER_NEW_DOCUMENT);
      used.push(...quotes);
      return { document, quotes };
    });

  const points: DigestPoint[] = [];
  for (const topic of source.topics()) {
    if (points.length >= MAX_POINTS) break;
    if (topic.id === INDICATORS_TOPIC_ID) continue;
    const quote = pickForDay(source.topicQuotes(topic.id), day, used);
    if (!quote) continue;
    used.push(quote);
    points.push({ topic, quote });
  }

  // Indicators are kept even when a new document already quotes them: the section must not vanish
  // on the day its source changes. They only avoid repeating a point or each other.
  const indicators: Quote[] = [];
  const pointQuotes = points.map((p) => p.quote);
  for (const q of source.indicatorQuotes()) {
    if (indicators.length >= MAX_INDICATORS) break;
    if ([...pointQuotes, ...indicators].some((u) => overlaps(u, q))) continue;
    used.push(q);
    indicators.push(q);
  }

  const byId = new Map(sources.map((s) => [s.id, s.title]));
  const titles: Record<string, string> = {};
  for (const q of used) titles[q.document] = byId.get(q.document) ?? q.document;

  return { date: options.date, newSince, points, indicators, titles };
}
