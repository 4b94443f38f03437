// One row per (platform, channel, local date): the ledger that makes a digest at-most-once.
//
// A sender first CLAIMS the row (an INSERT that only one writer can win, in one IMMEDIATE
// transaction), then posts, then marks the row sent with the platform's message id. Nothing ever
// posts for a (platform, channel, date) whose row it did not just insert, so restarts, two
// processes on one DATA_DIR, and `briefbot digest --post` cannot double-post; nor can replicas
// sharing one PostgreSQL database (postgres/digest-sends.ts), where the primary key decides alike.
//
// A claim whose process died before marking it stays "claimed"; after a while a sweep records it
// as "unknown" (the post may or may not have reached the channel) and it is NEVER re-posted: a
// missing digest on a crash day is the price of never sending two.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { statementCache, type DB } from './db.js';
import { iso } from './rows.js';

export type SendState =
  /** Claimed by a sender that is posting (or retrying) now. */
  | 'claimed'
  | 'sent'
  /** Every attempt failed (or the failure was permanent); `reason` says why. */
  | 'failed'
  /** The claimant vanished between claim and mark, or the platform never answered: the post may or may not have happened. */
  | 'unknown'
  /** The bot was down at the scheduled time and too late to catch up; a manual --post may still claim it. */
  | 'skipped';

export type SendTrigger = 'scheduled' | 'catch-up' | 'manual';

export interface SendKey {
  platform: string;
  channelId: string;
  /** The channel's local date, YYYY-MM-DD. */
  localDate: string;
}

export interface DigestSend extends SendKey {
  state: SendState;
  trigger: SendTrigger;
  claimedBy: string;
  claimedAt: string;
  attempts: number;
  messageId?: string;
  reason?: string;
  updatedAt: string;
}

/** Proof of a won claim: only its holder can mark the row. */
export interface Claim extends SendKey {
  token: string;
}

export type ClaimResult = { ok: true; claim: Claim } | { ok: false; existing: DigestSend };

/** The once-a-day ledger, whichever database keeps it. */
export interface DigestSendStore {
  /**
   * Claims the day's send. Exactly one caller per key ever gets `ok: true`, whatever the number
   * of processes. `overSkipped` lets a manual post take a day the scheduler skipped (nothing was
   * posted then).
   */
  claim(key: SendKey, trigger: SendTrigger, at: Date, options?: { overSkipped?: boolean }): Promise<ClaimResult>;
  /** Counts a failed attempt; the claim is kept while the sender retries. */
  attemptFailed(claim: Claim, reason: string, at: Date): Promise<void>;
  markSent(claim: Claim, messageId: string, at: Date): Promise<void>;
  /** Gives up on the day; call after `attemptFailed` recorded the last attempt. */
  markFailed(claim: Claim, reason: string, at: Date): Promise<void>;
  /** The post may or may not have reached the channel: closed without a retry, which could double it. */
  markUnknown(claim: Claim, reason: string, at: Date): Promise<void>;
  /** Records a missed day once; false when the day already has a row (sent, claimed, skipped...). */
  recordSkip(key: SendKey, reason: string, at: Date): Promise<boolean>;
  /**
   * Turns claims older than `claimedBefore` into "unknown" and returns them: their sender died
   * (or hung) between claim and mark. They are never re-posted. Pick `claimedBefore` well past
   * the longest retry schedule so a live, retrying sender is not swept.
   */
  expireStaleClaims(claimedBefore: Date, at: Date): Promise<DigestSend[]>;
  get(key: SendKey): Promise<DigestSend | undefined>;
  /** The channel's latest sends, newest first (for a `status` command). */
  recent(platform: string, channelId: string, limit?: number): Promise<DigestSend[]>;
}

/** A row as either database returns it: times are ISO text in SQLite, timestamptz (a Date) in PostgreSQL. */
export interface SendRow {
  platform: string;
  channel_id: string;
  local_date: string;
  state: SendState;
  trigger: SendTrigger;
  claim_token: string;
  claimed_by: string;
  claimed_at: string | Date;
  attempts: number;
  message_id: string | null;
  reason: string | null;
  updated_at: string | Date;
}

