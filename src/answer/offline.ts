// The offline answerer: hybrid retrieval (BM25 + HNSW, fused by reciprocal rank), then the
// sentence scorer picks a span of one or two adjacent sentences from each of the best passages.
// Every quote is verified against its file text before it leaves this module.
import type { AliasGroups } from '../corpus/aliases.js';
import type { CorpusIndex } from '../index/corpus-index.js';
import type { Chunk } from '../index/chunk.js';
import type { LocalWordVectorEmbeddings } from '../index/embedder-local.js';
import type { Coverage, Quote } from '../types.js';
import { analyseQuery, type Query } from './query.js';
import { terms, type Token } from '../text/tokens.js';
import type { WordNet } from '../text/wordnet.js';
import { gradeCoverage, type CoverageContext } from './coverage.js';
import { readIntent, type Intent } from './intent.js';
import { firstDate } from './time.js';
import { Contradictions, concurring, disagreement } from './conflict.js';
import { DocumentDates, scopeFilter, type AnswerScope } from './scope.js';
import { IndexTerms } from './corpus-terms.js';
import { Paraphraser } from './paraphrase.js';
import { QuestionNames } from './question-names.js';
import { SentenceScorer, type Prepared } from './scorer.js';
import { PassageRanker } from './passage-ranker.js';
export { ANSWER_TYPE_BONUS } from './passage-ranker.js';
import { fillRoom, MAX_QUOTE_CHARS, MAX_QUOTES, pickQuotes } from './quotes.js';
import type { Candidate, Retrieved } from './retrieved.js';

/** Candidates taken from each ranking before fusion, and the RRF constant (Cormack et al., 2009). */
export const RETRIEVAL_DEPTH = 30;
export const RRF_K = 60;
/** Passages whose sentences are scored for quoting. */
export const RERANK_DEPTH = 12;
/** Another passage is quoted only when its best sentence scores at least this fraction of the top one. */
export const SECONDARY_RATIO = 0.75;
/**
 * For the current state ("what's the latest on..."), the passages put newest first: those nearly as
 * good as the best. At SECONDARY_RATIO a newer analysis that only touches the subject (a statement
 * that "backed the negotiations") went ahead of the one saying where the next round will be; at 0.85
 * and above, an older passage was left ahead of the newest one's answer (three held-out sets of
 * 4 "latest" questions each: 2, 2, 3 right at 0.75; 3, 3, 2 at 0.85; 3, 3, 3 at 0.8).
 */
export const LATEST_RATIO = 0.8;
export interface OfflineResult {
  abstained: boolean;
  coverage: Coverage;
  /** What the sources lack (names for `none`, the asked detail for `partial`), in the question's words. */
  missing: string[];
  /** The question's best-supported word: what a partial answer says the sources do mention. */
  subject?: string;
  /** Quotes from different documents answer the point differently (newest first). */
  conflict?: boolean;
  /** Other documents that say what the newest one says (conflict.ts `concurring`). */
  concurring?: string[];
  quotes: Quote[];
  /** Ranked passages (for LLM synthesis and for the nearest-passage hint). */
  passages: Retrieved[];
  topScore: number;
}

