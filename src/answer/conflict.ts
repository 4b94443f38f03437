// Sources that disagree: two documents' best sentences for a question saying opposite things
// ("enrichment activity ceased" / "enrichment has partly resumed"). Opposition is WordNet's: a
// verb or adjective of one sentence whose antonyms (or its synonyms' antonyms) meet the other
// sentence's word, its synonyms or the broader word it is a kind of ("cease" ~ "stop", opposite
// "start"/"continue"; "resume" is a kind of "continue"). Nothing is called a disagreement on
// wording alone.
import { tokenize } from '../text/tokens.js';
import type { WordNet } from '../text/wordnet.js';
import type { Document, Quote } from '../types.js';
import { MAX_QUOTES } from './quotes.js';
import type { Retrieved } from './retrieved.js';
import type { DocumentDates } from './scope.js';

/** A document's best passage takes part in a disagreement at this fraction of the top score. */
export const CONFLICT_RATIO = 0.7;

export interface DisagreementContext {
  byId: ReadonlyMap<string, Document>;
  dates: DocumentDates;
  contradictions: Contradictions;
  pick: (passages: Retrieved[], maxQuotes?: number) => Quote[];
}


const SENSES = 3;
const OPPOSABLE = new Set(['VERB', 'ADJ', 'ADV']);

export class Contradictions {
  private readonly opposites = new Map<string, Set<string>>();
  private readonly kinds = new Map<string, Set<string>>();

  constructor(private readonly wordnet?: WordNet) {}

  /**
   * The words of `a` that `b` contradicts, as [word of a, word of b]; undefined when none. With
   * `about` (the question's words), only a pair where one side is among them counts: "Has
   * enrichment resumed?" is settled by "resumed" / "ceased", not by any opposed pair the two
   * sentences happen to hold.
   */
  opposed(a: string, b: string, about?: ReadonlySet<string>): [string, string] | undefined {
    if (!this.wordnet) return undefined;
    const wa = this.lemmas(a);
    const wb = this.lemmas(b);
    if (about?.size) {
      const keep = (w: string) => about.has(w);
      const pair = this.pairIn(new Set([...wa].filter(keep)), wb) ?? this.pairIn(wa, new Set([...wb].filter(keep)));
      return pair;
    }
    return this.pairIn(wa, wb);
  }

  private pairIn(wa: Set<string>, wb: Set<string>): [string, string] | undefined {
    const shared = new Set([...wa].filter((w) => wb.has(w)));
    for (const x of wa) {
      if (shared.has(x)) continue;
      const opp = this.opposite(x);
      for (const y of wb) if (!shared.has(y) && (opp.has(y) || [...this.kind(y)].some((k) => opp.has(k)))) return [x, y];
    }
    for (const y of wb) {
      if (shared.has(y)) continue;
      const opp = this.opposite(y);
      for (const x of wa) if (!shared.has(x) && [...this.kind(x)].some((k) => opp.has(k))) return [x, y];
    }
    return undefined;
  }

  /** The lemmas of a text's verbs, adjectives and adverbs: the words that can oppose. */
  lemmas(text: string): Set<string> {
    return new Set(tokenize(text).filter((t) => !t.stop && OPPOSABLE.has(t.pos)).map((t) => t.lemma));
  }

  /** Antonyms of a word and of its synonyms. */
  private opposite(word: string): Set<string> {
    let out = this.opposites.get(word);
    if (!out) {
      out = new Set();
      const wn = this.wordnet!;
      for (const w of [word, ...wn.related(word, { maxSenses: SENSES, relations: ['synonym'] }).map((r) => r.lemma)]) {
        for (const r of wn.related(w, { maxSenses: SENSES, relations: ['antonym'] })) out.add(r.lemma);
      }
      this.opposites.set(word, out);
    }
    return out;
  }

  /** A word, its synonyms and the broader words it is a kind of. */
  private kind(word: string): Set<string> {
    let out = this.kinds.get(word);
    if (!out) {
      out = new Set([word, ...this.wordnet!.related(word, { maxSenses: SENSES, relations: ['synonym', 'hypernym'] }).map((r) => r.lemma)]);
      this.kinds.set(word, out);
    }
    return out;
  }
}