export function sendFromRow(r: SendRow): DigestSend {
  return {
    platform: r.platform,
    channelId: r.channel_id,
    localDate: r.local_date,
    state: r.state,
    trigger: r.trigger,
    claimedBy: r.claimed_by,
    claimedAt: iso(r.claimed_at),
    attempts: r.attempts,
    messageId: r.message_id ?? undefined,
    reason: r.reason ?? undefined,
    updatedAt: iso(r.updated_at),
  };
}

/** Why a swept claim is "unknown", in both stores' words. */
export const STALE_CLAIM_REASON = 'the sending process stopped between claim and post; not re-posted, so as never to post twice';

/** The SET clause of each way a claim holder closes or updates its row; `reason` and `messageId` are its values. */
export const MARKS = {
  attemptFailed: 'attempts = attempts + 1, reason = @reason',
  sent: `state = 'sent', attempts = attempts + 1, message_id = @messageId, reason = NULL`,
  failed: `state = 'failed', reason = @reason`,
  unknown: `state = 'unknown', reason = @reason`,
} as const;

/**
 * The statements both stores run as they are, with better-sqlite3's `@name` placeholders (the
 * PostgreSQL store numbers them, postgres/pool.ts `named`): the primary key decides each claim.
 */
export const SEND_SQL = {
  claim: `INSERT INTO digest_sends (platform, channel_id, local_date, state, trigger, claim_token, claimed_by, claimed_at, updated_at)
    VALUES (@platform, @channelId, @localDate, 'claimed', @trigger, @token, @claimedBy, @at, @at)
    ON CONFLICT DO NOTHING`,
  claimSkipped: `UPDATE digest_sends SET state = 'claimed', trigger = @trigger, claim_token = @token, claimed_by = @claimedBy,
      claimed_at = @at, attempts = 0, reason = NULL, updated_at = @at
    WHERE platform = @platform AND channel_id = @channelId AND local_date = @localDate AND state = 'skipped'`,
  skip: `INSERT INTO digest_sends (platform, channel_id, local_date, state, trigger, claim_token, claimed_by, claimed_at, reason, updated_at)
    VALUES (@platform, @channelId, @localDate, 'skipped', 'scheduled', @token, @claimedBy, @at, @reason, @at)
    ON CONFLICT DO NOTHING`,
  get: 'SELECT * FROM digest_sends WHERE platform = @platform AND channel_id = @channelId AND local_date = @localDate',
  recent: 'SELECT * FROM digest_sends WHERE platform = @platform AND channel_id = @channelId ORDER BY local_date DESC LIMIT @limit',
};

/** The row of `key` when `token` (its claim) still holds it: the UPDATE a claim holder closes or updates it with, `set` one of MARKS. */
export function markSql(set: string): string {
  // Guarded by the claim token, and allowed on "unknown" too: a slow sender that was swept can
  // still record the truth (sent or failed) when it finally hears back.
  return `UPDATE digest_sends SET ${set}, updated_at = @at
      WHERE platform = @platform AND channel_id = @channelId AND local_date = @localDate
        AND claim_token = @token AND state IN ('claimed', 'unknown')`;
}

export function keyParams(key: SendKey) {
  return { platform: key.platform, channelId: key.channelId, localDate: key.localDate };
}

const SQL = {
  ...SEND_SQL,
  anyStale: `SELECT 1 FROM digest_sends WHERE state = 'claimed' AND claimed_at < ? LIMIT 1`,
  stale: `SELECT * FROM digest_sends WHERE state = 'claimed' AND claimed_at < ? ORDER BY claimed_at`,
  markUnknown: `UPDATE digest_sends SET state = 'unknown', reason = ?, updated_at = ?
    WHERE platform = ? AND channel_id = ? AND local_date = ? AND state = 'claimed'`,
};

/** Who holds a claim, for logs and `status`: host and process id. */
export function defaultClaimant(): string {
  return `${hostname()}:${process.pid}`;
}

