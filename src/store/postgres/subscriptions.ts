// Channels subscribed to the daily digest (../subscriptions.ts) in PostgreSQL: a channel subscribed
// through one replica is picked up by the next tick of every replica's scheduler.
import { DEFAULT_DIGEST_TIME, DEFAULT_DIGEST_TZ } from '../../config.js';
import {
  subscriptionFromRow,
  subscriptionValues,
  type SubscribeInput,
  type Subscription,
  type SubscriptionRow,
  type SubscriptionStore,
  type SubscriptionStoreOptions,
} from '../subscriptions.js';
import type { Pool } from './pool.js';

const UPSERT = `INSERT INTO subscriptions (platform, channel_id, time, time_zone, weekdays_only, created_by, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
  ON CONFLICT (platform, channel_id) DO UPDATE SET
    time = excluded.time, time_zone = excluded.time_zone, weekdays_only = excluded.weekdays_only,
    created_by = excluded.created_by, updated_at = excluded.updated_at
  RETURNING *`;

// COLLATE "C" orders by code point, as SQLite does, whatever the database's locale.
const LIST_ALL = 'SELECT * FROM subscriptions ORDER BY platform COLLATE "C", channel_id COLLATE "C"';
const LIST_ONE = 'SELECT * FROM subscriptions WHERE platform = $1 ORDER BY channel_id COLLATE "C"';

export class PgSubscriptionStore implements SubscriptionStore {
  readonly defaults: { time: string; tz: string };
  private readonly now: () => Date;

  constructor(
    private readonly pool: Pool,
    options: SubscriptionStoreOptions = {},
  ) {
    this.defaults = options.defaults ?? { time: DEFAULT_DIGEST_TIME, tz: DEFAULT_DIGEST_TZ };
    this.now = options.now ?? (() => new Date());
  }

  async subscribe(input: SubscribeInput): Promise<Subscription> {
    const v = subscriptionValues(input, this.defaults, this.now());
    const { rows } = await this.pool.query<SubscriptionRow>(UPSERT, [v.platform, v.channelId, v.time, v.timeZone, v.weekdaysOnly, v.createdBy, v.at]);
    return subscriptionFromRow(rows[0]);
  }

  async unsubscribe(platform: string, channelId: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM subscriptions WHERE platform = $1 AND channel_id = $2', [platform, channelId])).rowCount ?? 0) > 0;
  }

  async get(platform: string, channelId: string): Promise<Subscription | undefined> {
    const row = (await this.pool.query<SubscriptionRow>('SELECT * FROM subscriptions WHERE platform = $1 AND channel_id = $2', [platform, channelId])).rows[0];
    return row && subscriptionFromRow(row);
  }

  async list(platform?: string): Promise<Subscription[]> {
    const { rows } = platform === undefined ? await this.pool.query<SubscriptionRow>(LIST_ALL) : await this.pool.query<SubscriptionRow>(LIST_ONE, [platform]);
    return rows.map(subscriptionFromRow);
  }

  async recordDigest(platform: string, channelId: string, localDate: string, hashes: Record<string, string>): Promise<void> {
    await this.pool.query('UPDATE subscriptions SET last_digest_date = $1, last_hashes = $2 WHERE platform = $3 AND channel_id = $4', [localDate, JSON.stringify(hashes), platform, channelId]);
  }
}
