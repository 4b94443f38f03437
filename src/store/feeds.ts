// Feeds and what has been done with each of their items, in SQLite so every process on the same
// DATA_DIR polls the same list; postgres/feeds.ts keeps them for replicas sharing one database.
import type Database from 'better-sqlite3';
import { CodedError } from '../errors.js';
import { statementCache, type DB } from './db.js';
import { iso } from './rows.js';

/** Times a failed item is tried again on later polls before it is left failed for good. */
export const FEED_ITEM_RETRIES = 3;

export interface FeedRecord {
  id: number;
  /** Normalized (see `normalizeFeedUrl`); unique. */
  url: string;
  /** The feed's own title, as of its last successful poll. */
  title?: string;
  addedBy: string;
  addedAt: string;
  /** Validators from the last poll, sent back as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  lastPolledAt?: string;
  /** Why the last poll failed; absent when it succeeded. */
  lastError?: string;
}

export type FeedItemState = 'added' | 'skipped' | 'failed';

export interface FeedItemRecord {
  feedId: number;
  key: string;
  url: string;
  state: FeedItemState;
  /** Corpus id of the document the item became (added), or that it duplicates (skipped). */
  addedDoc?: string;
  /** Why it failed, or why it was skipped. */
  error?: string;
  /** Failed attempts so far. */
  attempts: number;
  /** When the item was first seen. */
  seenAt: string;
}

export interface PollRecord {
  etag?: string;
  lastModified?: string;
  /** Kept as it was when absent (a failed poll does not know the title). */
  title?: string;
  /** Absent for a successful poll. */
  error?: string;
}

export interface MarkItem {
  url: string;
  state: FeedItemState;
  addedDoc?: string;
  error?: string;
}

/**
 * The form a feed URL is stored and compared in: trimmed, parsed, fragment dropped (servers never
 * see it). Throws a user-safe `CodedError` (code `feed_url`) for anything but an http(s) URL.
 */
export function normalizeFeedUrl(input: string): string {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CodedError('feed_url', `"${raw}" is not a URL; a feed is added by its http:// or https:// address.`, { userSafe: true });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CodedError('feed_url', `"${raw}" is not an http:// or https:// address.`, { userSafe: true });
  }
  url.hash = '';
  return url.href;
}

/** Feeds and their items, whichever database keeps them. */
export interface FeedStore {
  /**
   * Adds a feed by URL (normalized first; rejects with a user-safe `feed_url` error for a bad one).
   * A URL already present is not added again: `created` is false and the existing feed is returned.
   */
  add(url: string, addedBy: string): Promise<{ feed: FeedRecord; created: boolean }>;
  /** Every feed, oldest first. */
  list(): Promise<FeedRecord[]>;
  get(id: number): Promise<FeedRecord | undefined>;
  /** By id, or by URL (in any spelling that normalizes to the stored one). */
  find(idOrUrl: number | string): Promise<FeedRecord | undefined>;
  /** Removes a feed (by id or URL) and the record of its items; returns what was removed. */
  remove(idOrUrl: number | string): Promise<FeedRecord | undefined>;
  /** Records a poll's outcome: validators and error are replaced (absent clears them). */
  recordPoll(id: number, poll: PollRecord): Promise<void>;
  /**
   * True when the item needs nothing more: added, skipped, or failed more than FEED_ITEM_RETRIES
   * times after its first attempt. A failed item with retries left is not seen.
   */
  isSeen(feedId: number, key: string): Promise<boolean>;
  getItem(feedId: number, key: string): Promise<FeedItemRecord | undefined>;
  /** The feed's items, most recently first seen first. */
  items(feedId: number): Promise<FeedItemRecord[]>;
  /** Whether anything of this feed was ever recorded: false until its first successful poll. */
  hasItems(feedId: number): Promise<boolean>;
  /** Records what was done with an item; a repeated failure counts one more attempt. */
  markItem(feedId: number, key: string, mark: MarkItem): Promise<void>;
}

