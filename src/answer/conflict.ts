// Sources that disagree: two documents' best sentences for a question saying opposite things
// ("enrichment activity ceased" / "enrichment has partly resumed"). Opposition is WordNet's: a
// verb or adjective of one sentence whose antonyms (or its synonyms' antonyms) meet the other
// sentence's word, its synonyms or the broader word it is a kind of ("cease" ~ "stop", opposite
// "start"/"continue"; "resume" is a kind of "continue"). Nothing is called a disagreement on
// wording alone.
import { stemWord, tokenize } from '../text/tokens.js';
import type { WordNet } from '../text/wordnet.js';
import type { Document, Quote } from '../types.js';
import { MAX_QUOTES } from './quotes.js';
import type { Retrieved } from './retrieved.js';
import { revises } from './revision.js';
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
 * well-matching sentences of each strongly matching dated document, the newest one's best quote
 * against older ones' sentences (opposed words), or else a newer document revising an older
 * account (revision.ts). Either way the two sentences must share a word of the question besides
 * the opposed ones (`asked`: the question's stems): "Washington holds evidence" does not
 * contradict a sentence on tankers about where the next round will be held. The revision is
 * looked for only for a yes/no question (`yesNo`).
 */
export function disagreement(passages: Retrieved[], topScore: number, about: ReadonlySet<string>, asked: ReadonlySet<string>, yesNo: boolean, ctx: DisagreementContext): Quote[] | undefined {
  const byDoc = new Map<string, Retrieved>();
  for (const p of passages) if (p.best >= topScore * CONFLICT_RATIO && !byDoc.has(p.chunk.document)) byDoc.set(p.chunk.document, p);
  const dated = [...byDoc.values()].filter((p) => ctx.byId.get(p.chunk.document)?.published).sort((a, b) => ctx.dates.recency(b.chunk.document) - ctx.dates.recency(a.chunk.document));
  if (dated.length < 2) return undefined;
  const sentencesOf = (document: string, floor = topScore * CONFLICT_RATIO * 0.75): SentenceHit[] =>
    passages
      .filter((p) => p.chunk.document === document && p.best >= floor)
      .flatMap((p) => p.sentences.map((x, i) => ({ p, i, score: x.score, text: ctx.byId.get(document)!.text.slice(x.span.start, x.span.end) })))
      .sort((x, y) => y.score - x.score);
  // The question's words in a sentence, tokenised once per sentence however often it is compared.
  const askedIn = new Map<string, Set<string>>();
  const askedOf = (text: string) => {
    let out = askedIn.get(text);
    if (!out) askedIn.set(text, (out = new Set(tokenize(text).filter((t) => !t.stop && asked.has(t.stem)).map((t) => t.stem))));
    return out;
  };
  // How many of the question's words two sentences share, besides `besides` (the opposed pair).
  const sharedAsked = (a: string, b: string, besides: string[] = []) => {
    const skip = new Set(besides.map((w) => stemWord(w)));
    const inB = askedOf(b);
    return [...askedOf(a)].filter((st) => !skip.has(st) && inB.has(st)).length;
  };

  const newest = dated[0];
  const newestDoc = ctx.byId.get(newest.chunk.document)!;
  const claim = ctx.pick([newest], 1)[0]?.text ?? '';
  const against: Retrieved[] = [];
  for (const older of dated.slice(1)) {
    const doc = ctx.byId.get(older.chunk.document)!;
    if (doc.published === newestDoc.published) continue;
    // Each older sentence that says otherwise, from distinct passages, while quotes are left.
    const used = new Set<Retrieved>();
    for (const hit of sentencesOf(doc.id)) {
      if (used.has(hit.p) || against.length >= MAX_QUOTES - 1) continue;
      const pair = ctx.contradictions.opposed(claim, hit.text, about);
      if (!pair || !sharedAsked(claim, hit.text, pair)) continue;
      used.add(hit.p);
      against.push(focused(hit));
    }
    if (against.length >= MAX_QUOTES - 1) break;
  }
  if (against.length) return ctx.pick([newest, ...against]);
  if (!yesNo) return undefined;

  // "Was a second round really days away?": a newer document's best sentences that say an older
  // account no longer holds, against the older document's sentence sharing the most words of the
  // question with it; newest first, each document only against older ones. Only for a yes/no
  // question, which asks whether a claim holds: "where will the next round be held?" asks for a
  // place, and an account of the round's delay would push the answer out.
  const withDates = [...new Set(passages.map((p) => p.chunk.document))].filter((d) => ctx.byId.get(d)?.published).sort((a, b) => ctx.dates.recency(b) - ctx.dates.recency(a));
  for (const [k, newer] of withDates.entries()) {
    const published = ctx.byId.get(newer)!.published;
    for (const correction of sentencesOf(newer).slice(0, REVISION_CLAIMS)) {
      if (!revises(correction.text)) continue;
      for (const doc of withDates.slice(k + 1)) {
        if (ctx.byId.get(doc)!.published === published) continue;
        // Any retrieved passage of the older document may hold the account: what must match is
        // the correction, by at least two of the question's words ("second round", not "Muscat").
        let account: SentenceHit | undefined;
        let most = 1;
        for (const hit of sentencesOf(doc, 0)) {
          const n = sharedAsked(correction.text, hit.text);
          if (n > most) [account, most] = [hit, n];
        }
        if (account) return ctx.pick([focused(correction), focused(account)]);
      }
    }
  }
  return undefined;
}

/** Sentences of a newer document looked through for a revision of an older account. */
const REVISION_CLAIMS = 4;

interface SentenceHit {
  p: Retrieved;
  i: number;
  score: number;
  text: string;
}

/** The passage of `hit` with its sentence as the best, so the quote is built around it. */
function focused(hit: SentenceHit): Retrieved {
  const top = hit.p.sentences[hit.i].score;
  return { ...hit.p, best: top, sentences: hit.p.sentences.map((x, i) => (i === hit.i ? x : { ...x, score: Math.min(x.score, top - 1e-6) })) };
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
