// The one service every edge calls (DESIGN.md: adapters -> Briefing). Adapters depend on this
// interface, not on the engine class, so a test can wrap it (say, to inject a slow answer).
import type { Digest, DigestOptions } from './digest/types.js';
import type { Answer, AskOptions, SourceInfo, Topic, TopicBriefing } from './types.js';

export interface BriefingService {
  /** Answers a question with verified verbatim quotes, or abstains. Never throws for bad input. */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** The briefing topics the corpus covers (trust deficit, scope dispute, ...). */
  topics(): Topic[];
  /** The passages of one topic's matching section(s), quoted; undefined for an unknown topic id. */
  topic(id: string): TopicBriefing | undefined;
  /** The documents in the corpus, newest first (undated last, then by title). */
  sources(): SourceInfo[];
  /** Document id -> content hash, for "new since the last briefing". */
  documentHashes(): Record<string, string>;
  /** Today's (or a given date's) digest; deterministic for a date, corpus and `previous`. */
  digest(options?: DigestOptions): Promise<Digest>;
}

/** Longest question accepted; longer ones get a clear message instead of an answer. */
export const MAX_QUESTION_CHARS = 2000;