/** Rows as either database returns them: times are ISO text in SQLite, timestamptz (a Date) in PostgreSQL. */
export interface FeedRow {
  id: number;
  url: string;
  title: string | null;
  added_by: string;
  added_at: string | Date;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: string | Date | null;
  last_error: string | null;
}

export interface ItemRow {
  feed_id: number;
  item_key: string;
  url: string;
  added_doc: string | null;
  state: FeedItemState;
  error: string | null;
  attempts: number;
  seen_at: string | Date;
}

export function feedFromRow(r: FeedRow): FeedRecord {
  const feed: FeedRecord = { id: r.id, url: r.url, addedBy: r.added_by, addedAt: iso(r.added_at) };
  if (r.title !== null) feed.title = r.title;
  if (r.etag !== null) feed.etag = r.etag;
  if (r.last_modified !== null) feed.lastModified = r.last_modified;
  if (r.last_polled_at !== null) feed.lastPolledAt = iso(r.last_polled_at);
  if (r.last_error !== null) feed.lastError = r.last_error;
  return feed;
}

export function itemFromRow(r: ItemRow): FeedItemRecord {
  const item: FeedItemRecord = { feedId: r.feed_id, key: r.item_key, url: r.url, state: r.state, attempts: r.attempts, seenAt: iso(r.seen_at) };
  if (r.added_doc !== null) item.addedDoc = r.added_doc;
  if (r.error !== null) item.error = r.error;
  return item;
}

/** `isSeen` of a recorded item (or of none). */
export function itemSeen(item: FeedItemRecord | undefined): boolean {
  return item !== undefined && (item.state !== 'failed' || item.attempts > FEED_ITEM_RETRIES);
}

/** How `find` looks a feed up: by id (a number, or digits), by normalized URL, or not at all (not a URL). */
export function feedLookup(idOrUrl: number | string): { id: number } | { url: string } | undefined {
  if (typeof idOrUrl === 'number') return { id: idOrUrl };
  if (/^\d+$/.test(idOrUrl.trim())) return { id: Number(idOrUrl.trim()) };
  try {
    return { url: normalizeFeedUrl(idOrUrl) };
  } catch {
    return undefined;
  }
}

/** The values `markItem` writes with MARK_ITEM (named as there). */
export function markValues(feedId: number, key: string, mark: MarkItem, at: Date) {
  return {
    feedId,
    key,
    url: mark.url,
    addedDoc: mark.addedDoc ?? null,
    state: mark.state,
    error: mark.error ?? null,
    attempts: mark.state === 'failed' ? 1 : 0,
    at: at.toISOString(),
  };
}

/** The values `recordPoll` writes with RECORD_POLL. */
export function pollValues(id: number, poll: PollRecord, at: Date) {
  return { id, etag: poll.etag ?? null, lastModified: poll.lastModified ?? null, title: poll.title || null, error: poll.error ?? null, at: at.toISOString() };
}

// Both stores' statements, with better-sqlite3's `@name` placeholders (postgres/pool.ts `named`).
// A failure counts one more attempt; any other outcome is final and clears the failure count.
export const MARK_ITEM = `INSERT INTO feed_items (feed_id, item_key, url, added_doc, state, error, attempts, seen_at)
  VALUES (@feedId, @key, @url, @addedDoc, @state, @error, @attempts, @at)
  ON CONFLICT (feed_id, item_key) DO UPDATE SET
    url = excluded.url, added_doc = excluded.added_doc, state = excluded.state, error = excluded.error,
    attempts = CASE WHEN excluded.state = 'failed' THEN feed_items.attempts + 1 ELSE 0 END`;

export const RECORD_POLL = `UPDATE feeds SET etag = @etag, last_modified = @lastModified, title = COALESCE(@title, title),
  last_polled_at = @at, last_error = @error WHERE id = @id`;

export interface FeedStoreOptions {
  now?: () => Date;
}

export class SqliteFeedStore implements FeedStore {
  /** Each SQL text prepared once per connection: these run every tick or event. */
  private readonly stmt: (sql: string) => Database.Statement;
  private readonly now: () => Date;

