// The offline answerer: hybrid retrieval (BM25 + HNSW, fused by reciprocal rank), then the
// sentence scorer picks a span of one or two adjacent sentences from each of the best passages.
// Every quote is verified against its file text before it leaves this module.
import { aliasPresent, type AliasGroups } from '../corpus/aliases.js';
import type { CorpusIndex } from '../index/corpus-index.js';
import type { Chunk } from '../index/chunk.js';
import type { LocalWordVectorEmbeddings } from '../index/embedder-local.js';
import type { Coverage, Quote, Span } from '../types.js';
import { analyseQuery, type Query } from './query.js';
import { stemWord, terms, type Token } from '../text/tokens.js';
import { SpellingCorrector } from '../text/spelling.js';
import type { WordNet } from '../text/wordnet.js';
import { gradeCoverage, hasAnswerType } from './coverage.js';
import { readIntent, type Intent } from './intent.js';
import { Paraphraser, type CorpusTerms } from './paraphrase.js';
import { SentenceScorer, TermStats, type Prepared } from './scorer.js';
import { dot } from '../index/word-vectors.js';
import { verifyQuotes } from './verify.js';

/** Candidates taken from each ranking before fusion, and the RRF constant (Cormack et al., 2009). */
export const RETRIEVAL_DEPTH = 30;
export const RRF_K = 60;
/** Passages whose sentences are scored for quoting. */
export const RERANK_DEPTH = 12;
/** Weight of the (normalised) retrieval score next to the best sentence score when ordering passages. */
export const FUSED_WEIGHT = 0.1;
/**
 * Weight of the document's share of the retrieved set (see `retrieve`). With the 619 WikiQA
 * documents added as distractors, per-document IDF alone keeps 26 of the 28 development hits;
 * this prior keeps all 28.
 */
export const DOCUMENT_WEIGHT = 0.1;
export const MAX_QUOTES = 3;
/** Weight of a sentence's neighbourhood (it and the sentences either side) next to the sentence alone. */
export const CONTEXT_WEIGHT = 0.5;
/** Added to a sentence that holds the kind of fact the question asks for (see intent.ts). */
export const ANSWER_TYPE_BONUS = 0.05;
/** Corpus sentences prepared at open (about 100 ms at the limit). */
export const WARM_UP_SENTENCES = 2000;
/** Corpus sentences kept prepared in memory. */
export const PREPARED_CACHE_SIZE = 50_000;
export const MAX_QUOTE_CHARS = 1200;
/** Longest two-sentence span; beyond it the best sentence is quoted alone. */
export const MAX_SPAN_CHARS = 600;
/** A passage's second sentence is quoted (after every passage's first) at this fraction of the top score. */
export const SECOND_SPAN_RATIO = 0.75;
/** Another passage is quoted only when its best sentence scores at least this fraction of the top one. */
export const SECONDARY_RATIO = 0.75;
/**
 * Abstain when the best sentence scores below this (scorer scale 0..1). Calibrated on the
 * development questions: in-scope questions score 0.39-0.85 but for one (0.29, "could the pressure
 * strategy backfire?", a word no source uses); off-topic questions without a telling name score
 * 0.10-0.47 (weather in Muscat 0.375, a poem 0.10). Questions naming something the sources never
 * mention abstain before any score; topic questions go by section headings and need none.
 */
export const MIN_ANSWER_SCORE = 0.38;
/** A question term this rare in general English (frequency rank) that no source contains is a key term. */
export const RARE_TERM_RANK = 40_000;
/**
 * General-English words up to this frequency rank count as known words (never spelling-corrected).
 * Common misspellings are in the word vectors' vocabulary too, past this rank ("goverment" 36,499,
 * "negotations" 81,640, "recieve" 159,835), so it stays well below the vocabulary's size.
 */
export const KNOWN_WORD_RANK = 30_000;
/** Longest acronym spelled out from the sources' words, and the most corpus text scanned for it. */
const MAX_ACRONYM = 6;
/** Cardinal and ordinal words of small numbers, which writers spell out and questions type as digits. */
const SMALL_NUMBERS = ['zero', 'one first', 'two second', 'three third', 'four fourth', 'five fifth', 'six sixth', 'seven seventh', 'eight eighth', 'nine ninth', 'ten tenth', 'eleven eleventh', 'twelve twelfth'].map((w) => w.split(' '));

