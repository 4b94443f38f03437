// Feeds and their items (../feeds.ts) in PostgreSQL: every replica polls the same list, and what
// one replica did with an item is what the others find (the unique keys decide a race).
import {
  feedFromRow,
  feedLookup,
  itemFromRow,
  itemSeen,
  MARK_ITEM,
  markValues,
  normalizeFeedUrl,
  pollValues,
  RECORD_POLL,
  type FeedItemRecord,
  type FeedRecord,
  type FeedRow,
  type FeedStore,
  type FeedStoreOptions,
  type ItemRow,
  type MarkItem,
  type PollRecord,
} from '../feeds.js';
import { named, type Pool } from './pool.js';

const ADD = `INSERT INTO feeds (url, added_by, added_at) SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM feeds WHERE url = $1)
  ON CONFLICT (url) DO NOTHING RETURNING *`;

export class PgFeedStore implements FeedStore {
  private readonly now: () => Date;

  constructor(
    private readonly pool: Pool,
    options: FeedStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async add(url: string, addedBy: string): Promise<{ feed: FeedRecord; created: boolean }> {
    const normalized = normalizeFeedUrl(url);
    // The unique constraint decides, so two replicas adding the same URL at once still make one.
    // NOT EXISTS first: an INSERT that meets the conflict has already drawn the next id, and feed
    // ids are what people type (`feeds remove 3`), so only a real race may leave a gap.
    const inserted = await this.pool.query<FeedRow>(ADD, [normalized, addedBy, this.now()]);
    if (inserted.rows[0]) return { feed: feedFromRow(inserted.rows[0]), created: true };
    return { feed: (await this.one('SELECT * FROM feeds WHERE url = $1', normalized))!, created: false };
  }

  async list(): Promise<FeedRecord[]> {
    return (await this.pool.query<FeedRow>('SELECT * FROM feeds ORDER BY id')).rows.map(feedFromRow);
  }

  async get(id: number): Promise<FeedRecord | undefined> {
    return this.one('SELECT * FROM feeds WHERE id = $1', id);
  }

  async find(idOrUrl: number | string): Promise<FeedRecord | undefined> {
    const by = feedLookup(idOrUrl);
    if (!by) return undefined;
    return 'id' in by ? this.get(by.id) : this.one('SELECT * FROM feeds WHERE url = $1', by.url);
  }

  async remove(idOrUrl: number | string): Promise<FeedRecord | undefined> {
    const by = feedLookup(idOrUrl);
    if (!by) return undefined;
    // PostgreSQL always enforces foreign keys, so ON DELETE CASCADE takes the feed's items with it.
    const { rows } = 'id' in by
      ? await this.pool.query<FeedRow>('DELETE FROM feeds WHERE id = $1 RETURNING *', [by.id])
      : await this.pool.query<FeedRow>('DELETE FROM feeds WHERE url = $1 RETURNING *', [by.url]);
    return rows[0] && feedFromRow(rows[0]);
  }

  async recordPoll(id: number, poll: PollRecord): Promise<void> {
    await this.pool.query(...named(RECORD_POLL, pollValues(id, poll, this.now())));
  }

  async isSeen(feedId: number, key: string): Promise<boolean> {
    return itemSeen(await this.getItem(feedId, key));
  }

  async getItem(feedId: number, key: string): Promise<FeedItemRecord | undefined> {
    const row = (await this.pool.query<ItemRow>('SELECT * FROM feed_items WHERE feed_id = $1 AND item_key = $2', [feedId, key])).rows[0];
    return row && itemFromRow(row);
  }

  async items(feedId: number): Promise<FeedItemRecord[]> {
    // COLLATE "C": ties broken by code point, as in SQLite, whatever the database's locale.
    const { rows } = await this.pool.query<ItemRow>('SELECT * FROM feed_items WHERE feed_id = $1 ORDER BY seen_at DESC, item_key COLLATE "C"', [feedId]);
    return rows.map(itemFromRow);
  }

  async hasItems(feedId: number): Promise<boolean> {
    return ((await this.pool.query('SELECT 1 FROM feed_items WHERE feed_id = $1 LIMIT 1', [feedId])).rowCount ?? 0) > 0;
  }

  async markItem(feedId: number, key: string, mark: MarkItem): Promise<void> {
    await this.pool.query(...named(MARK_ITEM, markValues(feedId, key, mark, this.now())));
  }

  private async one(sql: string, value: string | number): Promise<FeedRecord | undefined> {
    const row = (await this.pool.query<FeedRow>(sql, [value])).rows[0];
    return row && feedFromRow(row);
  }
}
