// How well each sentence of the retrieved passages answers the question: the sentence scorer
// over the sentence alone and with its neighbours, with its own document's IDF, plus small priors
// (the kind of fact asked for, a date in the asked span, the opposite word of a yes/no question,
// a newer document for "latest"); passages ordered by their best sentence.
import type { CorpusIndex } from '../index/corpus-index.js';
import type { Chunk } from '../index/chunk.js';
import { terms } from '../text/tokens.js';
import { hasAnswerType } from './answer-type.js';
import type { Query } from './query.js';
import type { Candidate, Retrieved } from './retrieved.js';
import type { DocumentDates } from './scope.js';
import { SectionHeadings } from './headings.js';
import { TermStats } from '../index/term-stats.js';
import { SentenceScorer, type Prepared } from './scorer.js';
import { mentionsDateIn } from './time.js';

/** Weight of the (normalised) retrieval score next to the best sentence score when ordering passages. */
export const FUSED_WEIGHT = 0.1;
/**
 * Weight of the document's share of the retrieved set (see `retrieve`). With the 619 WikiQA
 * documents added as distractors, per-document IDF alone keeps 26 of the 28 development hits;
 * this prior keeps all 28.
 */
export const DOCUMENT_WEIGHT = 0.1;
/** Weight of a sentence's neighbourhood (it and the sentences either side) next to the sentence alone. */
export const CONTEXT_WEIGHT = 0.5;
/** Added to a sentence that holds the kind of fact the question asks for (see intent.ts). */
export const ANSWER_TYPE_BONUS = 0.05;
/** Added to a sentence that states a date in the span the question asks about. */
export const DATE_MATCH_BONUS = 0.1;
/** For "latest", "now", "still": added to a passage by its document's recency (0 oldest .. 1 newest). */
export const RECENCY_WEIGHT = 0.15;
/** Corpus sentences prepared at open (about 100 ms at the limit). */
export const WARM_UP_SENTENCES = 2000;
/** Corpus sentences kept prepared in memory. */
export const PREPARED_CACHE_SIZE = 50_000;

export class PassageRanker {
  private readonly prepared = new Map<string, Prepared>();
  private readonly docStats = new Map<string, TermStats>();
  private chunksByDoc?: Map<string, Chunk[]>;
  private headingsInstance?: SectionHeadings;
  private readonly preparedHeadings = new Map<string, Prepared>();

  constructor(
    private readonly index: CorpusIndex,
    readonly scorer: SentenceScorer,
    readonly dates: DocumentDates,
  ) {}

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

  /** The corpus's section headings, indexed on first use. */
  get headings(): SectionHeadings {
    return (this.headingsInstance ??= new SectionHeadings(this.index.chunks));
  }

  /** A section's heading read in its document's title: "Inspectors Reach Natanz...: What the Inspectors Could See". */
  private prepareHeading(title: string, section: string): Prepared {
    const key = `${title}\0${section}`;
    let p = this.preparedHeadings.get(key);
    if (!p) this.preparedHeadings.set(key, (p = this.scorer.prepare(title ? `${title}: ${section}` : section)));
    return p;
  }

  /** 0 for the oldest dated document, 1 for the newest (scope.ts). */
  recency(document: string): number {
    return this.dates.recency(document);
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
    const restated = new Set(this.headings.restated(q).map((s) => s.chunk));
    const out: Retrieved[] = candidates.map(({ chunk, fused, docShare }) => {
      const doc = this.index.byId.get(chunk.document)!;
      const stats = this.documentStats(chunk.document);
      const prepared = chunk.sentences.map((span, i) => this.prepare(chunk, i, doc.text.slice(span.start, span.end)));
      // Each sentence's word alignments once; a window's are the best of its sentences'.
      const matches = own ? undefined : prepared.map((p) => this.scorer.alignmentMatches(qp, p, stats));
      const sentences = chunk.sentences.map((span, i) => {
        const text = doc.text.slice(span.start, span.end);
        const windowed = CONTEXT_WEIGHT > 0 && chunk.sentences.length > 1;
        const alone = matches ? this.scorer.score(qp, prepared[i], stats, [matches[i]]) : this.sentenceScore(qp, own, prepared[i], chunk.document);
        const window = windowed ? this.prepareWindow(chunk, i, doc.text) : undefined;
        const around = !window ? alone : matches ? this.scorer.score(qp, window, stats, matches.slice(Math.max(0, i - 1), i + 2)) : this.sentenceScore(qp, own, window, chunk.document);
        // A sentence holding the kind of fact asked for (a date for "when", a name for "who") is
        // more likely the answer than one that only shares the question's words.
        let typed = type && hasAnswerType(type, text, asked) ? ANSWER_TYPE_BONUS : 0;
        // "What happened on 14 March?": a sentence stating a date in the asked span.
        if (q.time?.during && mentionsDateIn(text, doc.published, q.time.during)) typed += DATE_MATCH_BONUS;
        if (q.contrast?.size) {
          const stems = prepared[i].tf;
          for (const c of q.contrast) if (stems.has(c)) typed += ANSWER_TYPE_BONUS;
        }
        let score = (alone + CONTEXT_WEIGHT * around) / (1 + CONTEXT_WEIGHT);
        // The opening sentence of a section whose heading the question restates answers what the
        // heading says (headings.ts): it scores as the heading would, in its document's title.
        if (i === 0 && restated.has(chunk)) {
          const heading = this.scorer.score(qp, this.prepareHeading('', chunk.section), stats);
          const titled = this.scorer.score(qp, this.prepareHeading(doc.title, chunk.section), stats);
          score = Math.max(score, (heading + CONTEXT_WEIGHT * titled) / (1 + CONTEXT_WEIGHT));
        }
        return { span, score: score + typed };
      });
      return { chunk, fused, docShare, best: Math.max(...sentences.map((s) => s.score)), sentences };
    });
    // Passages are ordered by their best sentence, nudged by where retrieval ranked them and by
    // how much of the retrieved set their document holds.
    const top = Math.max(...out.map((p) => p.fused), 1e-9);
    // "The latest on enrichment": newer analyses first, by their place between the oldest and newest.
    const recent = q.time?.recent ? RECENCY_WEIGHT : 0;
    const rank = (p: Retrieved) => p.best + FUSED_WEIGHT * (p.fused / top) + DOCUMENT_WEIGHT * p.docShare + recent * this.recency(p.chunk.document);
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
}