export class SqliteDigestSendStore implements DigestSendStore {
  /** Each SQL text prepared once per connection: these run every tick or event. */
  private readonly stmt: (sql: string) => Database.Statement;

  constructor(
    private readonly db: DB,
    private readonly claimant: string = defaultClaimant(),
  ) {
    this.stmt = statementCache(db);
    db.exec(`
      CREATE TABLE IF NOT EXISTS digest_sends (
        platform TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        local_date TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed', 'unknown', 'skipped')),
        trigger TEXT NOT NULL,
        claim_token TEXT NOT NULL,
        claimed_by TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        message_id TEXT,
        reason TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (platform, channel_id, local_date)
      );
      CREATE INDEX IF NOT EXISTS digest_sends_state ON digest_sends (state, claimed_at);`);
  }

  /**
   * The primary key admits one row, and BEGIN IMMEDIATE takes SQLite's write lock before reading,
   * so the check and the insert cannot interleave with another writer's.
   */
  async claim(key: SendKey, trigger: SendTrigger, at: Date, options: { overSkipped?: boolean } = {}): Promise<ClaimResult> {
    const token = randomUUID();
    const params = { ...this.params(key), token, trigger, claimedBy: this.claimant, at: at.toISOString() };
    const run = this.db.transaction((): ClaimResult => {
      if (this.stmt(SQL.claim).run(params).changes === 1) return { ok: true, claim: { ...key, token } };
      if (options.overSkipped && this.stmt(SQL.claimSkipped).run(params).changes === 1) return { ok: true, claim: { ...key, token } };
      return { ok: false, existing: this.row(key)! };
    });
    return run.immediate();
  }

  async attemptFailed(claim: Claim, reason: string, at: Date): Promise<void> {
    this.update(claim, MARKS.attemptFailed, { reason }, at);
  }

  async markSent(claim: Claim, messageId: string, at: Date): Promise<void> {
    this.update(claim, MARKS.sent, { messageId }, at);
  }

  async markFailed(claim: Claim, reason: string, at: Date): Promise<void> {
    this.update(claim, MARKS.failed, { reason }, at);
  }

  async markUnknown(claim: Claim, reason: string, at: Date): Promise<void> {
    this.update(claim, MARKS.unknown, { reason }, at);
  }

  async recordSkip(key: SendKey, reason: string, at: Date): Promise<boolean> {
    const params = { ...this.params(key), token: randomUUID(), claimedBy: this.claimant, at: at.toISOString(), reason };
    return this.stmt(SQL.skip).run(params).changes === 1;
  }

  async expireStaleClaims(claimedBefore: Date, at: Date): Promise<DigestSend[]> {
    const before = claimedBefore.toISOString();
    // Almost always there is none: look without taking the write lock first.
    if (!this.stmt(SQL.anyStale).get(before)) return [];
    const reason = STALE_CLAIM_REASON;
    const run = this.db.transaction((): DigestSend[] => {
      const rows = this.stmt(SQL.stale).all(before) as SendRow[];
      for (const r of rows) this.stmt(SQL.markUnknown).run(reason, at.toISOString(), r.platform, r.channel_id, r.local_date);
      return rows.map((r) => ({ ...sendFromRow(r), state: 'unknown' as const, reason, updatedAt: at.toISOString() }));
    });
    return run.immediate();
  }

  async get(key: SendKey): Promise<DigestSend | undefined> {
    return this.row(key);
  }

  async recent(platform: string, channelId: string, limit = 7): Promise<DigestSend[]> {
    return (this.stmt(SQL.recent).all({ platform, channelId, limit }) as SendRow[]).map(sendFromRow);
  }

  private row(key: SendKey): DigestSend | undefined {
    const row = this.stmt(SQL.get).get(this.params(key)) as SendRow | undefined;
    return row && sendFromRow(row);
  }

  private params(key: SendKey) {
    return keyParams(key);
  }

  private update(claim: Claim, set: string, values: Record<string, string>, at: Date): void {
    this.stmt(markSql(set)).run({ ...this.params(claim), token: claim.token, at: at.toISOString(), ...values });
  }
}