export interface Candidate {
  chunk: Chunk;
  /** Fused retrieval score (RRF). */
  fused: number;
  /** The chunk's document's share of the fused scores of everything retrieved, relative to the top document (0..1). */
  docShare: number;
}

export interface Retrieved extends Candidate {
  /** Best sentence score in the chunk. */
  best: number;
  sentences: { span: Span; score: number }[];
}

export interface OfflineResult {
  abstained: boolean;
  coverage: Coverage;
  /** What the sources lack (names for `none`, the asked detail for `partial`), in the question's words. */
  missing: string[];
  /** The question's best-supported word: what a partial answer says the sources do mention. */
  subject?: string;
  /** Share of the question (weighted) the quotes speak to (see coverage.ts). */
  support?: number;
  /** Why the answer abstained: a name the sources never mention, or nothing relevant enough. */
  reason?: 'missing-term' | 'low-score';
  missingTerms: string[];
  quotes: Quote[];
  /** Ranked passages (for LLM synthesis and for the nearest-passage hint). */
  passages: Retrieved[];
  topScore: number;
}

export class OfflineAnswerer {
  private readonly prepared = new Map<string, Prepared>();
  private readonly docStats = new Map<string, TermStats>();
  private chunksByDoc?: Map<string, Chunk[]>;
  readonly scorer: SentenceScorer;
  private paraphraserInstance?: Paraphraser;
  private readonly acronyms = new Map<string, string[][]>();

  constructor(
    readonly index: CorpusIndex,
    private readonly embedder: LocalWordVectorEmbeddings,
    readonly aliases: AliasGroups,
    scorer?: SentenceScorer,
    /** False when the vector index holds another embedder's vectors (OpenAI): see `retrieve`. */
    private readonly localVectors = true,
    private readonly wordnet?: WordNet,
  ) {
    this.scorer = scorer ?? new SentenceScorer(embedder.vectorsRef, embedder);
  }

  /** Built on first use: the spelling vocabulary walks every corpus sentence once. */
  get paraphraser(): Paraphraser {
    if (!this.paraphraserInstance) {
      const vocabulary: string[] = [];
      // Words as written and their stems ("tariffs", "tariff"): a typo is often nearer the base form.
      for (const c of this.index.chunks) for (const t of c.sentenceTokens ?? []) for (let i = 0; i < t.norms.length; i++) if (t.stems[i]) vocabulary.push(t.norms[i], t.stems[i]);
      const vectors = this.embedder.vectorsRef;
      const spelling = new SpellingCorrector(vocabulary, {
        isKnownWord: (w) => {
          const row = vectors.row(w);
          return row >= 0 && vectors.rankOf(row) < KNOWN_WORD_RANK;
        },
      });
      const bm25 = this.index.bm25;
      const corpus: CorpusTerms = {
        has: (stem) => bm25.has(stem),
        df: (stem) => bm25.stats.df.get(stem) ?? 0,
        acronymExpansions: (a) => this.acronymExpansions(a),
        similarity: (a, b) => {
          const ra = vectors.row(a);
          const rb = vectors.row(b);
          return ra < 0 || rb < 0 ? undefined : dot(vectors.unit(ra), vectors.unit(rb));
        },
      };
      this.paraphraserInstance = new Paraphraser(corpus, this.aliases, this.wordnet, spelling);
    }
    return this.paraphraserInstance;
  }

  /**
   * Phrases of the sources whose initials spell `acronym` ("FM": "Foreign Minister"), as stem
   * sequences. Two letters match only capitalised phrases, and a longer acronym only when one phrase
   * fits, so "DC" never becomes "diplomatic channel".
   */
  private acronymExpansions(acronym: string): string[][] {
    const key = acronym.toLowerCase();
    let out = this.acronyms.get(key);
    if (out) return out;
    out = [];
    if (/^[a-z]{2,}$/.test(key) && key.length <= MAX_ACRONYM) {
      const capital = key.length === 2;
      const letters = [...key].map((c) => (capital ? `[${c.toUpperCase()}]` : `[${c}${c.toUpperCase()}]`) + `[\\p{L}'’-]+`);
      const re = new RegExp(`(?<![\\p{L}])${letters.join('\\s+')}(?![\\p{L}])`, 'gu');
      const found = new Map<string, string[]>();
      for (const doc of this.index.documents) {
        for (const m of doc.text.matchAll(re)) {
          const stems = terms(m[0]);
          if (stems.length === key.length) found.set(stems.join(' '), stems);
        }
      }
      if (capital || found.size === 1) out = [...found.values()];
    }
    this.acronyms.set(key, out);
    return out;
  }

