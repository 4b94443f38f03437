// Verifying a model's reply and rewriting it: every quoted span is looked up in the sources and
// either replaced by the exact source text (becoming a quote with offsets) or removed and counted,
// along with a sentence whose claim rested only on removed spans. The reply is untrusted: nothing
// it puts in quotation marks reaches a user unless it was found, character for character (give
// or take whitespace and quote styles), in a source document.
import type { Passage, QuoteSpan } from '../types.js';
import { ALNUM, DOUBLE_ANY, MARKER_ANY, scanQuotes, type QuotePiece, type TextPiece } from './llm-quotes.js';
import { locate, type Located } from './locate.js';
import type { QuotableDocument } from './verify.js';

export const MAX_LIST_QUOTES = 3;
export const MAX_LIST_CHARS = 1200;
/** A quote of fewer words than this proves little (a word like "the" is found anywhere), so it never
 *  counts as the grounding of an answer and is not listed; it may still stay, verified, in the text. */
export const MIN_QUOTE_WORDS = 3;

/** What a reply's quotes may come from. */
export interface QuoteSources {
  /** Top retrieved passages (src/types.ts), numbered [1]..[n] for the model in this order. */
  passages: Passage[];
  /**
   * Document id -> file text + title, for verification. Every document here may be quoted. Its
   * outlet and date stamp the quotes unless the answerer was given a `corpus`.
   */
  documents: Map<string, { text: string; title: string } & Partial<Pick<QuotableDocument, 'source' | 'published'>>>;
  /**
   * Optional: the section title at an offset of a document. Used for a quote found outside every
   * given passage; without it such a quote gets the document title as its section.
   */
  sectionOf?: (document: string, offset: number) => string | undefined;
}

interface Found {
  document: string;
  start: number;
  end: number;
  /** Punctuation the model put inside the closing mark that the source doesn't have there; it is
   *  moved after the quote ("the process," she said -> "the process", she said). */
  after: string;
}

/** The span as written, then without ellipses at its edges, then also without a trailing comma or
 *  full stop: common ways a faithful quotation ends differently from its source sentence. The
 *  shortened forms only ever quote less of the source, never something else. */
function candidates(inner: string): Array<{ text: string; after: string }> {
  const out = [{ text: inner.trim(), after: '' }];
  const noEllipsis = inner.trim().replace(/^(?:\.\.\.|\u2026)\s*/u, '').replace(/\s*(?:\.\.\.|\u2026)$/u, '');
  if (noEllipsis && noEllipsis !== out[0]!.text) out.push({ text: noEllipsis, after: '' });
  const punct = /[.,;:!?]$/.exec(noEllipsis);
  if (punct && noEllipsis.length > 1) out.push({ text: noEllipsis.slice(0, -1).trimEnd(), after: punct[0] });
  return out.filter((c) => c.text.length > 0);
}

function findInSources(inner: string, markers: number[], input: QuoteSources): Found | null {
  // Cited passage's document first (an occurrence inside that passage wins), then the documents
  // of the other passages, then every document.
  const order: Array<{ id: string; near?: Located }> = [];
  for (const n of markers) {
    const p = input.passages[n - 1];
    if (p) order.push({ id: p.document, near: p });
  }
  for (const p of input.passages) order.push({ id: p.document, near: p });
  for (const id of input.documents.keys()) order.push({ id });
  for (const c of candidates(inner)) {
    const seen = new Set<string>();
    for (const { id, near } of order) {
      if (seen.has(id)) continue;
      seen.add(id);
      const doc = input.documents.get(id);
      if (!doc) continue;
      const loc = locate(c.text, doc.text, near);
      if (loc) return { document: id, start: loc.start, end: loc.end, after: c.after };
    }
  }
  return null;
}

function sectionFor(input: QuoteSources, f: Found): string {
  const named = input.sectionOf?.(f.document, f.start);
  if (named) return named;
  const inside = input.passages.find((p) => p.document === f.document && p.start <= f.start && f.end <= p.end);
  return inside?.section ?? input.documents.get(f.document)?.title ?? f.document;
}

/** Quotation marks to wrap a source text in so that re-scanning reads back exactly that text. */
function wrapFor(text: string): [string, string] | null {
  if (!text.includes('"')) return ['"', '"'];
  if (!/[\u201C\u201D]/.test(text)) return ['\u201C', '\u201D'];
  if (!/[\u00AB\u00BB]/.test(text)) return ['\u00AB', '\u00BB'];
  return null;
}

const wordCount = (s: string) => s.split(/\s+/).filter((w) => ALNUM.test(w)).length;

type Checked = TextPiece | (QuotePiece & { found: Found | null; wrap: [string, string] | null; listed?: number });

