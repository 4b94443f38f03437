// The sentence scorer: how well one sentence answers a question. It picks the sentences an answer
// quotes, and `briefbot rank` exposes it for the WikiQA benchmark. Three signals, all unsupervised:
//  - lexical: BM25 of the sentence for the question's terms (stems), IDF from a collection;
//  - alignment: each question word's best cosine match among the sentence's words, IDF-weighted
//    (unsupervised alignment over word vectors, after Yadav et al., SIGIR 2018);
//  - sentence similarity: cosine of the two SIF sentence embeddings;
// then a light prior for a sentence that defines what a "what is X?" question asks about
// (definition.ts).
import { sentenceTokens, type SentenceTokens } from '../text/tokens.js';
import type { LocalWordVectorEmbeddings } from '../index/embedder-local.js';
import { BM25_B, BM25_K1, type TermStats } from '../index/term-stats.js';
import { dot, type WordVectors } from '../index/word-vectors.js';
import { copulaSubject, definitionFocus } from './definition.js';

/**
 * Weights of the three signals, never set per question. On WikiQA alignment + embedding carry most
 * (MAP 0.66 at 0.15/0.45/0.40); inside one analysis, where every sentence is about the same
 * countries, exact terms matter more, so the lexical share is raised (WikiQA MAP 0.634, development
 * questions' gold sentence in the top 3 for 27 of 30 instead of 25).
 */
export const WEIGHT_LEXICAL = 0.3;
export const WEIGHT_ALIGNMENT = 0.4;
export const WEIGHT_EMBEDDING = 0.3;
/** Frequency rank at which a question word's weight is halved (see SentenceScorer.prior). */
export const PRIOR_RANK = 3000;
/** Word pairs less similar than this contribute nothing to alignment: below it cosines are noise. */
export const ALIGN_FLOOR = 0.35;
/**
 * How much more a sentence is worth when it defines what a "what is X?" question asks about: X is
 * the subject of its first copula (definition.ts). Multiplicative, so a sentence that
 * shares nothing else with the question is not lifted. WikiQA MAP 0.666 without, 0.674 / 0.672 /
 * 0.675 / 0.672 at 0.1 / 0.15 / 0.2 / 0.3 (with rank's per-question IDF and the answerer's
 * answer-type reward); the development and chat questions' hits and gold-sentence ranks unchanged.
 */
export const DEFINITION_BOOST = 0.2;

/** A question or sentence prepared once: its content stems with their word-vector rows. */
export interface Prepared {
  stems: string[];
  rows: number[];
  embedding: Float32Array;
  /** Term frequencies of `stems`. */
  tf: Map<string, number>;
  /** Unit word vectors of the words that have one, one after another (dims each). */
  units: Float32Array;
  /**
   * Question side only: for a question stem, the stems that stand for it with their credit (0..1):
   * names from the aliases file, WordNet synonyms and related words, spelling corrections.
   */
  equivalents?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** For a "what is X?" question, the stem of X's head word. */
  defines?: string;
  /** The stems before the text's first is/are/was/were: what it would define. */
  subject?: ReadonlySet<string>;
}

/** Credit for a match through an alias or a shared word family ("Iran" / "Iranian") rather than the same stem. */
export const RELATED_MATCH_CREDIT = 0.8;
const FAMILY_PREFIX = 4;

/** 1 for the same stem; an equivalent's credit, or RELATED_MATCH_CREDIT for a word-family match; else 0. */
export function termMatch(st: string, q: Pick<Prepared, 'equivalents'>, sStems: ReadonlyMap<string, number>): number {
  if (sStems.has(st)) return 1;
  let best = 0;
  const eq = q.equivalents?.get(st);
  if (eq) for (const [e, credit] of eq) if (credit > best && (sStems.has(e) || (e.includes(' ') && e.split(' ').every((w) => sStems.has(w))))) best = credit;
  if (best < RELATED_MATCH_CREDIT && st.length >= FAMILY_PREFIX && /^[a-z]+$/.test(st)) {
    for (const s of sStems.keys()) if (s.length >= FAMILY_PREFIX && (s.startsWith(st) || st.startsWith(s))) return RELATED_MATCH_CREDIT;
  }
  return best;
}

export interface ScorerWeights {
  lexical: number;
  alignment: number;
  embedding: number;
}

export const DEFAULT_WEIGHTS: ScorerWeights = { lexical: WEIGHT_LEXICAL, alignment: WEIGHT_ALIGNMENT, embedding: WEIGHT_EMBEDDING };

export class SentenceScorer {
  private readonly unitCache = new Map<number, Float32Array>();
  private readonly termCache = new WeakMap<Prepared, { stats: TermStats; terms: { stem: string; weight: number; i: number }[] }>();

  constructor(
    private readonly vectors: WordVectors,
    private readonly embedder: LocalWordVectorEmbeddings,
    private readonly weights: ScorerWeights = DEFAULT_WEIGHTS,
  ) {}

  get vectorsRef(): WordVectors {
    return this.vectors;
  }

  /**
   * How much a question word can say, from its frequency in general English: "new" or "want"
   * match everywhere in any corpus, "sanctions" does not. SIF-style r / (r + PRIOR_RANK); words
   * missing from the vocabulary are rare, so 1.
   */
  private prior(row: number): number {
    if (PRIOR_RANK <= 0 || row < 0) return 1;
    const r = this.vectors.rankOf(row) + 1;
    return r / (r + PRIOR_RANK);
  }

