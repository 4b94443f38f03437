// Channels subscribed to the daily digest, in SQLite so every process on the same DATA_DIR sees
// the same list (postgres/subscriptions.ts: every replica on one database). Platform is a plain
// string: a new adapter needs no change here.
import { DEFAULT_DIGEST_TIME, DEFAULT_DIGEST_TZ, isValidTime, isValidTimeZone } from '../config.js';
import type Database from 'better-sqlite3';
import { statementCache, type DB } from './db.js';
import { iso } from './rows.js';

export interface Subscription {
  platform: string;
  channelId: string;
  /** Local wall-clock time, HH:MM (24-hour). */
  time: string;
  /** IANA zone, canonical spelling (e.g. "Europe/London"). */
  timeZone: string;
  weekdaysOnly: boolean;
  /** Platform user id of whoever subscribed (or last changed) the channel. */
  createdBy: string;
  createdAt: string;
  /** When time/zone/weekdays last changed: scheduled times before this are never "due". */
  updatedAt: string;
  /** Local date (YYYY-MM-DD) of the last digest that reached the channel. */
  lastDigestDate?: string;
  /** Document hashes as of that digest: what "New since the last briefing" compares against. */
  lastHashes?: Record<string, string>;
}

export interface SubscribeInput {
  platform: string;
  channelId: string;
  /** HH:MM; the configured default (DIGEST_TIME) when absent. */
  time?: string;
  /** IANA zone; the configured default (DIGEST_TZ) when absent. */
  timeZone?: string;
  weekdaysOnly?: boolean;
  createdBy: string;
}

/** A user's bad subscription input; the message is written to be shown to them as is. */
export class SubscriptionError extends Error {
  override name = 'SubscriptionError';
}

/** Accepts "8:00" as well as "08:00"; returns the canonical HH:MM or throws `SubscriptionError`. */
export function normalizeTime(input: string): string {
  const raw = input.trim();
  const padded = /^\d:\d\d$/.test(raw) ? `0${raw}` : raw;
  if (!isValidTime(padded)) {
    throw new SubscriptionError(`Time must be HH:MM on a 24-hour clock, like 08:00 or 17:30 (got "${raw}").`);
  }
  return padded;
}

