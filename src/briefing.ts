// The one service every edge calls: ask(), topics(), topic(), sources(), digest(). Opening it loads
// the corpus and the cached index; every call after that is in memory. It returns outcomes
// (coverage levels, reason codes, verified quotes with their sources and dates), never sentences for
// people: the edges word them (adapters/shared/).
import type { OpenAIConfig } from './config.js';
import { loadAliases } from './corpus/aliases.js';
import { OfflineAnswerer, type OfflineResult } from './answer/offline.js';
import { TOPIC_QUOTES, TopicIndex, TOPICS, type TopicDefinition } from './answer/topics.js';
import { composeDigest, type DigestSource } from './digest/compose.js';
import type { Digest, DigestOptions } from './digest/types.js';
import { CorpusIndex } from './index/corpus-index.js';
import type { IndexEmbedder } from './index/index-embedder.js';
import { LocalWordVectorEmbeddings } from './index/embedder-local.js';
import type { Logger } from './log.js';
import { MAX_QUESTION_CHARS, type BriefingService } from './service.js';
import { normalizeQuestion } from './text/casual.js';
import { terms, tokenize } from './text/tokens.js';
import { WordNet } from './text/wordnet.js';
import { newestFirst } from './text/dates.js';
import type { Answer, AskOptions, Quote, SourceInfo, Topic, TopicBriefing } from './types.js';
import type { LlmAnswerer } from './answer/llm.js';
import { readIntent } from './answer/intent.js';
import { BriefingRequests } from './answer/briefing-request.js';
import { namedSource } from './answer/named-sources.js';
import { readTime } from './answer/time.js';
import { warmUpQuestions } from './answer/warm-up.js';
import { whatsNew } from './answer/whats-new.js';

export interface BriefingOptions {
  corpusDir: string;
  dataDir: string;
  logger?: Logger;
  /** LLM mode (and, with `embeddingModel`, OpenAI embeddings for the vector index). */
  openai?: OpenAIConfig;
  /** Ignore every cache and rebuild (what `briefbot ingest` does). */
  rebuild?: boolean;
  /** Log each skipped corpus file (default); `ingest` prints them itself instead. */
  logWarnings?: boolean;
  /**
   * Warm the answer path before returning, for processes that answer many questions (a bot, a
   * chat, `ask --jsonl`); a one-shot `ask` or `ingest` would only pay it in start-up time.
   */
  warmUp?: boolean;
}

const WARM_UP_QUESTION = 'What did the negotiators say about the agreement?';
const WARM_UP_DATED = 'What has happened since 1 March?';
/** Passages handed to the model in LLM mode. */
export const LLM_PASSAGES = 6;
/** Longest quote in the digest: a point, not a paragraph. */
export const SHORT_QUOTE_CHARS = 320;

export class Briefing implements BriefingService, DigestSource {
  private readonly topicIndex: TopicIndex;
  private readonly briefingRequests: BriefingRequests;
  private readonly topicCache = new Map<string, Quote[]>();

  private constructor(
    readonly index: CorpusIndex,
    readonly answerer: OfflineAnswerer,
    private readonly indexEmbedder: IndexEmbedder,
    private readonly logger?: Logger,
    private readonly llm?: LlmAnswerer,
  ) {
    this.topicIndex = new TopicIndex(answerer);
    this.briefingRequests = new BriefingRequests(index, answerer, this.topicIndex);
  }