  /** The question prepared for the sentence scorer, its paraphrases attached. */
  prepareQuestion(q: Query): Prepared {
    return { ...this.scorer.prepare(q.scoringText), equivalents: q.scoring };
  }

  /**
   * Prepares up to `limit` corpus sentences ahead of the first question (~50 µs each): small
   * corpora are then fully warm, and the scorer's code is compiled before anyone waits on it.
   */
  warmUp(limit = WARM_UP_SENTENCES): void {
    let n = 0;
    for (const chunk of this.index.chunks) {
      const doc = this.index.byId.get(chunk.document)!;
      for (let i = 0; i < chunk.sentences.length && n < limit; i++, n++) {
        this.prepare(chunk, i, doc.text.slice(chunk.sentences[i].start, chunk.sentences[i].end));
      }
      if (n >= limit) break;
    }
  }

  query(question: string, history: string[] = []): Query {
    return analyseQuery(question, this.aliases, history, this.paraphraser, (t) => this.looksLikeName(t));
  }

  /**
   * Names in the question that no source mentions, under any alias, spelling or acronym: "Beijing",
   * "Khamenei", "E3". A name is capitalised mid-question, or (typed in lower case) a word WordNet
   * knows only as a proper noun. Unknown acronyms ("UAV") and plain unknown words are not names.
   */
  missingKeyTerms(q: Query): string[] {
    const missing: string[] = [];
    for (const t of q.tokens) {
      if (this.inCorpus(t.stem, t.norm) || q.sameName.get(t.stem)?.size) continue;
      if (this.isName(t)) missing.push(q.text.slice(t.start, t.end));
    }
    return [...new Set(missing)];
  }

  /** Numbers in the question that no source has ("2015", "U-235"): asked details, not subjects. */
  missingNumbers(q: Query): string[] {
    const known = (t: Token) => {
      if (this.inCorpus(t.stem, t.norm)) return true;
      // A hyphenated token's parts count too ("U-235": no; "Shahed-139" as a whole: yes).
      if (q.tokens.some((o) => o !== t && o.start === t.start && o.end === t.end && !/\d/.test(o.norm) === false && this.inCorpus(o.stem, o.norm))) return true;
      // "round 2" is the sources' "second round", "2 incidents" their "two incidents".
      const n = /^\d+$/.test(t.norm) ? Number(t.norm) : NaN;
      return n >= 0 && n < SMALL_NUMBERS.length && SMALL_NUMBERS[n].some((w) => this.inCorpus(stemWord(w), w));
    };
    return [...new Set(q.tokens.filter((t) => /\d/.test(t.norm) && !known(t)).map((t) => q.text.slice(t.start, t.end)))];
  }

  /** Capitalised mid-question, in capitals, or a word WordNet knows only as a name. */
  looksLikeName(t: Token): boolean {
    if (/\d/.test(t.norm)) return false;
    if (t.capitalized || t.acronym) return true;
    // Typed in lower case ("khamenei"): a noun WordNet knows only as a name, under its lemma too
    // ("sat" is SAT the test, but its lemma "sit" is a verb).
    const wn = this.wordnet;
    return !!wn && (t.pos === 'NOUN' || t.pos === 'PROPN') && wn.properNoun(t.norm) && (t.lemma === t.norm || wn.properNoun(t.lemma));
  }

  private isName(t: Token): boolean {
    if (/\d/.test(t.norm)) return false;
    if (t.acronym) {
      // An acronym general English writes in lower case too ("FM" radio) is no telling name; one it
      // never uses, and that no source spells out, may be a name ("E3") or shorthand ("UAV"): only
      // a rare one counts.
      const row = this.embedder.vectorsRef.row(t.norm);
      return row < 0 || this.embedder.vectorsRef.rankOf(row) > RARE_TERM_RANK;
    }
    return this.looksLikeName(t);
  }

