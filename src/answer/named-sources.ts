// A question that names an outlet ("What did Tidewater Gulf Monitor report about ...?") or a
// document by its title is answered from those documents. An outlet is named when the question
// holds the words of its name that no other document's outlet shares, capitalised or at least two
// of them: "monitor" as a verb names nothing. A title is named when most of its words are there.
import { terms, tokenize } from '../text/tokens.js';
import type { Document } from '../types.js';

export interface NamedSource {
  /** Document ids of the named outlet. */
  documents: string[];
  /** The outlet as its documents write it. */
  name: string;
  /** The question without the outlet's name, for retrieval and scoring. */
  rest: string;
}

interface Outlet {
  name: string;
  stems: Set<string>;
  documents: string[];
}

interface NameIndex {
  outlets: Outlet[];
  /** How many outlets use each stem of their names. */
  count: Map<string, number>;
  /** Each document's distinct title stems. */
  titles: { doc: Document; words: string[] }[];
}

/** Outlets and titles, tokenised once per set of documents (a corpus may hold hundreds). */
const indexes = new WeakMap<readonly Document[], NameIndex>();

function nameIndex(documents: readonly Document[]): NameIndex {
  let index = indexes.get(documents);
  if (!index) {
    const outlets = new Map<string, Outlet>();
    for (const d of documents) {
      if (!d.source) continue;
      const key = d.source.toLowerCase();
      const entry = outlets.get(key) ?? { name: d.source, stems: new Set(terms(d.source)), documents: [] };
      entry.documents.push(d.id);
      outlets.set(key, entry);
    }
    const count = new Map<string, number>();
    for (const o of outlets.values()) for (const s of o.stems) count.set(s, (count.get(s) ?? 0) + 1);
    index = { outlets: [...outlets.values()], count, titles: documents.map((doc) => ({ doc, words: [...new Set(terms(doc.title))] })) };
    indexes.set(documents, index);
  }
  return index;
}

export function namedSource(question: string, documents: readonly Document[]): NamedSource | undefined {
  const { outlets, count, titles } = nameIndex(documents);
  const tokens = tokenize(question).filter((t) => !t.stop);
  let best: { outlet: { name: string; documents: string[] }; hits: typeof tokens } | undefined;
  for (const o of outlets) {
    const distinctive = [...o.stems].filter((s) => count.get(s) === 1);
    if (!distinctive.length) continue;
    const hits = tokens.filter((t) => o.stems.has(t.stem));
    const telling = hits.filter((t) => distinctive.includes(t.stem));
    if (!telling.length) continue;
    if (!(telling.some((t) => t.capitalized || t.acronym) || telling.length >= Math.min(2, distinctive.length))) continue;
    if (!best || hits.length > best.hits.length) best = { outlet: o, hits };
  }
  if (!best) return namedTitle(question, titles, tokens);
  // The outlet's words leave the question: they say where to look, not what to find.
  let rest = question;
  for (const t of [...best.hits].sort((a, b) => b.start - a.start)) rest = rest.slice(0, t.start) + rest.slice(t.end);
  rest = rest.replace(/\b(?:the|by|from|according to|in)\s+(?=(?:report|reported|say|said|write|wrote|piece|analysis)\b)/gi, '').replace(/\s+/g, ' ').trim();
  return { documents: best.outlet.documents, name: best.outlet.name, rest };
}

/** Share of a title's content words a question must hold to name the document... */
const TITLE_SHARE = 0.8;
/** ...or, when it says so ("the piece titled ...", a quoted title), this share. */
const QUOTED_TITLE_SHARE = 0.6;
/** Titles shorter than this (in content words) are too generic to name a document. */
const TITLE_MIN_WORDS = 3;
const SAYS_TITLE = /["“”‘’']|\b(?:titled|called|headlined|entitled)\b/i;

/**
 * A document named by its title. The question keeps its words: a title's words are the subject's
 * too ("Gulf capitals ... stakeholders"), unlike an outlet's.
 */
function namedTitle(question: string, titles: NameIndex['titles'], tokens: ReturnType<typeof tokenize>): NamedSource | undefined {
  const have = new Set(tokens.map((t) => t.stem));
  const needed = SAYS_TITLE.test(question) ? QUOTED_TITLE_SHARE : TITLE_SHARE;
  let best: { doc: Document; share: number } | undefined;
  for (const { doc, words } of titles) {
    if (words.length < TITLE_MIN_WORDS) continue;
    const share = words.filter((w) => have.has(w)).length / words.length;
    if (share >= needed && (!best || share > best.share)) best = { doc, share };
  }
  if (!best || titles.length < 2) return undefined;
  return { documents: [best.doc.id], name: `“${best.doc.title}”`, rest: question };
}
