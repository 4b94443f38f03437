// The shape of a daily digest: what was chosen, never how to say it. Headings, the dated title and
// every other word a person reads are made at the edge (adapters/shared/digest-card.ts), so the
// same outcome reads alike in Slack, Discord and a terminal.
import type { Quote, SourceInfo, Topic } from '../types.js';

export interface DigestPoint {
  topic: Topic;
  quote: Quote;
}

export interface DigestNewDocument {
  /** Id, title, outlet (`source`) and publication date of the document. */
  document: SourceInfo;
  quotes: Quote[];
}

export interface Digest {
  /** Local date the digest is for, YYYY-MM-DD. */
  date: string;
  /** Documents added or changed since the channel's previous digest, newest first. */
  newSince: DigestNewDocument[];
  /** One quote per covered briefing topic, in the topics' order. */
  points: DigestPoint[];
  /** Passages naming what to watch next, when the sources name any. */
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
