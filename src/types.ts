// Platform-neutral data model (DESIGN.md "Data model"). Adapters render these; nothing here knows
// about Slack, Discord or a terminal.

/** A sentence of a document, as character offsets into the document's file text. */
export interface Span {
  start: number;
  end: number;
}

export interface Paragraph extends Span {
  /** Sentence boundaries inside the paragraph (offsets into the file text). */
  sentences: Span[];
}

export interface Section extends Span {
  /** The section heading; the document's lead (before the first heading) uses the document title. */
  title: string;
  /** 0-based position of the section in its document. */
  index: number;
  paragraphs: Paragraph[];
}

export interface Document {
  /** Path relative to the corpus folder, with forward slashes: the document's stable id. */
  id: string;
  title: string;
  source: string;
  /** ISO date (YYYY-MM-DD) or "" when unknown. */
  published: string;
  /** The file text exactly as read (UTF-8); every offset points into this string. */
  text: string;
  sections: Section[];
  /** sha256 of the file bytes: drives cache invalidation and "new since" in digests. */
  hash: string;
}

/** A chunk of one document: whole sentences, never crossing a section boundary. */
export interface Passage {
  /** Stable within one index build: `${document}#${ordinal}`. */
  id: string;
  document: string;
  section: string;
  sectionIndex: number;
  start: number;
  end: number;
  text: string;
}

/** A verbatim quote: `text === documentText.slice(start, end)` always holds. */
export interface Quote {
  text: string;
  document: string;
  section: string;
  start: number;
  end: number;
  /** The document's outlet (front matter `source`), "" when unknown. */
  source: string;
  /** The document's publication date (ISO YYYY-MM-DD), "" when unknown. */
  published: string;
}

/** A quote before verification, which stamps it with its document's outlet and date. */
export type QuoteSpan = Omit<Quote, 'source' | 'published'>;

export type AnswerMode = 'offline' | 'llm';

/**
 * How well the quotes answer the question (DESIGN.md "Data model"):
 * - `answered`: the quotes answer it;
 * - `partial`: the sources talk about the subject but not the asked detail (`missing` names it);
 * - `related`: the closest passages, without confidence that they answer it;
 * - `none`: nothing relevant (the only level where `abstained` is true).
 */
export type Coverage = 'answered' | 'partial' | 'related' | 'none';

/**
 * Why an answer quotes nothing (`coverage` "none"), as a code each edge words for its readers:
 * - `not_covered`: nothing relevant in the sources;
 * - `unknown_names`: `missing` lists names the sources never mention;
 * - `other_language`: most of the question's words are not English;
 * - `outlet_silent`: the outlet the question names (`outlet`) has nothing on the point;
 * - `topic_unanswered`: the sources discuss the topic the question names (`nearTopic`), but
 *   nothing in them answers the question.
 */
export type NoneReason = 'not_covered' | 'unknown_names' | 'other_language' | 'outlet_silent' | 'topic_unanswered';

/** A question that could not be used at all: the edge tells the person how to ask instead. */
export type QuestionProblem = 'empty' | 'too_long' | 'no_words';

/**
 * The outcome of a question (DESIGN.md "Data model"): levels, codes and verified quotes with their
 * sources and dates, never sentences for people; every edge words and lays them out itself
 * (adapters/shared/). `briefbot ask --json` adds `answer`, the console's plain rendering.
 */
export interface Answer {
  question: string;
  /** True exactly when `coverage` is `none`. */
  abstained: boolean;
  coverage: Coverage;
  /** True when quotes from different documents answer the point differently (newest first). */
  conflict: boolean;
  /** For `partial` (and a `none` about names the sources never mention): what the sources lack, in the question's words. */
  missing: string[];
  /** For `none`: why. */
  reason?: NoneReason;
  /** For `partial`: what the sources do mention, in the question's words ("the Khorramshahr-4"). */
  subject?: string;
  /** The attribute the question asks for ("range"), when its wording names one. */
  focus?: string;
  /** The outlet the question names ("Tidewater Gulf Monitor"). */
  outlet?: string;
  /** For `topic_unanswered`: the section heading the question names. */
  nearTopic?: string;
  /** How many other documents say the same as the newest, quoted first (0 when none do, or they disagree). */
  concurring: number;
  /** LLM mode: the model's written synthesis, citing the quotes as [1], [2], ... */
  synthesis?: string;
  quotes: Quote[];
  ms: number;
  mode: AnswerMode;
  droppedQuotes: number;
  /** Document titles by document id for every quote, so adapters need no corpus access. */
  titles: Record<string, string>;
  /** Set when the question itself was unusable; `questionChars` is its length for `too_long`. */
  error?: QuestionProblem;
  questionChars?: number;
  /** For `none`: the briefing topics the sources cover, to suggest instead... */
  suggestions?: string[];
  /** ...or, when they cover none of them, the newest documents' titles. */
  newestTitles?: string[];
}

export interface AskOptions {
  /** Earlier question(s) in the same conversation thread, oldest first: for follow-ups. */
  history?: string[];
}

/** A topic of the briefing (trust deficit, scope dispute, ...), matched to corpus sections. */
export interface Topic {
  id: string;
  label: string;
  /** One-line description used in help text and Discord choices. */
  description: string;
}

/** One briefing topic's quotes (none when the sources don't cover it), with their documents' titles. */
export interface TopicBriefing {
  topic: Topic;
  quotes: Quote[];
  titles: Record<string, string>;
}

export interface SourceInfo {
  id: string;
  title: string;
  source: string;
  published: string;
  sections: string[];
}