  static async open(opts: BriefingOptions): Promise<Briefing> {
    const local = LocalWordVectorEmbeddings.load(opts.dataDir);
    let indexEmbedder: IndexEmbedder = { embeddings: local, id: local.id, dims: local.dimensions };
    if (opts.openai?.embeddingModel) {
      const { createOpenAIIndexEmbedder } = await import('./index/embedder-openai.js');
      indexEmbedder = await createOpenAIIndexEmbedder(opts.openai);
    }
    const index = await CorpusIndex.open({ corpusDir: opts.corpusDir, dataDir: opts.dataDir, embedder: indexEmbedder, rebuild: opts.rebuild });
    if (opts.logWarnings !== false) for (const w of index.warnings) opts.logger?.warn({ file: w.file }, `corpus file skipped: ${w.file}: ${w.reason}`);
    const answerer = new OfflineAnswerer(index, local, loadAliases(opts.corpusDir), undefined, indexEmbedder.embeddings === local, WordNet.open());
    let llm: LlmAnswerer | undefined;
    if (opts.openai) {
      // Loaded only in LLM mode: @langchain/openai costs start-up time nobody else should pay.
      const { LlmAnswerer } = await import('./answer/llm.js');
      llm = new LlmAnswerer({ ...opts.openai, logger: opts.logger ?? silentLogger(), corpus: index.byId });
    }
    const briefing = new Briefing(index, answerer, indexEmbedder, opts.logger, llm);
    if (opts.warmUp) {
      // Sentences prepared and throw-away questions compile the hot path (wink-nlp's tagger, the
      // scorer) before a user waits on it: the next answers are as fast as the rest (warm-up.ts).
      answerer.warmUp();
      for (const t of TOPICS) briefing.topicQuotes(t.id);
      for (const q of [WARM_UP_QUESTION, ...warmUpQuestions(index.documents)]) {
        if (!llm) await briefing.ask(q);
        else answerer.answer(q); // never a model call at start-up
      }
      // chrono-node loads on the first dated question; a bot loads it now, not in someone's answer.
      readTime(WARM_UP_DATED, briefing.newestDate(), () => undefined);
    }
    return briefing;
  }

  get warnings() {
    return this.index.warnings;
  }

  private titles(quotes: Quote[]): Record<string, string> {
    const t: Record<string, string> = {};
    for (const q of quotes) t[q.document] = this.index.byId.get(q.document)?.title ?? q.document;
    return t;
  }

  /** Labels of the topics the sources cover (what an abstention suggests asking about instead). */
  private coveredTopics(): string[] {
    return TOPICS.filter((t) => this.topicQuotes(t.id).length).map((t) => t.label);
  }

  private refusal(question: string, started: number, error: Answer['error'], questionChars?: number): Answer {
    return { ...this.outcome(question, started, 'none', []), error, ...(questionChars ? { questionChars } : {}) };
  }

  /** An Answer with its coverage level and quotes; `more` adds the codes and details of its kind. */
  private outcome(question: string, started: number, coverage: Answer['coverage'], quotes: Quote[], more: Partial<Answer> = {}): Answer {
    const abstained = coverage === 'none';
    // What an abstention suggests instead: the briefing topics covered, or else the newest documents.
    const covered = abstained ? this.coveredTopics() : [];
    const suggestions = abstained ? (covered.length ? { suggestions: covered } : { suggestions: [], newestTitles: newestFirst(this.index.documents).slice(0, 5).map((d) => d.title) }) : {};
    const base: Answer = { question, abstained, coverage, missing: [], conflict: false, concurring: 0, quotes, ms: 0, mode: 'offline', droppedQuotes: 0, titles: this.titles(quotes), ...suggestions, ...more };
    base.ms = performance.now() - started;
    return base;
  }

  /** The newest publication date among the documents: the "now" of "last week". */
  private newestDate(): string | undefined {
    return this.index.documents.map((d) => d.published).filter(Boolean).sort().pop();
  }

  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    const started = performance.now();
    // Runs of whitespace of any kind count as one space (linear, and before the length check: a
    // question padded with 40,000 no-break spaces is still a short question).
    const q = typeof question === 'string' ? question.replace(/\s+/g, ' ').trim() : '';
    if (!q) return this.refusal('', started, 'empty');
    if (q.length > MAX_QUESTION_CHARS) return this.refusal(q.slice(0, 200), started, 'too_long', q.length);
    if (!tokenize(q).length) return this.refusal(q, started, 'no_words');

