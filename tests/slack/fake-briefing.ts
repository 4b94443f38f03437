// A small BriefingService for tests that exercise the Slack edge rather than the engine: fixed
// documents, word-overlap matching, and the engine's contract for unusable questions. It records
// every ask() so tests can check what history reached the engine.
import { MAX_QUESTION_CHARS, type BriefingService } from '../../src/service.js';
import type { Answer, AskOptions, Quote, Topic, TopicBriefing } from '../../src/types.js';

const DOC = 'analysis/oman-channel.md';
const TEXT = [
  '# The Oman channel',
  'Oman hosted indirect talks in Muscat, carrying messages between the delegations.',
  'Muscat offered a venue both sides could accept without losing face.',
  '## Enrichment',
  'Washington demanded zero enrichment while Tehran insisted on its right to enrich.',
  'The gap on enrichment levels remained the core dispute <even after> the third round & beyond.',
].join('\n');

function quoteOf(sentence: string, section: string): Quote {
  const start = TEXT.indexOf(sentence);
  return { text: sentence, document: DOC, section, start, end: start + sentence.length, source: 'test', published: '2025-05-01' };
}

const SENTENCES: Quote[] = [
  quoteOf('Oman hosted indirect talks in Muscat, carrying messages between the delegations.', 'The Oman channel'),
  quoteOf('Muscat offered a venue both sides could accept without losing face.', 'The Oman channel'),
  quoteOf('Washington demanded zero enrichment while Tehran insisted on its right to enrich.', 'Enrichment'),
  quoteOf('The gap on enrichment levels remained the core dispute <even after> the third round & beyond.', 'Enrichment'),
];

export const TOPICS: Topic[] = [
  { id: 'oman', label: 'The Oman channel', description: 'Who carried messages & where' },
  { id: 'enrichment', label: 'Enrichment', description: 'Zero enrichment versus the right to enrich' },
];

const words = (s: string) => s.toLowerCase().match(/[a-z]{3,}/g) ?? [];

export class FakeBriefing implements BriefingService {
  readonly asks: Array<{ question: string; options?: AskOptions }> = [];
  /** Throw from ask() (a broken engine) while set. */
  failWith?: Error;

  async ask(question: string, options?: AskOptions): Promise<Answer> {
    this.asks.push({ question, options });
    if (this.failWith) throw this.failWith;
    const base = { question, ms: 1, mode: 'offline' as const, droppedQuotes: 0, lead: '', missing: [] };
    const q = question.trim();
    if (!q) return { ...base, abstained: true, coverage: 'none', answer: '', quotes: [], error: 'empty' };
    if (q.length > MAX_QUESTION_CHARS) return { ...base, abstained: true, coverage: 'none', answer: '', quotes: [], error: 'too_long' };
    const asked = new Set([...words(q), ...(options?.history ?? []).flatMap(words)]);
    if (!asked.size) return { ...base, abstained: true, coverage: 'none', answer: '', quotes: [], error: 'no_words' };
    const quotes = SENTENCES.filter((s) => words(s.text).some((w) => asked.has(w) && w.length > 3));
    if (!quotes.length) return { ...base, abstained: true, coverage: 'none', answer: 'The sources do not cover that.', lead: 'The sources do not cover that.', quotes: [], suggestions: TOPICS.map((t) => t.label) };
    return { ...base, abstained: false, coverage: 'answered', answer: `From “The Oman channel”: ${quotes.length} passage(s).`, lead: 'From “The Oman channel”:', quotes, titles: { [DOC]: 'The Oman channel' } };
  }

  topics(): Topic[] {
    return TOPICS;
  }

  topic(id: string): TopicBriefing | undefined {
    return this.briefings().find((t) => t.topic.id === id);
  }

  private briefings(): TopicBriefing[] {
    return [
      { topic: TOPICS[0], answer: 'Oman', quotes: [SENTENCES[0]], titles: { [DOC]: 'The Oman channel' } },
      { topic: TOPICS[1], answer: 'Enrichment', quotes: [SENTENCES[3]], titles: { [DOC]: 'The Oman channel' } },
    ];
  }

  sources() {
    return [{ id: DOC, title: 'The Oman channel', source: 'test', published: '2025-05-01', sections: ['The Oman channel', 'Enrichment'] }];
  }

  documentHashes() {
    return { [DOC]: 'hash' };
  }

  async digest(): Promise<never> {
    throw new Error('not used by the Slack tests');
  }
}
