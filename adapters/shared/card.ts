// The platform-neutral card every edge lays out: built once from an outcome (an Answer, a topic
// briefing, the source list), so Slack's Block Kit, Discord's embeds and the terminal show the same
// lead, the same quotes with the same attributions and the same notes. Text here is plain; each
// platform escapes it and fits it to its own limits.
import type { Answer, SourceInfo, Topic, TopicBriefing } from '../../src/types.js';
import { quoteAttribution, sourceListByline } from './attribution.js';
import {
  answerLead,
  coverageNote,
  droppedNote,
  modeNote,
  NO_SOURCES,
  SECTIONS_LINE,
  SOURCES_TITLE,
  sourcesFooter,
  TOPIC_TITLE,
  topicLead,
  UNKNOWN_TOPIC,
  type Dialect,
} from './wording.js';

export interface CardQuote {
  text: string;
  /** "Tidewater Gulf Monitor, 10 Mar 2026 · Section" */
  attribution: string;
  document: string;
}

/** One listed item without a quote (a source document): a name, a line under it, and more for roomier layouts. */
export interface CardItem {
  name: string;
  detail: string;
  extra?: string;
}

/**
 * - `answer`: quotes that answer; `caveat`: quotes that answer part of it, or may not answer it;
 * - `none`: nothing quoted (an abstention, a topic the sources lack); `problem`: the question was unusable.
 */
export type CardTone = 'answer' | 'caveat' | 'none' | 'problem';

export interface Card {
  tone: CardTone;
  /** The question, or what the card is ("Briefing: Oman's role"); platforms that title cards show it. */
  title?: string;
  lead: string;
  quotes: CardQuote[];
  /** True when the lead cites the quotes by number ([1], [2]: a model's synthesis). */
  numbered: boolean;
  items: CardItem[];
  /** Short lines under the quotes: how far they go, how the answer was made. */
  notes: string[];
  /** "Sources: A; B": each quoted document once. */
  sources?: string;
}

const empty = { quotes: [], numbered: false, items: [], notes: [] };

export function answerCard(answer: Answer, d: Dialect): Card {
  if (answer.error) return { ...empty, tone: 'problem', lead: answerLead(answer, d) };
  if (answer.abstained) return { ...empty, tone: 'none', title: answer.question, lead: answerLead(answer, d) };
  const notes = [coverageNote(answer), modeNote(answer), droppedNote(answer.droppedQuotes)].filter((n): n is string => !!n);
  return {
    tone: answer.coverage === 'partial' || answer.coverage === 'related' ? 'caveat' : 'answer',
    title: answer.question,
    lead: answerLead(answer, d),
    quotes: answer.quotes.map((q) => ({ text: q.text, attribution: quoteAttribution(q, answer.titles), document: q.document })),
    numbered: answer.mode === 'llm',
    items: [],
    notes,
    sources: sourcesFooter(answer.quotes, answer.titles),
  };
}

export function topicCard(briefing: TopicBriefing): Card {
  const { topic, quotes, titles } = briefing;
  return {
    ...empty,
    tone: quotes.length ? 'answer' : 'none',
    title: TOPIC_TITLE(topic.label),
    lead: topicLead(topic.label, quotes, titles),
    quotes: quotes.map((q) => ({ text: q.text, attribution: quoteAttribution(q, titles), document: q.document })),
    sources: sourcesFooter(quotes, titles),
  };
}

export function unknownTopicCard(id: string, topics: Topic[]): Card {
  return { ...empty, tone: 'problem', lead: UNKNOWN_TOPIC(id, topics.map((t) => t.label)) };
}

/** The documents in the order given (the engine's: newest first), each with its outlet and date. */
export function sourcesCard(sources: SourceInfo[]): Card {
  if (!sources.length) return { ...empty, tone: 'none', lead: NO_SOURCES };
  return {
    ...empty,
    tone: 'answer',
    title: SOURCES_TITLE(sources.length),
    lead: '',
    items: sources.map((s) => ({ name: s.title, detail: sourceListByline(s), ...(s.sections.length ? { extra: SECTIONS_LINE(s) } : {}) })),
  };
}