    const history = (options.history ?? []).filter((h) => typeof h === 'string' && h.trim()).map((h) => normalizeQuestion(h.slice(0, MAX_QUESTION_CHARS)).text);
    const typed = normalizeQuestion(q).text;
    // "What did Tidewater Gulf Monitor report about ...?" is asked of that outlet's documents;
    // "latest", "since ...", "in March" scope it in time (named-sources.ts, time.ts).
    const named = namedSource(typed, this.index.documents);
    const plain = named?.rest || typed;
    const intent = readIntent(plain);
    const time = readTime(plain, this.newestDate(), (phrase) => this.answerer.dateOf(phrase), intent.past);
    const scoped = !!named || time.recent || !!time.after || !!time.during;
    if (intent.briefing && !scoped) {
      const { subject } = intent.briefing;
      const quotes = this.briefingRequests.quotes(subject, history) ?? [];
      if (quotes.length) return this.outcome(q, started, 'answered', quotes);
    }
    const asked = intent.briefing?.subject || plain;
    const query = this.answerer.query(asked, history);
    const queryVector = await this.queryVector(query.scoringText);
    const missing = this.answerer.missingKeyTerms(query);
    let result: OfflineResult;
    // A topic question ("Oman's role?") gets the section; one asking for an attribute the sources
    // never name ("What's the population of Oman?") is answered, and graded, as a question.
    const askedIntent = intent.briefing ? readIntent(asked) : intent;
    const askedFor = askedIntent.focus;
    const attributeAbsent = askedFor?.split(' / ').some((w) => !this.answerer.knows(terms(w)[0] ?? '', w.toLowerCase()));
    const topicSections = missing.length || attributeAbsent || scoped ? [] : this.topicIndex.topicQuestionSections(query);
    const topicAsked = missing.length || attributeAbsent || scoped || topicSections.length ? undefined : this.topicIndex.topicAsked(query);
    const topicAskedQuotes = topicAsked ? this.topicQuotes(topicAsked.id).slice(0, TOPIC_QUOTES) : [];
    if (topicSections.length) {
      result = { abstained: false, coverage: 'answered', missing: [], quotes: this.topicIndex.sectionQuotes(topicSections), passages: [], topScore: 1 };
    } else if (topicAskedQuotes.length) {
      result = { abstained: false, coverage: 'answered', missing: [], quotes: topicAskedQuotes, passages: [], topScore: 1 };
    } else {
      result = this.answerer.answer(asked, history, queryVector, askedIntent, { documents: named ? new Set(named.documents) : undefined, time }, query);
    }

    if ((result.abstained || result.quotes.length === 0) && !missing.length && (time.after || time.during)) {
      // A question for a span of time ("what's happened since 1 May?") gets what was said in it.
      const quotes = whatsNew(this.index.documents, time, this.topicIndex);
      if (quotes.length) {
        return this.outcome(q, started, query.tokens.length ? 'related' : 'answered', quotes);
      }
    }
    if (result.abstained || result.quotes.length === 0) {
      const outlet = named?.name;
      // A question that names a topic the sources cover is never told the topic is uncovered.
      const nearTopic = this.topicIndex.matchHeadings(query.stems)[0]?.title;
      const because: Partial<Answer> = missing.length
        ? { reason: this.looksForeign(query) ? 'other_language' : 'unknown_names' }
        : named
          ? { reason: 'outlet_silent' }
          : nearTopic
            ? { reason: 'topic_unanswered', nearTopic }
            : { reason: 'not_covered' };
      return this.outcome(q, started, 'none', [], { missing: result.missing.length ? result.missing : missing, ...because, ...(outlet ? { outlet } : {}) });
    }

