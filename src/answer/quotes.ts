// Which spans of the ranked passages are quoted: one or two adjacent sentences each, the best
// passage first, within the quote budget; every quote verified against its file text.
import type { Document, Quote, QuoteSpan, Span } from '../types.js';
import type { Retrieved } from './retrieved.js';
import { verifyQuotes } from './verify.js';

export const MAX_QUOTES = 3;
export const MAX_QUOTE_CHARS = 1200;
/** Longest two-sentence span; beyond it the best sentence is quoted alone. */
export const MAX_SPAN_CHARS = 600;
/** A passage's second sentence is quoted (after every passage's first) at this fraction of the top score. */
export const SECOND_SPAN_RATIO = 0.75;

/** A span following a chain of sentences that point back may run this much past MAX_SPAN_CHARS. */
const ANAPHORA_SPAN_FACTOR = 1.5;
/** A sentence opening that refers to the one before it. */
const ANAPHORIC_START = /^(?:This|That|These|Those|They|Their|It|Its|Such|Both|The (?:two|three|four|five|six|same|move|measure|decision|finding|statement|proposal|plan|bill)|He|She|His|Her)\b/;

/** The best span (one sentence, or two adjacent) of each passage, within the quote budget. */
export function pickQuotes(passages: Retrieved[], byId: ReadonlyMap<string, Document>, maxQuotes = MAX_QUOTES, maxChars = MAX_QUOTE_CHARS): Quote[] {
  // Each passage's best sentence, in passage order; then, where quotes are left, a passage's
  // second sentence that scores nearly as well (an analysis often states a point, then the reason
  // for it, two sentences on: "...the inclusion of Admiral Brad Cooper..." / "...reflects
  // Washington's belief that coercive pressure strengthens its hand").
  const firsts: { p: Retrieved; i: number }[] = [];
  const seconds: { p: Retrieved; i: number; score: number }[] = [];
  const top = passages[0]?.best ?? 0;
  for (const p of passages) {
    const order = p.sentences.map((x, i) => i).sort((a, b) => p.sentences[b].score - p.sentences[a].score);
    if (!order.length) continue;
    firsts.push({ p, i: order[0] });
    const second = order.find((i) => Math.abs(i - order[0]) > 1);
    if (second !== undefined && p.sentences[second].score >= top * SECOND_SPAN_RATIO) seconds.push({ p, i: second, score: p.sentences[second].score });
  }
  const quotes: QuoteSpan[] = [];
  let used = 0;
  const take = (p: Retrieved, bi: number) => {
    const doc = byId.get(p.chunk.document)!;
    const s = p.sentences;
    let start = s[bi].span.start;
    let end = s[bi].span.end;
    // The following sentence usually carries the specifics a leading sentence announces
    // ("two incidents underscored..." -> "On February 3, ..."), so it joins the quote when the
    // span stays short; a paragraph's last sentence takes the one before it instead, and so does a
    // sentence that points back ("The three foreign ministers urged...", "That finding..."): it
    // needs what it refers to.
    const text = byId.get(p.chunk.document)!.text;
    const refersBack = bi > 0 && ANAPHORIC_START.test(text.slice(s[bi].span.start, s[bi].span.start + 40));
    const next = refersBack ? s[bi - 1] : bi + 1 < s.length ? s[bi + 1] : bi > 0 ? s[bi - 1] : undefined;
    if (next && next.span.end - next.span.start + (end - start) <= MAX_SPAN_CHARS) {
      const ns = Math.min(start, next.span.start);
      const ne = Math.max(end, next.span.end);
      if (used + (ne - ns) <= maxChars && !quotes.some((x) => x.document === doc.id && x.start < ne && ns < x.end)) [start, end] = [ns, ne];
      // The sentence taken in front may point back too ("The three foreign ministers..." after
      // "European diplomats..."): then the one it refers to comes along, if the span stays short.
      const first = s.findIndex((x) => x.span.start === start);
      if (first > 0 && first < bi && ANAPHORIC_START.test(text.slice(start, start + 40))) {
        const ps = s[first - 1].span.start;
        if (end - ps <= MAX_SPAN_CHARS * ANAPHORA_SPAN_FACTOR && used + (end - ps) <= maxChars && !quotes.some((x) => x.document === doc.id && x.start < end && ps < x.end)) start = ps;
      }
    }
    // A paragraph that opens by pointing back ("That finding overturns the claim...") needs the
    // sentence that closes the paragraph before it: the quote then spans the paragraph break.
    if (start === s[bi].span.start && bi === 0 && ANAPHORIC_START.test(text.slice(start, start + 40))) {
      const before = sentenceBefore(doc, p.chunk.sectionIndex, start);
      if (before && end - before.start <= MAX_SPAN_CHARS * ANAPHORA_SPAN_FACTOR && used + (end - before.start) <= maxChars && !quotes.some((x) => x.document === doc.id && x.start < end && before.start < x.end)) start = before.start;
    }
    if (used + (end - start) > maxChars) return;
    if (quotes.some((x) => x.document === doc.id && x.start < end && start < x.end)) return;
    quotes.push({ text: doc.text.slice(start, end), document: doc.id, section: p.chunk.section, start, end });
    used += end - start;
  };
  // The best passage leads; the rest are taken by score, a strong second sentence before a
  // weaker passage.
  const rest = [...firsts.slice(1).map((f) => ({ ...f, score: f.p.sentences[f.i].score })), ...seconds].sort((a, b) => b.score - a.score);
  for (const { p, i } of [...firsts.slice(0, 1), ...rest]) {
    if (quotes.length >= maxQuotes) break;
    take(p, i);
  }
  return verifyQuotes(quotes, byId);
}

/** The last sentence of the paragraph before the one that starts at `start`, in the same section. */
function sentenceBefore(doc: Document, sectionIndex: number, start: number): Span | undefined {
  const paragraphs = doc.sections.find((x) => x.index === sectionIndex)?.paragraphs ?? [];
  const k = paragraphs.findIndex((para) => para.sentences[0]?.start === start);
  return k > 0 ? paragraphs[k - 1].sentences.at(-1) : undefined;
}

/**
 * When fewer quotes than the limit qualify, the room left goes to what follows them: each quote,
 * first one first, takes the next sentence of its paragraph while the quote and the total stay
 * within bounds. An analysis states a point and then its specifics ("What it contests is who
 * decides when the danger has passed." / "The IAEA has proposed that a neutral team...").
 */
export function fillRoom(quotes: Quote[], byId: ReadonlyMap<string, Document>, maxQuotes = MAX_QUOTES, maxChars = MAX_QUOTE_CHARS): Quote[] {
  if (!quotes.length || quotes.length >= maxQuotes) return quotes;
  let used = quotes.reduce((n, q) => n + q.text.length, 0);
  const out: Quote[] = [];
  for (const q of quotes) {
    const doc = byId.get(q.document);
    const paragraph = doc?.sections.flatMap((s) => s.paragraphs).find((p) => p.start <= q.start && q.end <= p.end);
    const next = paragraph?.sentences.find((s) => s.start >= q.end);
    const fits = next && next.end - q.start <= MAX_SPAN_CHARS * ANAPHORA_SPAN_FACTOR && used + (next.end - q.end) <= maxChars;
    const overlaps = next && quotes.some((o) => o !== q && o.document === q.document && o.start < next.end && next.start < o.end);
    if (doc && next && fits && !overlaps) {
      used += next.end - q.end;
      out.push({ ...q, text: doc.text.slice(q.start, next.end), end: next.end });
    } else out.push(q);
  }
  return verifyQuotes(out, byId);
}