  private inCorpus(stem: string, norm: string): boolean {
    const bm25 = this.index.bm25;
    if (bm25.has(stem) || bm25.has(norm)) return true;
    if (aliasPresent(stem, this.aliases, (t) => bm25.has(t))) return true;
    // Derived forms the stemmer keeps apart ("Israel" / "Israeli" -> "israel" / "isra").
    return bm25.hasPrefixFamily(norm);
  }

  /** A corpus sentence prepared for scoring: from the tokens cached at ingest when there are any. */
  private prepare(chunk: Chunk, i: number, text: string): Prepared {
    const key = `${chunk.document}\0${chunk.sentences[i].start}`;
    let p = this.prepared.get(key);
    if (!p) {
      const cached = chunk.sentenceTokens?.[i];
      p = cached ? this.scorer.prepareTokens(cached) : this.scorer.prepare(text);
      // Bounded: a long-running bot over a large corpus must not keep every sentence it ever scored.
      if (this.prepared.size >= PREPARED_CACHE_SIZE) this.prepared.clear();
      this.prepared.set(key, p);
    }
    return p;
  }

  /**
   * A sentence with its neighbours, prepared as one text: a paraphrased question often shares its
   * words with the sentence's context ("why is Iran skeptical...?" / a paragraph on broken trust)
   * rather than with the one sentence that answers it.
   */
  private prepareWindow(chunk: Chunk, i: number, text: string): Prepared {
    const key = `${chunk.document}\0${chunk.sentences[i].start}\0w`;
    let p = this.prepared.get(key);
    if (!p) {
      const from = Math.max(0, i - 1);
      const to = Math.min(chunk.sentences.length - 1, i + 1);
      const cached = chunk.sentenceTokens;
      if (cached) {
        const norms: string[] = [];
        const stems: string[] = [];
        for (let k = from; k <= to; k++) {
          norms.push(...cached[k].norms);
          stems.push(...cached[k].stems);
        }
        p = this.scorer.prepareTokens({ norms, stems });
      } else p = this.scorer.prepare(text.slice(chunk.sentences[from].start, chunk.sentences[to].end));
      if (this.prepared.size >= PREPARED_CACHE_SIZE) this.prepared.clear();
      this.prepared.set(key, p);
    }
    return p;
  }

