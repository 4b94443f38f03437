// The last gate before a quote reaches anyone: its text must be exactly the file text at its
// offsets. A quote that fails is dropped, never repaired; one that passes leaves stamped with its
// document's outlet and date, so every quote anyone sees says where and when it was written.
import type { Document, Quote, QuoteSpan } from '../types.js';

/** What the gate reads of a document: its text, and the outlet and date it stamps ("" when absent). */
export type QuotableDocument = Pick<Document, 'text'> & Partial<Pick<Document, 'source' | 'published'>>;

export function isVerified(q: QuoteSpan, documents: ReadonlyMap<string, QuotableDocument>): boolean {
  const doc = documents.get(q.document);
  return !!doc && q.start >= 0 && q.end > q.start && q.end <= doc.text.length && doc.text.slice(q.start, q.end) === q.text;
}

export function verifyQuotes(quotes: QuoteSpan[], documents: ReadonlyMap<string, QuotableDocument>): Quote[] {
  const out: Quote[] = [];
  for (const q of quotes) {
    if (!isVerified(q, documents)) continue;
    const doc = documents.get(q.document)!;
    // The document's stamp replaces any the quote carried in: the gate alone says where and when.
    out.push({ ...q, source: doc.source ?? '', published: doc.published ?? '' });
  }
  return out;
}