/** Groups pieces into sentences (ends: . ! ? before a space, or a line break, in plain text). */
function sentences(pieces: Checked[]): Checked[][] {
  const out: Checked[][] = [];
  let current: Checked[] = [];
  for (const p of pieces) {
    if (p.kind !== 'text') {
      current.push(p);
      continue;
    }
    let rest = p.text;
    const end = /[.!?]+(?=\s|$)\s*|\n\s*/g;
    let m: RegExpExecArray | null;
    while ((m = end.exec(rest))) {
      current.push({ kind: 'text', text: rest.slice(0, m.index + m[0].length) });
      out.push(current);
      current = [];
      rest = rest.slice(m.index + m[0].length);
      end.lastIndex = 0;
      if (!rest) break;
    }
    if (rest) current.push({ kind: 'text', text: rest });
  }
  if (current.length) out.push(current);
  return out;
}

/** Tidies what removals leave behind (double spaces, a space before a comma, empty brackets) on
 *  text where each verified quote is an opaque placeholder, so quoted text is never touched. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n[ \t]+/g, '\n')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+([,.;:!?])/g, '$1')
    .replace(/([,;:])(?=[.!?](?:\s|$))/g, '')
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/^[ \t]*[,.;:!?]+[ \t]*/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface Rewritten {
  answer: string;
  quotes: QuoteSpan[];
  dropped: number;
  /** Source texts of every verified span left in the answer. */
  allowed: Set<string>;
}

/** The reply with every quoted span verified or removed, and the quotes to list under it. */
export function rewriteReply(reply: string, input: QuoteSources): Rewritten {
  // A Markdown blockquote line would render as a quotation in Slack and Discord: unmark it, so
  // its text is plain text and any quotation marks in it are checked like the rest.
  // NUL is removed because the rewriting below uses it to mark where verified quotes go.
  const { pieces } = scanQuotes(reply.replace(/\u0000/g, '').replace(/^[ \t]*>+[ \t]?/gm, ''));
  let dropped = 0;
  const checked: Checked[] = [];
  for (const p of pieces) {
    if (p.kind === 'text') {
      checked.push({ kind: 'text', text: p.text.replace(MARKER_ANY, '') });
      continue;
    }
    if (!p.inner.trim() || p.inner.replace(/[\s\p{P}]/gu, '') === '') continue;
    const found = findInSources(p.inner, p.markers, input);
    const wrap = found ? wrapFor(input.documents.get(found.document)!.text.slice(found.start, found.end)) : null;
    if (!found || !wrap) dropped++;
    checked.push({ ...p, found: wrap ? found : null, wrap });
  }

  // The listed quotes: substantial ones, in answer order, de-duplicated, within the size budget.
  const quotes: QuoteSpan[] = [];
  let chars = 0;
  for (const p of checked) {
    if (p.kind === 'text' || !p.found) continue;
    const f = p.found;
    const text = input.documents.get(f.document)!.text.slice(f.start, f.end);
    const same = quotes.findIndex((q) => q.document === f.document && q.start <= f.start && f.end <= q.end);
    if (same >= 0) {
      p.listed = same;
      continue;
    }
    if (wordCount(text) < MIN_QUOTE_WORDS || quotes.length >= MAX_LIST_QUOTES || chars + text.length > MAX_LIST_CHARS) continue;
    quotes.push({ text, document: f.document, section: sectionFor(input, f), start: f.start, end: f.end });
    chars += text.length;
    p.listed = quotes.length - 1;
  }

  const rendered: string[] = [];
  const allowed = new Set<string>();
  const slots: string[] = [];
  for (const sentence of sentences(checked)) {
    const verified = sentence.some((p) => p.kind === 'quote' && p.found);
    const failed = sentence.some((p) => p.kind === 'quote' && !p.found);
    if (failed && !verified) {
      // The sentence's claim rested only on invented quotes: it goes with them.
      const last = sentence.at(-1);
      rendered.push(last?.kind === 'text' && /\n\s*$/.test(last.text) ? '\n' : ' ');
      continue;
    }
    for (const p of sentence) {
      if (p.kind === 'text') {
        rendered.push(p.text.replace(DOUBLE_ANY, ''));
      } else if (p.found && p.wrap) {
        const text = input.documents.get(p.found.document)!.text.slice(p.found.start, p.found.end);
        allowed.add(text);
        const marker = p.listed !== undefined ? ` [${p.listed + 1}]` : '';
        slots.push(`${p.wrap[0]}${text}${p.wrap[1]}`);
        rendered.push(`\u0000${slots.length - 1}\u0000${p.found.after}${marker}`);
      }
    }
  }
  const answer = tidy(rendered.join('')).replace(/\u0000(\d+)\u0000/g, (_, k: string) => slots[Number(k)]!);
  return { answer, quotes, dropped, allowed };
}
