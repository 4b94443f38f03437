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

export interface Answer {
  id?: unknown;
  question: string;
  /** True exactly when `coverage` is `none`. */
  abstained: boolean;
  coverage: Coverage;
  /** True when quotes from different documents answer the point differently (newest first). */
  conflict: boolean;
  /** For `partial` (and a `none` about a subject the sources never name): what the sources lack, in the question's words. */
  missing: string[];
  /** Plain text: the lead line, then the quotes with their sources (what a terminal prints). */
  answer: string;
  /**
   * The one-line lead alone (names the document and sections; for an abstention, says the sources
   * don't cover it; in LLM mode, the written synthesis). Adapters show it above `quotes`.
   */
  lead: string;
  quotes: Quote[];
  ms: number;
  mode: AnswerMode;
  droppedQuotes: number;
  /** Document titles by document id for every quote, so adapters need no corpus access. */
  titles?: Record<string, string>;
  /** Set when the question itself was unusable (empty, too long, no words). */
  error?: 'empty' | 'too_long' | 'no_words';
  /** When abstaining: the topics the sources do cover, for a helpful suggestion. */
  suggestions?: string[];
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

export interface TopicBriefing {
  topic: Topic;
  /** Lead line naming documents and sections, plain text. */
  answer: string;
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