  /** Fused ranking of chunks for a query. */
  retrieve(q: Query, depth = RERANK_DEPTH, filter?: (c: Chunk) => boolean, queryVector?: number[] | null): Candidate[] {
    const fused = new Map<number, number>();
    const lexical = this.index.bm25.search(q.weighted, RETRIEVAL_DEPTH * (filter ? 4 : 1));
    let r = 0;
    for (const { index } of lexical) {
      if (filter && !filter(this.index.chunks[index])) continue;
      fused.set(index, (fused.get(index) ?? 0) + 1 / (RRF_K + ++r));
    }
    // The vector index may hold another embedder's vectors (OpenAI): the caller then passes the
    // query's vector from that embedder, or null when it could not get one (BM25 alone then).
    const vector = queryVector !== undefined ? queryVector : this.localVectors ? Array.from(this.embedder.embed(q.scoringText)) : null;
    r = 0;
    for (const { chunk } of vector ? this.index.vectorSearch(vector, RETRIEVAL_DEPTH * (filter ? 4 : 1)) : []) {
      if (filter && !filter(this.index.chunks[chunk])) continue;
      fused.set(chunk, (fused.get(chunk) ?? 0) + 1 / (RRF_K + ++r));
    }
    // How much of the whole retrieved set each document holds: an analysis of the talks answers a
    // question about them with many passages, a stray document with one lucky passage.
    const docMass = new Map<string, number>();
    for (const [i, score] of fused) {
      const d = this.index.chunks[i].document;
      docMass.set(d, (docMass.get(d) ?? 0) + score);
    }
    const maxMass = Math.max(...docMass.values(), 1e-9);
    return [...fused]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, depth)
      .map(([i, score]) => ({ chunk: this.index.chunks[i], fused: score, docShare: docMass.get(this.index.chunks[i].document)! / maxMass }));
  }

  /** Scores every sentence of the given chunks for the query; best chunk first. */
  rerank(q: Query, candidates: Candidate[]): Retrieved[] {
    const qp = this.prepareQuestion(q);
    // A follow-up is scored both with the thread's earlier question and on its own terms, and a
    // sentence keeps the better score: "and what about Turkey?" after a question on Oman must still
    // find Turkey, while "why?" leans entirely on the earlier question.
    const own = q.scoringText !== q.text ? { ...this.scorer.prepare(q.text), equivalents: q.scoring } : undefined;
    const type = q.answerType;
    const asked = new Set<string>();
    if (type) for (const t of q.tokens) asked.add(t.stem).add(t.norm);
    const out: Retrieved[] = candidates.map(({ chunk, fused, docShare }) => {
      const doc = this.index.byId.get(chunk.document)!;
      const sentences = chunk.sentences.map((span, i) => {
        const text = doc.text.slice(span.start, span.end);
        const alone = this.sentenceScore(qp, own, this.prepare(chunk, i, text), chunk.document);
        const around = CONTEXT_WEIGHT > 0 && chunk.sentences.length > 1 ? this.sentenceScore(qp, own, this.prepareWindow(chunk, i, doc.text), chunk.document) : alone;
        // A sentence holding the kind of fact asked for (a date for "when", a name for "who") is
        // more likely the answer than one that only shares the question's words.
        let typed = type && hasAnswerType(type, text, asked) ? ANSWER_TYPE_BONUS : 0;
        if (q.contrast?.size) {
          const stems = this.prepare(chunk, i, text).tf;
          for (const c of q.contrast) if (stems.has(c)) typed += ANSWER_TYPE_BONUS;
        }
        return { span, score: (alone + CONTEXT_WEIGHT * around) / (1 + CONTEXT_WEIGHT) + typed };
      });
      return { chunk, fused, docShare, best: Math.max(...sentences.map((s) => s.score)), sentences };
    });
    // Passages are ordered by their best sentence, nudged by where retrieval ranked them and by
    // how much of the retrieved set their document holds.
    const top = Math.max(...out.map((p) => p.fused), 1e-9);
    const rank = (p: Retrieved) => p.best + FUSED_WEIGHT * (p.fused / top) + DOCUMENT_WEIGHT * p.docShare;
    return out.sort((a, b) => rank(b) - rank(a) || b.fused - a.fused);
  }

  /**
   * Term statistics of one document's chunks. A sentence is scored with its own document's IDF:
   * which words are telling depends on the document ("Tehran" is everywhere in an analysis of the
   * talks, rare among unrelated files), so adding unrelated documents does not change which
   * sentence of an analysis answers best.
   */
  private documentStats(document: string): TermStats {
    let stats = this.docStats.get(document);
    if (!stats) {
      if (!this.chunksByDoc) {
        this.chunksByDoc = new Map();
        for (const c of this.index.chunks) {
          const list = this.chunksByDoc.get(c.document);
          if (list) list.push(c);
          else this.chunksByDoc.set(c.document, [c]);
        }
      }
      // The same terms BM25 indexes: the chunk's words plus its section heading's.
      stats = new TermStats();
      const headings = new Map<string, string[]>();
      for (const c of this.chunksByDoc.get(document) ?? []) {
        let heading = headings.get(c.section);
        if (!heading) headings.set(c.section, (heading = terms(c.section)));
        const stems = [...(c.sentenceTokens ?? []).flatMap((t) => t.stems.filter(Boolean)), ...heading];
        stats.add(stems, stems.length);
      }
      this.docStats.set(document, stats);
    }
    return stats;
  }

  private sentenceScore(qp: Prepared, own: Prepared | undefined, s: Prepared, document?: string): number {
    const stats = document ? this.documentStats(document) : this.index.bm25.stats;
    const combined = this.scorer.score(qp, s, stats);
    return own ? Math.max(combined, this.scorer.score(own, s, stats)) : combined;
  }

  answer(question: string, history: string[] = [], queryVector?: number[] | null, intent: Intent = readIntent(question)): OfflineResult {
    const parts = intent.parts.length > 1 ? intent.parts : [question];
    const q = this.query(question, history);
    if (parts.length === 1) q.answerType = intent.answerType;
    if (intent.yesNo) q.contrast = this.paraphraser.opposites(q.tokens);
    const missingTerms = this.missingKeyTerms(q);
    const passages = this.rerank(q, this.retrieve(q, RERANK_DEPTH, undefined, queryVector));
    const topScore = passages[0]?.best ?? 0;
    if (missingTerms.length) return { abstained: true, coverage: 'none', missing: missingTerms, reason: 'missing-term', missingTerms, quotes: [], passages, topScore };
    let quotes: Quote[];
    if (parts.length > 1) {
      // Each part of a two-part question gets its own best passage first, then the rest by score.
      const perPart = parts.map((p) => {
        const pq = this.query(p, [question]);
        pq.answerType = readIntent(p).answerType;
        return this.rerank(pq, this.retrieve(pq, RERANK_DEPTH, undefined, queryVector));
      });
      const firsts = perPart.map((r) => r[0]).filter(Boolean);
      const rest = passages.filter((p) => p.best >= topScore * SECONDARY_RATIO);
      quotes = this.pickQuotes(dedupe([...firsts, ...rest]));
    } else {
      quotes = this.pickQuotes(passages.filter((p) => p.best >= topScore * SECONDARY_RATIO));
    }
    const graded = gradeCoverage({ query: q, intent, passages, quotes, topScore, missingNumbers: this.missingNumbers(q), answerer: this, pick: (p) => this.pickQuotes(p) });
    if (graded.coverage === 'none') return { abstained: true, coverage: 'none', missing: graded.missing, reason: 'low-score', missingTerms, quotes: [], passages, topScore, support: graded.support };
    return { abstained: false, coverage: graded.coverage, missing: graded.missing, subject: graded.subject, missingTerms, quotes: graded.quotes, passages, topScore, support: graded.support };
  }

  /** Passages that mention one question word (or the same name), best first for the whole question. */
  passagesMentioning(q: Query, t: Token): Retrieved[] {
    const stems = new Map<string, number>([[t.stem, 1]]);
    for (const s of q.sameName.get(t.stem) ?? []) stems.set(s, 1);
    for (const s of this.index.bm25.prefixFamily(t.norm)) stems.set(s, 1);
    const chunks = this.index.bm25.search(stems, RERANK_DEPTH);
    return this.rerank(q, chunks.map(({ index }) => ({ chunk: this.index.chunks[index], fused: 0, docShare: 1 })));
  }

  /** True when the corpus has the stem, or an alias or word family of it. */
  knows(stem: string, norm: string): boolean {
    return this.inCorpus(stem, norm);
  }

  /** The best span (one sentence, or two adjacent) of each passage, within the quote budget. */
  pickQuotes(passages: Retrieved[], maxQuotes = MAX_QUOTES, maxChars = MAX_QUOTE_CHARS): Quote[] {
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
    const quotes: Quote[] = [];
    let used = 0;
    const take = (p: Retrieved, bi: number) => {
      const doc = this.index.byId.get(p.chunk.document)!;
      const s = p.sentences;
      let start = s[bi].span.start;
      let end = s[bi].span.end;
      // The following sentence usually carries the specifics a leading sentence announces
      // ("two incidents underscored..." -> "On February 3, ..."), so it joins the quote when the
      // span stays short; a paragraph's last sentence takes the one before it instead.
      const next = bi + 1 < s.length ? s[bi + 1] : bi > 0 ? s[bi - 1] : undefined;
      if (next && next.span.end - next.span.start + (end - start) <= MAX_SPAN_CHARS) {
        const ns = Math.min(start, next.span.start);
        const ne = Math.max(end, next.span.end);
        if (used + (ne - ns) <= maxChars && !quotes.some((x) => x.document === doc.id && x.start < ne && ns < x.end)) [start, end] = [ns, ne];
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
    return verifyQuotes(quotes, this.index.byId);
  }
}

function dedupe(passages: Retrieved[]): Retrieved[] {
  const seen = new Set<string>();
  return passages.filter((p) => !seen.has(p.chunk.id) && (seen.add(p.chunk.id), true));
}
