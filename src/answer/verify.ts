// The last gate before a quote reaches anyone: its text must be exactly the file text at its
// offsets. A quote that fails is dropped, never repaired.
import type { Document, Quote } from '../types.js';

export function isVerified(q: Quote, documents: ReadonlyMap<string, Document>): boolean {
  const doc = documents.get(q.document);
  return !!doc && q.start >= 0 && q.end > q.start && q.end <= doc.text.length && doc.text.slice(q.start, q.end) === q.text;
}

export function verifyQuotes(quotes: Quote[], documents: ReadonlyMap<string, Document>): Quote[] {
  return quotes.filter((q) => isVerified(q, documents));
}