/**
 * Quotes from documents that answer the question differently, newest first, or undefined: the
 * best passage of each strongly matching dated document, compared newest against older.
 */
export function disagreement(passages: Retrieved[], topScore: number, about: ReadonlySet<string>, ctx: DisagreementContext): Quote[] | undefined {
  const byDoc = new Map<string, Retrieved>();
  for (const p of passages) if (p.best >= topScore * CONFLICT_RATIO && !byDoc.has(p.chunk.document)) byDoc.set(p.chunk.document, p);
  const dated = [...byDoc.values()].filter((p) => ctx.byId.get(p.chunk.document)?.published).sort((a, b) => ctx.dates.recency(b.chunk.document) - ctx.dates.recency(a.chunk.document));
  if (dated.length < 2) return undefined;
  const newest = dated[0];
  const newestDoc = ctx.byId.get(newest.chunk.document)!;
  const claim = ctx.pick([newest], 1)[0]?.text ?? '';
  const against: Retrieved[] = [];
  for (const older of dated.slice(1)) {
    const doc = ctx.byId.get(older.chunk.document)!;
    if (doc.published === newestDoc.published) continue;
    // The older document's sentence that says otherwise: among its well-matching sentences, the
    // best one opposed to the newest claim.
    const sentences = passages
      .filter((p) => p.chunk.document === doc.id && p.best >= topScore * CONFLICT_RATIO * 0.75)
      .flatMap((p) => p.sentences.map((x, i) => ({ p, i, score: x.score })))
      .sort((x, y) => y.score - x.score);
    // Each older sentence that says otherwise, from distinct passages, while quotes are left.
    const used = new Set<Retrieved>();
    for (const hit of sentences.filter((x) => ctx.contradictions.opposed(claim, doc.text.slice(x.p.sentences[x.i].span.start, x.p.sentences[x.i].span.end), about))) {
      if (used.has(hit.p) || against.length >= MAX_QUOTES - 1) continue;
      used.add(hit.p);
      const top = hit.p.sentences[hit.i].score;
      against.push({ ...hit.p, best: top, sentences: hit.p.sentences.map((x, i) => (i === hit.i ? x : { ...x, score: Math.min(x.score, top - 1e-6) })) });
    }
    if (against.length >= MAX_QUOTES - 1) break;
  }
  if (!against.length) return undefined;
  return ctx.pick([newest, ...against]);
}

/** Two documents' sentences at least this close (SIF embedding cosine) say the same thing. */
export const CONCUR_COSINE = 0.85;

/**
 * Documents that say the same as the newest one: other dated documents whose best sentence for
 * the question is a near-paraphrase of the newest one's (by sentence embedding). Only then does an
 * answer say that others concur; no agreement is claimed from mere relevance.
 */
export function concurring(passages: Retrieved[], topScore: number, ctx: Pick<DisagreementContext, 'byId' | 'dates'> & { embed: (text: string) => Float32Array }): string[] {
  const byDoc = new Map<string, Retrieved>();
  for (const p of passages) if (p.best >= topScore * CONFLICT_RATIO && !byDoc.has(p.chunk.document) && ctx.dates.dated(p.chunk.document)) byDoc.set(p.chunk.document, p);
  const dated = [...byDoc.values()].sort((a, b) => ctx.dates.recency(b.chunk.document) - ctx.dates.recency(a.chunk.document));
  if (dated.length < 2) return [];
  const best = (p: Retrieved) => {
    const s = p.sentences.reduce((x, y) => (y.score > x.score ? y : x));
    return ctx.byId.get(p.chunk.document)!.text.slice(s.span.start, s.span.end);
  };
  const newest = ctx.embed(best(dated[0]));
  return dated.slice(1).filter((p) => {
    const e = ctx.embed(best(p));
    let c = 0;
    for (let d = 0; d < e.length; d++) c += e[d] * newest[d];
    return c >= CONCUR_COSINE;
  }).map((p) => p.chunk.document);
}
