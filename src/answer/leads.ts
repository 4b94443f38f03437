// The lead line above an answer's quotes: where they come from, and what the coverage level means
// for the reader ("The sources mention the Khorramshahr-4 but don't give its range."). Every word of
// it is made here; R2.3 moves this wording to the edge (adapters/shared).
import { formatDay } from '../text/dates.js';
import type { Coverage, Document, Quote } from '../types.js';

/** Each kind of fact a partial answer can lack, as the lead words it. */
const DETAIL_WORDS: Record<string, string> = {
  figure: 'a figure',
  date: 'a date',
  name: 'a name',
  names: 'the names',
  duration: 'how long it lasted',
  place: 'the exact place',
};

/**
 * What a partial answer lacks, as the rest of the lead's sentence: "don't give its range", "don't
 * give a figure", "say nothing about “prime minister”".
 */
function describeMissing(missing: string[], focus?: string): string {
  const asked = new Set((focus ?? '').toLowerCase().split(' / '));
  const given: string[] = [];
  const other: string[] = [];
  for (const m of missing) {
    if (DETAIL_WORDS[m]) given.push(DETAIL_WORDS[m]);
    else if (asked.has(m.toLowerCase())) given.push(`its ${m}`);
    else if (/^the .* themselves$/.test(m)) given.push(m);
    else other.push(`“${m}”`);
  }
  const list = (xs: string[]) => (xs.length <= 1 ? xs[0] : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);
  const parts = [given.length ? `don't give ${list(given)}` : '', other.length ? `say nothing about ${list(other)}` : ''].filter(Boolean);
  return parts.join(', and ') || "don't give that detail";
}

/** "From “Title” (Section; Section):" naming every document and section quoted, in order. */
export function sourcesLead(quotes: Quote[], byId: ReadonlyMap<string, Document>): string {
  const byDoc = new Map<string, string[]>();
  for (const q of quotes) {
    const s = byDoc.get(q.document) ?? [];
    if (!s.includes(q.section)) s.push(q.section);
    byDoc.set(q.document, s);
  }
  const parts = [...byDoc].map(([doc, sections]) => `“${byId.get(doc)?.title ?? doc}” (${sections.join('; ')})`);
  return `From ${parts.join(' and ')}:`;
}

/** "The sources disagree; the most recent is ... (2 Mar 2026)." */
export function disagreementLead(quotes: Quote[], byId: ReadonlyMap<string, Document>): string {
  const newest = byId.get(quotes[0].document);
  const who = newest?.source || `“${newest?.title ?? quotes[0].document}”`;
  return `The sources disagree; the most recent is ${who}${newest?.published ? ` (${formatDay(newest.published)})` : ''}, quoted first.`;
}

/** The lead line for each coverage level (R2.3 moves this wording to the edge). */
export function coverageLead(coverage: Coverage, quotes: Quote[], byId: ReadonlyMap<string, Document>, missing: string[], subject?: string, focus?: string): string {
  const from = sourcesLead(quotes, byId);
  if (coverage === 'partial') {
    const about = subject ? `mention ${subject}` : 'touch on this';
    return `The sources ${about} but ${describeMissing(missing, focus)}. ${from}`;
  }
  if (coverage === 'related') return `These are the closest passages; they may not answer the question exactly. ${from}`;
  return from;
}

/** "The newest source is quoted first; 2 others say the same." */
export function concurLead(others: number): string {
  return `The newest source is quoted first; ${others === 1 ? 'another says' : `${others} others say`} the same.`;
}