  constructor(
    private readonly db: DB,
    options: FeedStoreOptions = {},
  ) {
    this.stmt = statementCache(db);
    this.now = options.now ?? (() => new Date());
    db.exec(`
      CREATE TABLE IF NOT EXISTS feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        added_by TEXT NOT NULL,
        added_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_polled_at TEXT,
        last_error TEXT
      );
      CREATE TABLE IF NOT EXISTS feed_items (
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        url TEXT NOT NULL,
        added_doc TEXT,
        state TEXT NOT NULL CHECK (state IN ('added', 'skipped', 'failed')),
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (feed_id, item_key)
      )`);
  }

  async add(url: string, addedBy: string): Promise<{ feed: FeedRecord; created: boolean }> {
    const normalized = normalizeFeedUrl(url);
    // The unique constraint decides, so two processes adding the same URL at once still make one.
    const created =
      this.stmt('INSERT INTO feeds (url, added_by, added_at) VALUES (?, ?, ?) ON CONFLICT (url) DO NOTHING')
        .run(normalized, addedBy, this.now().toISOString()).changes > 0;
    const row = this.stmt('SELECT * FROM feeds WHERE url = ?').get(normalized) as FeedRow;
    return { feed: feedFromRow(row), created };
  }

  async list(): Promise<FeedRecord[]> {
    return (this.stmt('SELECT * FROM feeds ORDER BY id').all() as FeedRow[]).map(feedFromRow);
  }

  async get(id: number): Promise<FeedRecord | undefined> {
    return this.byId(id);
  }

  private byId(id: number): FeedRecord | undefined {
    const row = this.stmt('SELECT * FROM feeds WHERE id = ?').get(id) as FeedRow | undefined;
    return row && feedFromRow(row);
  }

  async find(idOrUrl: number | string): Promise<FeedRecord | undefined> {
    const by = feedLookup(idOrUrl);
    if (!by) return undefined;
    if ('id' in by) return this.byId(by.id);
    const row = this.stmt('SELECT * FROM feeds WHERE url = ?').get(by.url) as FeedRow | undefined;
    return row && feedFromRow(row);
  }

  async remove(idOrUrl: number | string): Promise<FeedRecord | undefined> {
    const feed = await this.find(idOrUrl);
    if (!feed) return undefined;
    // Explicit rather than relying on ON DELETE CASCADE, which SQLite applies only with foreign_keys on.
    this.db.transaction(() => {
      this.stmt('DELETE FROM feed_items WHERE feed_id = ?').run(feed.id);
      this.stmt('DELETE FROM feeds WHERE id = ?').run(feed.id);
    })();
    return feed;
  }

  async recordPoll(id: number, poll: PollRecord): Promise<void> {
    this.stmt(RECORD_POLL).run(pollValues(id, poll, this.now()));
  }

  async isSeen(feedId: number, key: string): Promise<boolean> {
    return itemSeen(await this.getItem(feedId, key));
  }

  async getItem(feedId: number, key: string): Promise<FeedItemRecord | undefined> {
    const row = this.stmt('SELECT * FROM feed_items WHERE feed_id = ? AND item_key = ?').get(feedId, key) as ItemRow | undefined;
    return row && itemFromRow(row);
  }

  async items(feedId: number): Promise<FeedItemRecord[]> {
    const rows = this.stmt('SELECT * FROM feed_items WHERE feed_id = ? ORDER BY seen_at DESC, item_key').all(feedId) as ItemRow[];
    return rows.map(itemFromRow);
  }

  async hasItems(feedId: number): Promise<boolean> {
    return this.stmt('SELECT 1 FROM feed_items WHERE feed_id = ? LIMIT 1').get(feedId) !== undefined;
  }

  async markItem(feedId: number, key: string, mark: MarkItem): Promise<void> {
    this.stmt(MARK_ITEM).run(markValues(feedId, key, mark, this.now()));
  }
}
