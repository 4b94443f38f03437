// What adding to the corpus returns and takes (R2.5), platform-neutral like the rest of the core:
// outcomes and data, never wording. The edges (adapters/) word them, and check that the person
// asking is on the editors list before they call in.

/** Who added something: the platform and its user id ("slack:U0123", "discord:4567", "terminal:alice"). */
export type AddedBy = string;

export type AddRequest =
  | { url: string; by: AddedBy }
  /** A file shared or attached in the chat, already downloaded; or a path on the terminal. */
  | { file: { bytes: Buffer; name: string; contentType?: string; url?: string }; by: AddedBy }
  | { path: string; by: AddedBy };

/** A document as it was added: what the reply to the editor shows. */
export interface AddedSource {
  /** The document's id: its path relative to the corpus folder ("added/2026-03-10-talks.md"). */
  id: string;
  title: string;
  /** The outlet ("" when the page named none). */
  source: string;
  /** ISO date, or "" when unknown. */
  published: string;
  url?: string;
  /** Section headings, lead first (the lead is titled by the document). */
  sections: string[];
  /** Size of the Markdown file written, in bytes. */
  bytes: number;
}

export type AddOutcome =
  /** `live`: the running index already answers from it (false in a one-shot CLI, where the next start picks it up). */
  | { kind: 'added'; added: AddedSource; live: boolean }
  /** Already in the corpus: the same URL, or the same text under another name. Nothing was written. */
  | { kind: 'duplicate'; id: string; title: string; why: 'same_url' | 'same_content' };

export interface RemovedSource {
  id: string;
  title: string;
  live: boolean;
}

export interface FeedInfo {
  id: number;
  url: string;
  /** The feed's own title, once it has been polled; "" before. */
  title: string;
  addedBy: string;
  addedAt: string;
  lastPolledAt?: string;
  lastError?: string;
}

export interface FeedPollSummary {
  feedId: number;
  url: string;
  status: 'ok' | 'not_modified' | 'failed';
  /** Corpus ids of the documents added from this feed's new items. */
  added: string[];
  /** Items whose article the corpus already had. */
  duplicates: number;
  /** Items whose article could not be added this time. */
  failed: number;
  /** Why the feed could not be polled (status "failed"); written for people. */
  error?: string;
}

/**
 * The editable corpus, as every edge uses it. Refusals that are the user's to fix (a private
 * address, a page with no article, an unknown id) are thrown as user-safe CodedErrors.
 */
export interface SourceDesk {
  add(request: AddRequest): Promise<AddOutcome>;
  remove(id: string, by: AddedBy): Promise<RemovedSource>;
  addFeed(url: string, by: AddedBy): Promise<{ feed: FeedInfo; created: boolean }>;
  feeds(): Promise<FeedInfo[]>;
  /** By id or by URL; undefined when no such feed. */
  removeFeed(idOrUrl: string): Promise<FeedInfo | undefined>;
  /** Checks every feed (or one) now and adds their new items. */
  pollFeeds(only?: number): Promise<FeedPollSummary[]>;
}
