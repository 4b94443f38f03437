// The once-a-day digest ledger (../digest-sends.ts) in PostgreSQL, so that a scheduler may run on
// every replica and still exactly one posts each channel's day. Every claim is one statement that
// the primary key decides: INSERT … ON CONFLICT DO NOTHING, or an UPDATE conditional on the row's
// state, which under READ COMMITTED re-checks its WHERE on the row a concurrent writer committed.
// https://www.postgresql.org/docs/15/transaction-iso.html#XACT-READ-COMMITTED
import { randomUUID } from 'node:crypto';
import {
  defaultClaimant,
  keyParams,
  markSql,
  MARKS,
  SEND_SQL,
  sendFromRow,
  STALE_CLAIM_REASON,
  type Claim,
  type ClaimResult,
  type DigestSend,
  type DigestSendStore,
  type SendKey,
  type SendRow,
  type SendTrigger,
} from '../digest-sends.js';
import { named, type Pool } from './pool.js';

// One statement sweeps and reports, so each stale claim is reported by the one replica that swept it.
const EXPIRE = `UPDATE digest_sends SET state = 'unknown', reason = $1, updated_at = $2
  WHERE state = 'claimed' AND claimed_at < $3 RETURNING *`;

export class PgDigestSendStore implements DigestSendStore {
  constructor(
    private readonly pool: Pool,
    private readonly claimant: string = defaultClaimant(),
  ) {}

  async claim(key: SendKey, trigger: SendTrigger, at: Date, options: { overSkipped?: boolean } = {}): Promise<ClaimResult> {
    const token = randomUUID();
    const params = { ...keyParams(key), token, trigger, claimedBy: this.claimant, at: at.toISOString() };
    if (await this.changed(SEND_SQL.claim, params)) return { ok: true, claim: { ...key, token } };
    if (options.overSkipped && (await this.changed(SEND_SQL.claimSkipped, params))) return { ok: true, claim: { ...key, token } };
    return { ok: false, existing: (await this.get(key))! };
  }

  async attemptFailed(claim: Claim, reason: string, at: Date): Promise<void> {
    await this.update(claim, MARKS.attemptFailed, { reason }, at);
  }

  async markSent(claim: Claim, messageId: string, at: Date): Promise<void> {
    await this.update(claim, MARKS.sent, { messageId }, at);
  }

  async markFailed(claim: Claim, reason: string, at: Date): Promise<void> {
    await this.update(claim, MARKS.failed, { reason }, at);
  }

  async markUnknown(claim: Claim, reason: string, at: Date): Promise<void> {
    await this.update(claim, MARKS.unknown, { reason }, at);
  }

  async recordSkip(key: SendKey, reason: string, at: Date): Promise<boolean> {
    return this.changed(SEND_SQL.skip, { ...keyParams(key), token: randomUUID(), claimedBy: this.claimant, at: at.toISOString(), reason });
  }

  async expireStaleClaims(claimedBefore: Date, at: Date): Promise<DigestSend[]> {
    const { rows } = await this.pool.query<SendRow>(EXPIRE, [STALE_CLAIM_REASON, at, claimedBefore]);
    return rows.map(sendFromRow).sort((a, b) => a.claimedAt.localeCompare(b.claimedAt));
  }

  async get(key: SendKey): Promise<DigestSend | undefined> {
    const row = (await this.pool.query<SendRow>(...named(SEND_SQL.get, keyParams(key)))).rows[0];
    return row && sendFromRow(row);
  }

  async recent(platform: string, channelId: string, limit = 7): Promise<DigestSend[]> {
    const { rows } = await this.pool.query<SendRow>(...named(SEND_SQL.recent, { platform, channelId, limit }));
    return rows.map(sendFromRow);
  }

  private async changed(sql: string, params: Record<string, unknown>): Promise<boolean> {
    return (await this.pool.query(...named(sql, params))).rowCount === 1;
  }

  private async update(claim: Claim, set: string, values: Record<string, string>, at: Date): Promise<void> {
    await this.pool.query(...named(markSql(set), { ...keyParams(claim), token: claim.token, at: at.toISOString(), ...values }));
  }
}
