// The shape of a daily digest, platform-neutral: each adapter renders it within its own limits.
import type { Quote, SourceInfo, Topic } from '../types.js';

export interface DigestPoint {
  topic: Topic;
  quote: Quote;
}

export interface DigestNewDocument {
  document: SourceInfo;
  quotes: Quote[];
}

export interface Digest {
  /** Local date the digest is for, YYYY-MM-DD. */
  date: string;
  title: string;
  /** LLM-written overview (LLM mode only); its quoted spans are verified like any answer. */
  overview?: string;
  /** Documents added or changed since the channel's previous digest, leading the digest. */
  newSince: DigestNewDocument[];
  points: DigestPoint[];
  /** "Indicators to watch", when the sources name them. */
  indicators: Quote[];
  /** Document titles by id for every quote. */
  titles: Record<string, string>;
}

export interface DigestOptions {
  /** YYYY-MM-DD; defaults to today in UTC. */
  date?: string;
  /** Document hashes (id -> sha256) as of the channel's previous digest; absent means first digest. */
  previous?: Record<string, string>;
}