  prepare(text: string): Prepared {
    return this.prepareTokens(sentenceTokens(text));
  }

  prepareTokens(t: SentenceTokens): Prepared {
    const stems: string[] = [];
    const rows: number[] = [];
    for (let i = 0; i < t.norms.length; i++) {
      if (!t.stems[i]) continue;
      stems.push(t.stems[i]);
      rows.push(this.vectors.row(t.norms[i]));
    }
    const tf = new Map<string, number>();
    for (const st of stems) tf.set(st, (tf.get(st) ?? 0) + 1);
    const dims = this.vectors.dims;
    const known = rows.filter((r) => r >= 0);
    const units = new Float32Array(known.length * dims);
    known.forEach((r, k) => units.set(this.unit(r), k * dims));
    return { stems, rows, tf, units, embedding: this.embedder.embedNorms(t.norms), defines: definitionFocus(t.norms, t.stems), subject: copulaSubject(t.norms, t.stems) };
  }

  private unit(row: number): Float32Array {
    let u = this.unitCache.get(row);
    if (!u) {
      u = this.vectors.unit(row);
      if (this.unitCache.size > 50_000) this.unitCache.clear();
      this.unitCache.set(row, u);
    }
    return u;
  }

  /**
   * The question's distinct stems with their weights (IDF times the general-English prior) and the
   * index of their first token: what both lexical and alignment scoring walk over.
   */
  private questionTerms(q: Prepared, stats: TermStats): { stem: string; weight: number; i: number }[] {
    // A question is scored against many sentences with the same stats: weigh its terms once.
    const cached = this.termCache.get(q);
    if (cached?.stats === stats) return cached.terms;
    const out: { stem: string; weight: number; i: number }[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < q.stems.length; i++) {
      const stem = q.stems[i];
      if (seen.has(stem)) continue;
      seen.add(stem);
      out.push({ stem, weight: stats.idf(stem) * this.prior(q.rows[i]), i });
    }
    this.termCache.set(q, { stats, terms: out });
    return out;
  }

  /** BM25 of `s` for the question's distinct stems, divided by the question's total IDF: 0..~1. */
  lexical(q: Prepared, s: Prepared, stats: TermStats): number {
    const tf = s.tf;
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * s.stems.length) / stats.avgLength);
    let score = 0;
    let mass = 0;
    for (const { stem: st, weight: idf } of this.questionTerms(q, stats)) {
      mass += idf;
      // A related match counts as one occurrence, scaled by its credit.
      const f = tf.get(st) ?? termMatch(st, q, tf);
      if (f) score += (idf * (f * (BM25_K1 + 1))) / (f + norm);
    }
    return mass ? score / (mass * (BM25_K1 + 1)) : 0;
  }

  /** IDF-weighted mean of each question word's best match in the sentence (exact stem match = 1). */
  alignment(q: Prepared, s: Prepared, stats: TermStats): number {
    return this.alignmentOf(q, stats, [this.alignmentMatches(q, s, stats)]);
  }

  /**
   * Each question term's best match in the sentence, in `questionTerms` order: 1 for the same
   * stem, else the better of its alias/family credit and its best word-vector alignment.
   */
  alignmentMatches(q: Prepared, s: Prepared, stats: TermStats): Float64Array {
    const terms = this.questionTerms(q, stats);
    const out = new Float64Array(terms.length);
    const sStems = s.tf;
    const dims = this.vectors.dims;
    const units = s.units;
    terms.forEach(({ stem: st, i }, k) => {
      const m = termMatch(st, q, sStems);
      const qr = q.rows[i];
      if (m === 1 || qr < 0) {
        out[k] = m;
        return;
      }
      const qu = this.unit(qr);
      let best = 0;
      for (let base = 0; base < units.length; base += dims) {
        let c = 0;
        for (let d = 0; d < dims; d++) c += qu[d] * units[base + d];
        if (c > best) best = c;
      }
      const aligned = best > ALIGN_FLOOR ? (best - ALIGN_FLOOR) / (1 - ALIGN_FLOOR) : 0;
      out[k] = Math.max(m, aligned);
    });
    return out;
  }

  /**
   * IDF-weighted mean of each question term's best match over several sentences' matches: the
   * alignment of their union (a sentence with its neighbours) without comparing any word twice.
   */
  alignmentOf(q: Prepared, stats: TermStats, matches: readonly Float64Array[]): number {
    let score = 0;
    let mass = 0;
    this.questionTerms(q, stats).forEach(({ weight }, k) => {
      mass += weight;
      let m = 0;
      for (const a of matches) if (a[k] > m) m = a[k];
      score += weight * m;
    });
    return mass ? score / mass : 0;
  }

  /** `matches`: the sentence's (or its parts') alignmentMatches, when the caller has them already. */
  score(q: Prepared, s: Prepared, stats: TermStats, matches?: readonly Float64Array[]): number {
    const cos = dot(q.embedding, s.embedding);
    const w = this.weights;
    const aligned = matches ? this.alignmentOf(q, stats, matches) : this.alignment(q, s, stats);
    const base = w.lexical * this.lexical(q, s, stats) + w.alignment * aligned + w.embedding * Math.max(0, cos);
    return q.defines && s.subject?.has(q.defines) ? Math.min(1, base * (1 + DEFINITION_BOOST)) : base;
  }
}