    // What the edge needs to word a partial answer and name a scoped one.
    const details: Partial<Answer> = { ...(result.subject ? { subject: result.subject } : {}), ...(askedFor ? { focus: askedFor } : {}), ...(named ? { outlet: named.name } : {}) };
    let droppedQuotes = 0;
    if (this.llm && result.passages.length) {
      const passages = result.passages.slice(0, LLM_PASSAGES).map((p) => p.chunk);
      const documents = new Map([...this.index.byId].map(([id, d]) => [id, { text: d.text, title: d.title }]));
      const out = await this.llm.synthesize({ question: q, history, passages, documents, sectionOf: (doc, offset) => this.sectionAt(doc, offset) });
      droppedQuotes = out.droppedQuotes;
      if (out.result) {
        const quotes = out.result.quotes;
        return this.outcome(q, started, result.coverage, quotes, { missing: result.missing, conflict: !!result.conflict, synthesis: out.result.answer, mode: 'llm', droppedQuotes, ...details });
      }
      this.logger?.info({ reason: out.reason, droppedQuotes }, 'LLM answer not used; answering offline');
    }
    return this.outcome(q, started, result.coverage, result.quotes, { missing: result.missing, conflict: !!result.conflict, concurring: result.concurring?.length ?? 0, droppedQuotes, ...details });
  }

  /** Most of the question's words are unknown to the English word vectors: likely another language. */
  private looksForeign(query: ReturnType<OfflineAnswerer['query']>): boolean {
    const vectors = this.answerer.scorer.vectorsRef;
    const unknown = query.tokens.filter((t) => vectors.row(t.norm) < 0).length;
    return query.tokens.length > 0 && unknown / query.tokens.length > 0.5;
  }

  /** The query's vector for the vector index: local embeddings inline, OpenAI's over the network. */
  private async queryVector(text: string): Promise<number[] | undefined | null> {
    if (this.indexEmbedder.embeddings instanceof LocalWordVectorEmbeddings) return undefined;
    try {
      return await this.indexEmbedder.embeddings.embedQuery(text);
    } catch (e) {
      this.logger?.warn({ err: String(e) }, 'query embedding failed; retrieving with BM25 alone');
      return null;
    }
  }

  private sectionAt(document: string, offset: number): string | undefined {
    const doc = this.index.byId.get(document);
    return doc?.sections.find((s) => s.start <= offset && offset < Math.max(s.end, s.start + 1))?.title;
  }

  topics(): Topic[] {
    return TOPICS.map(({ id, label, description }) => ({ id, label, description }));
  }

  private topicDef(id: string): TopicDefinition | undefined {
    return TOPICS.find((t) => t.id === id);
  }

  topic(id: string): TopicBriefing | undefined {
    const def = this.topicDef(id);
    if (!def) return undefined;
    const quotes = this.topicQuotes(id).slice(0, 3);
    return { topic: { id: def.id, label: def.label, description: def.description }, quotes, titles: this.titles(quotes) };
  }

  sources(): SourceInfo[] {
    return newestFirst(this.index.documents).map((d) => ({ id: d.id, title: d.title, source: d.source, published: d.published, sections: d.sections.map((s) => s.title) }));
  }

  documentHashes(): Record<string, string> {
    return Object.fromEntries(this.index.documents.map((d) => [d.id, d.hash]));
  }

  // DigestSource: what the digest composer draws on.
  /** A topic's quotes, strongest first; computed once per topic (the corpus is fixed for a Briefing). */
  topicQuotes(topicId: string): Quote[] {
    let quotes = this.topicCache.get(topicId);
    if (!quotes) {
      const def = this.topicDef(topicId);
      quotes = def ? this.topicIndex.topicQuotes(def, 5) : [];
      this.topicCache.set(topicId, quotes);
    }
    return quotes;
  }

  indicatorQuotes(): Quote[] {
    return this.topicQuotes('indicators');
  }

  documentQuotes(documentId: string, n: number): Quote[] {
    const doc = this.index.byId.get(documentId);
    if (!doc) return [];
    return this.topicIndex.sectionQuotes(
      doc.sections.map((s) => ({ document: doc.id, sectionIndex: s.index, title: s.title, score: 1 })),
      n,
    ).filter((q) => q.text.length <= SHORT_QUOTE_CHARS * 2);
  }

  async digest(options: DigestOptions = {}): Promise<Digest> {
    const date = options.date ?? new Date().toISOString().slice(0, 10);
    return composeDigest(this, { date, previous: options.previous });
  }
}

function silentLogger(): Logger {
  const noop = () => undefined;
  const l = { info: noop, warn: noop, error: noop, debug: noop, trace: noop, fatal: noop, child: () => l } as unknown as Logger;
  return l;
}
