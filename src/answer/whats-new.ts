// "What's new since the first round?", "What happened in March?": questions that ask for a span of
// time rather than a subject. Their answer is what the documents in the span say: the sentences
// that state a date in the asked span, else the opening point of each document published since,
// newest first.
import type { Document, Quote } from '../types.js';
import { newestFirst } from '../text/dates.js';
import type { TimeScope } from './time.js';
import { mentionsDateIn } from './time.js';
import type { TopicIndex } from './topics.js';
import { verifyQuotes } from './verify.js';
import { MAX_QUOTE_CHARS, MAX_QUOTES } from './quotes.js';

export function whatsNew(documents: readonly Document[], time: TimeScope, topics: TopicIndex): Quote[] {
  const inScope = newestFirst(documents.filter((d) => !time.after || (d.published && d.published >= time.after)));
  const quotes: Quote[] = [];
  let used = 0;
  if (time.during) {
    for (const d of inScope) {
      for (const section of d.sections) {
        for (const p of section.paragraphs) {
          for (const s of p.sentences) {
            if (quotes.length >= MAX_QUOTES) break;
            const text = d.text.slice(s.start, s.end);
            if (used + text.length > MAX_QUOTE_CHARS) continue;
            if (!mentionsDateIn(text, d.published, time.during)) continue;
            used += text.length;
            quotes.push({ text, document: d.id, section: section.title, start: s.start, end: s.end, source: d.source, published: d.published });
          }
        }
      }
    }
    return verifyQuotes(quotes, new Map(documents.map((d) => [d.id, d])));
  }
  for (const d of inScope) {
    if (quotes.length >= MAX_QUOTES) break;
    const first = d.sections[0];
    if (!first) continue;
    const lead = topics.sectionQuotes([{ document: d.id, sectionIndex: first.index, title: first.title, score: 1 }], 1);
    const size = lead.reduce((n, q) => n + q.text.length, 0);
    if (used + size > MAX_QUOTE_CHARS) continue;
    quotes.push(...lead);
    used += size;
  }
  return quotes;
}