export class OfflineAnswerer {
  readonly scorer: SentenceScorer;
  private paraphraserInstance?: Paraphraser;
  private readonly names: QuestionNames;
  private readonly contradictions: Contradictions;
  private readonly dates: DocumentDates;
  private readonly ranker: PassageRanker;

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
    this.names = new QuestionNames(index.bm25, embedder.vectorsRef, aliases, wordnet, new Set(index.documents.flatMap((d) => terms(`${d.title} ${d.source}`))));
    this.contradictions = new Contradictions(wordnet);
    this.dates = new DocumentDates(index.documents);
    this.ranker = new PassageRanker(index, this.scorer, this.dates);
  }

  /** What coverage grading asks about the sources. */
  private get coverageContext(): CoverageContext {
    return (this.context ??= {
      vectors: this.scorer.vectorsRef,
      bm25: this.index.bm25,
      byId: this.index.byId,
      aliases: this.aliases,
      knows: (stem, norm) => this.knows(stem, norm),
      looksLikeName: (t) => this.looksLikeName(t),
      passagesMentioning: (q, t) => this.passagesMentioning(q, t),
    });
  }
  private context?: CoverageContext;

  /** Built on first use: the spelling vocabulary walks every corpus sentence once. */
  get paraphraser(): Paraphraser {
    if (!this.paraphraserInstance) {
      const terms = new IndexTerms(this.index, this.embedder.vectorsRef);
      this.paraphraserInstance = new Paraphraser(terms, this.aliases, this.wordnet, terms.spelling());
    }
    return this.paraphraserInstance;
  }

  /** The question prepared for the sentence scorer, its paraphrases attached. */
  prepareQuestion(q: Query): Prepared {
    return this.ranker.prepareQuestion(q);
  }

  /** Prepares corpus sentences ahead of the first question (see PassageRanker.warmUp). */
  warmUp(limit?: number): void {
    this.ranker.warmUp(limit);
  }

  /** Scores every sentence of the given chunks for the query; best chunk first. */
  rerank(q: Query, candidates: Candidate[]): Retrieved[] {
    return this.ranker.rerank(q, candidates);
  }

  /** 0 for the oldest dated document, 1 for the newest. */
  recency(document: string): number {
    return this.dates.recency(document);
  }

  query(question: string, history: string[] = []): Query {
    return analyseQuery(question, this.aliases, history, this.paraphraser, (t) => this.looksLikeName(t));
  }

  /** Names of the question no source mentions ("Beijing", "Khamenei"): see question-names.ts. */
  missingKeyTerms(q: Query): string[] {
    return this.names.missing(q);
  }

  /** Numbers of the question no source has ("2015", "U-235"). */
  missingNumbers(q: Query): string[] {
    return this.names.missingNumbers(q);
  }

  looksLikeName(t: Token): boolean {
    return this.names.looksLikeName(t);
  }

  /** True when the corpus has the stem, or an alias or word family of it. */
  knows(stem: string, norm: string): boolean {
    return this.names.knows(stem, norm);
  }

  /** Fused ranking of chunks for a query. */
  retrieve(q: Query, depth = RERANK_DEPTH, only?: (c: Chunk) => boolean, queryVector?: number[] | null): Candidate[] {
    const inScope = scopeFilter(q, this.index.byId);
    const filter = only && inScope ? (c: Chunk) => only(c) && inScope(c) : (only ?? inScope);
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
    // Sections whose heading the question restates: their opening is a third ranking (headings.ts).
    r = 0;
    for (const { index } of this.ranker.headings.restated(q)) {
      if (filter && !filter(this.index.chunks[index])) continue;
      fused.set(index, (fused.get(index) ?? 0) + 1 / (RRF_K + ++r));
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

  /** The date the sources give an event ("the first Muscat round": 6 February), if any. */
  dateOf(phrase: string): string | undefined {
    const q = this.query(phrase);
    for (const p of this.rerank(q, this.retrieve(q, 5))) {
      const doc = this.index.byId.get(p.chunk.document)!;
      const best = p.sentences.reduce((x, y) => (y.score > x.score ? y : x));
      const date = firstDate(doc.text.slice(best.span.start, best.span.end), doc.published);
      if (date) return date;
    }
    return undefined;
  }

  /** `analysed`: the question's Query when the caller has built it already (from the same question and history). */
  answer(question: string, history: string[] = [], queryVector?: number[] | null, intent: Intent = readIntent(question), scope: AnswerScope = {}, analysed?: Query): OfflineResult {
    const parts = intent.parts.length > 1 ? intent.parts : [question];
    const q = analysed ?? this.query(question, history);
    q.documents = scope.documents;
    q.time = scope.time;
    if (parts.length === 1) q.answerType = intent.answerType;
    if (intent.yesNo) q.contrast = this.paraphraser.opposites(q.tokens);
    const missingNames = this.missingKeyTerms(q);
    const passages = this.rerank(q, this.retrieve(q, RERANK_DEPTH, undefined, queryVector));
    const topScore = passages[0]?.best ?? 0;
    if (missingNames.length) return { abstained: true, coverage: 'none', missing: missingNames, quotes: [], passages, topScore };
    let quotes: Quote[];
    if (parts.length > 1) {
      // Each part of a two-part question gets its own best passage first, then the rest by score.
      const perPart = parts.map((p) => {
        const pq = this.query(p, [question]);
        pq.answerType = readIntent(p).answerType;
        pq.documents = scope.documents;
        pq.time = scope.time;
        return this.rerank(pq, this.retrieve(pq, RERANK_DEPTH, undefined, queryVector));
      });
      const firsts = perPart.map((r) => r[0]).filter(Boolean);
      const rest = passages.filter((p) => p.best >= topScore * SECONDARY_RATIO);
      quotes = this.pickQuotes(dedupe([...firsts, ...rest]));
    } else {
      quotes = this.pickQuotes(passages.filter((p) => p.best >= topScore * SECONDARY_RATIO));
    }
    const graded = gradeCoverage({ query: q, intent, passages, quotes, topScore, missingNumbers: this.missingNumbers(q), answerer: this.coverageContext, pick: (p) => this.pickQuotes(p) });
    if (graded.coverage === 'none') return { abstained: true, coverage: 'none', missing: graded.missing, quotes: [], passages, topScore };
    let final = graded.quotes;
    const conflict = disagreement(passages, topScore, this.contradictions.lemmas(question), new Set(q.stems), intent.yesNo, { byId: this.index.byId, dates: this.dates, contradictions: this.contradictions, pick: (p, n) => this.pickQuotes(p, n) });
    if (conflict) final = conflict;
    // The current state: the newest documents' passages are quoted first, so their quotes get
    // the room (a quote picked last may lose its second sentence to the budget).
    else if (scope.time?.recent && graded.coverage !== 'partial') {
      const newest = [...passages.filter((p) => p.best >= topScore * LATEST_RATIO)].sort((x, y) => this.recency(y.chunk.document) - this.recency(x.chunk.document));
      if (newest.length) final = this.pickQuotes(newest);
    }
    // Where documents say the same, the newest is quoted first and the others are said to concur.
    const concur = conflict ? [] : concurring(passages, topScore, { byId: this.index.byId, dates: this.dates, embed: (t) => this.scorer.prepare(t).embedding });
    // Newest first where the question asks for the current state, or where sources disagree or concur.
    if (conflict || concur.length || scope.time?.recent) final = [...final].sort((a, b) => this.recency(b.document) - this.recency(a.document));
    final = fillRoom(final, this.index.byId);
    return { abstained: false, coverage: graded.coverage, missing: graded.missing, subject: graded.subject, quotes: final, passages, topScore, conflict: !!conflict, concurring: concur };
  }

  /** Passages that mention one question word (or the same name), best first for the whole question. */
  passagesMentioning(q: Query, t: Token): Retrieved[] {
    const stems = new Map<string, number>([[t.stem, 1]]);
    for (const s of q.sameName.get(t.stem) ?? []) stems.set(s, 1);
    for (const s of this.index.bm25.prefixFamily(t.norm)) stems.set(s, 1);
    const chunks = this.index.bm25.search(stems, RERANK_DEPTH);
    return this.rerank(q, chunks.map(({ index }) => ({ chunk: this.index.chunks[index], fused: 0, docShare: 1 })));
  }

  /** The quotes for the ranked passages (see quotes.ts), verified against the file text. */
  pickQuotes(passages: Retrieved[], maxQuotes = MAX_QUOTES, maxChars = MAX_QUOTE_CHARS): Quote[] {
    return pickQuotes(passages, this.index.byId, maxQuotes, maxChars);
  }
}

function dedupe(passages: Retrieved[]): Retrieved[] {
  const seen = new Set<string>();
  return passages.filter((p) => !seen.has(p.chunk.id) && (seen.add(p.chunk.id), true));
}