/** Returns the zone's canonical IANA spelling ("europe/london" -> "Europe/London") or throws `SubscriptionError`. */
export function normalizeTimeZone(input: string): string {
  const raw = input.trim();
  // Node's Intl accepts some offset strings on newer ICU versions; croner and our users want names.
  if (!raw || /^[+-]/.test(raw) || !isValidTimeZone(raw)) {
    throw new SubscriptionError(
      `"${raw}" is not a time zone I know. Use an IANA name such as Europe/London, America/New_York or Asia/Tehran.`,
    );
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
}

let zoneNames: string[] | undefined;

/**
 * IANA zones matching what a user has typed so far (for Discord's autocomplete): names starting
 * with it first, then names containing it, case-insensitive; "london" finds Europe/London.
 */
export function suggestTimeZones(typed: string, limit = 25): string[] {
  // supportedValuesOf leaves out "UTC" on some ICU versions; people type it most.
  zoneNames ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  const q = typed.trim().toLowerCase().replace(/\s+/g, '_');
  if (!q) return zoneNames.slice(0, limit);
  const starts = zoneNames.filter((z) => z.toLowerCase().startsWith(q) || z.toLowerCase().split('/').some((part) => part.startsWith(q)));
  const contains = zoneNames.filter((z) => !starts.includes(z) && z.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** The channels subscribed, whichever database keeps them. */
export interface SubscriptionStore {
  /** What `subscribe` uses for a time or zone left out, for commands to tell people. */
  readonly defaults: { time: string; tz: string };
  /**
   * Subscribes a channel, or changes an existing subscription's time, zone or weekdays flag
   * (keeping its digest history). Validates everything before writing: on bad input it rejects
   * with `SubscriptionError` and nothing is stored.
   */
  subscribe(input: SubscribeInput): Promise<Subscription>;
  /** True when the channel was subscribed. */
  unsubscribe(platform: string, channelId: string): Promise<boolean>;
  get(platform: string, channelId: string): Promise<Subscription | undefined>;
  /** All subscriptions (of one platform when given), in a stable order. */
  list(platform?: string): Promise<Subscription[]>;
  /** Remembers what the channel has now seen, so the next digest's "New since" starts from here. */
  recordDigest(platform: string, channelId: string, localDate: string, hashes: Record<string, string>): Promise<void>;
}

/** A row as either database returns it: SQLite has 0/1, JSON text and ISO text where PostgreSQL has boolean, jsonb and timestamptz. */
export interface SubscriptionRow {
  platform: string;
  channel_id: string;
  time: string;
  time_zone: string;
  weekdays_only: number | boolean;
  created_by: string;
  created_at: string | Date;
  updated_at: string | Date;
  last_digest_date: string | null;
  last_hashes: string | Record<string, string> | null;
}

export function subscriptionFromRow(r: SubscriptionRow): Subscription {
  return {
    platform: r.platform,
    channelId: r.channel_id,
    time: r.time,
    timeZone: r.time_zone,
    weekdaysOnly: Boolean(r.weekdays_only),
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    lastDigestDate: r.last_digest_date ?? undefined,
    lastHashes: typeof r.last_hashes === 'string' ? (JSON.parse(r.last_hashes) as Record<string, string>) : (r.last_hashes ?? undefined),
  };
}

/** What a subscribe writes, validated first (both stores): throws `SubscriptionError` on bad input. */
export function subscriptionValues(input: SubscribeInput, defaults: { time: string; tz: string }, at: Date) {
  if (!input.platform.trim()) throw new SubscriptionError('A subscription needs a platform.');
  if (!input.channelId.trim()) throw new SubscriptionError('A subscription needs a channel.');
  const time = normalizeTime(input.time ?? defaults.time);
  const timeZone = normalizeTimeZone(input.timeZone ?? defaults.tz);
  return { platform: input.platform, channelId: input.channelId, time, timeZone, weekdaysOnly: Boolean(input.weekdaysOnly), createdBy: input.createdBy, at: at.toISOString() };
}

const UPSERT = `INSERT INTO subscriptions (platform, channel_id, time, time_zone, weekdays_only, created_by, created_at, updated_at)
  VALUES (@platform, @channelId, @time, @timeZone, @weekdaysOnly, @createdBy, @at, @at)
  ON CONFLICT (platform, channel_id) DO UPDATE SET
    time = excluded.time, time_zone = excluded.time_zone, weekdays_only = excluded.weekdays_only,
    created_by = excluded.created_by, updated_at = excluded.updated_at`;

export interface SubscriptionStoreOptions {
  /**
   * Used when a subscribe command gives no time / zone: Config.digest (DIGEST_TIME, DIGEST_TZ).
   * This store is the one place they are applied; adapters pass on only what the person typed.
   */
  defaults?: { time: string; tz: string };
  now?: () => Date;
}

export class SqliteSubscriptionStore implements SubscriptionStore {
  /** Each SQL text prepared once per connection: these run every tick or event. */
  private readonly stmt: (sql: string) => Database.Statement;
  readonly defaults: { time: string; tz: string };
  private readonly now: () => Date;

  constructor(
    private readonly db: DB,
    options: SubscriptionStoreOptions = {},
  ) {
    this.stmt = statementCache(db);
    this.defaults = options.defaults ?? { time: DEFAULT_DIGEST_TIME, tz: DEFAULT_DIGEST_TZ };
    this.now = options.now ?? (() => new Date());
    db.exec(`
      CREATE TABLE IF NOT EXISTS subscriptions (
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        time TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        weekdays_only INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_digest_date TEXT,
        last_hashes TEXT,
        PRIMARY KEY (platform, channel_id)
      )`);
  }

  async subscribe(input: SubscribeInput): Promise<Subscription> {
    const values = subscriptionValues(input, this.defaults, this.now());
    this.stmt(UPSERT).run({ ...values, weekdaysOnly: values.weekdaysOnly ? 1 : 0 });
    return (await this.get(input.platform, input.channelId))!;
  }

  async unsubscribe(platform: string, channelId: string): Promise<boolean> {
    return this.stmt('DELETE FROM subscriptions WHERE platform = ? AND channel_id = ?').run(platform, channelId).changes > 0;
  }

  async get(platform: string, channelId: string): Promise<Subscription | undefined> {
    const row = this.stmt('SELECT * FROM subscriptions WHERE platform = ? AND channel_id = ?').get(platform, channelId) as SubscriptionRow | undefined;
    return row && subscriptionFromRow(row);
  }

  async list(platform?: string): Promise<Subscription[]> {
    const rows = (
      platform === undefined
        ? this.stmt('SELECT * FROM subscriptions ORDER BY platform, channel_id').all()
        : this.stmt('SELECT * FROM subscriptions WHERE platform = ? ORDER BY channel_id').all(platform)
    ) as SubscriptionRow[];
    return rows.map(subscriptionFromRow);
  }

  async recordDigest(platform: string, channelId: string, localDate: string, hashes: Record<string, string>): Promise<void> {
    this.stmt('UPDATE subscriptions SET last_digest_date = ?, last_hashes = ? WHERE platform = ? AND channel_id = ?')
      .run(localDate, JSON.stringify(hashes), platform, channelId);
  }
}
