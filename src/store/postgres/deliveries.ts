// The deliveries ledger (../deliveries.ts) in PostgreSQL, so replicas behind one load balancer
// answer each event once between them. The primary key decides every claim: the INSERT … ON
// CONFLICT either inserts (new) or finds the row, which it locks until the transaction ends, so a
// second replica's claim of the same key waits for the first to commit and then sees its row.
// "Dead owner" works as in SQLite: the same host and a pid that is gone, or a lease run out.
import type pg from 'pg';
import { DeliveryRules, holderFromRow, mergeClaim, type Claim, type Deliveries, type DeliveriesOptions, type DeliveryRow } from '../deliveries.js';
import { transaction, type Pool } from './pool.js';

const SQL = {
  // The WHERE of DO UPDATE reclaims a row only once it has expired; under READ COMMITTED it is
  // checked against the row's latest committed version, after the lock is taken.
  // https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT
  insert: `INSERT INTO deliveries (source, id, state, owner, host, pid, lease_until, seen_at) VALUES ($1, $2, 'claimed', $3, $4, $5, $6, $7)
    ON CONFLICT (source, id) DO UPDATE SET state = 'claimed', owner = excluded.owner, host = excluded.host, pid = excluded.pid,
      placeholder = NULL, lease_until = excluded.lease_until, seen_at = excluded.seen_at
    WHERE deliveries.seen_at <= $8`,
  // Every key of a delivery at once, in the order given (two replicas claiming one event insert its
  // keys in the same order, so the second waits on the first's row and then sees it): the keys it
  // returns were new and are this claim's.
  insertNew: `INSERT INTO deliveries (source, id, state, owner, host, pid, lease_until, seen_at)
    SELECT k.source, k.id, 'claimed', $3, $4, $5, $6, $7 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(source, id, n) ORDER BY k.n
    ON CONFLICT (source, id) DO NOTHING RETURNING source, id`,
  select: 'SELECT state, owner, host, pid, placeholder, lease_until FROM deliveries WHERE source = $1 AND id = $2',
  takeOver: `UPDATE deliveries SET owner = $1, host = $2, pid = $3, lease_until = $4 WHERE source = $5 AND id = $6 AND state = 'claimed' AND owner = $7`,
  // One statement for all of a delivery's keys: unnest pairs the two arrays up row by row.
  hold: `UPDATE deliveries SET placeholder = $1, lease_until = $2
    WHERE owner = $3 AND (source, id) IN (SELECT * FROM unnest($4::text[], $5::text[]))`,
  done: `UPDATE deliveries SET state = 'done' WHERE owner = $1 AND (source, id) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
  prune: 'DELETE FROM deliveries WHERE seen_at <= $1',
};

const columns = (keys: [string, string][]) => [keys.map(([source]) => source), keys.map(([, id]) => id)];

export class PgDeliveries extends DeliveryRules implements Deliveries {
  constructor(
    private readonly pool: Pool,
    options: DeliveriesOptions = {},
  ) {
    super(options);
  }

  async claim(...keys: [string, string][]): Promise<Claim> {
    const now = this.now();
    // On its own connection, outside the claim: two replicas pruning at once may deadlock on the
    // rows they delete (then one gives up until next time), and a claim must not wait on that.
    if (this.pruneDue(now)) await this.pool.query(SQL.prune, [new Date(now - this.ttlMs)]).catch(() => undefined);
    // One key (a command's or a click's trigger id, claimed before its ack) needs no transaction:
    // the INSERT decides alone, and a takeover is guarded by the dead owner's name. One round trip
    // instead of four where the ack waits for it.
    if (keys.length === 1) return mergeClaim(undefined, await this.claimOne(this.pool, ...keys[0], now), keys[0][0]).claim ?? { kind: 'new' };
    // Most deliveries are new: one statement inserts all their keys, one round trip where the
    // transaction below took four (BEGIN, an INSERT a key, COMMIT) and held a connection meanwhile.
    const lease = new Date(now + this.leaseMs);
    const won = await this.pool.query<{ source: string; id: string }>(SQL.insertNew, [...columns(keys), this.owner, this.host, this.pid, lease, new Date(now)]);
    if (won.rowCount === keys.length) return { kind: 'new' };
    // Some key was there already: each of the others is decided as one claim alone would decide it
    // (a live holder's row is a duplicate, an abandoned one is taken over); the keys just inserted
    // are this claim's, new.
    const mine = new Set(won.rows.map((r) => `${r.source}\0${r.id}`));
    return transaction(this.pool, async (client) => {
      let claim: Claim | undefined;
      for (const [source, id] of keys) {
        const next: Claim = mine.has(`${source}\0${id}`) ? { kind: 'new' } : await this.claimOne(client, source, id, now);
        const step = mergeClaim(claim, next, source);
        claim = step.claim;
        if (step.final) break;
      }
      return claim ?? { kind: 'new' as const };
    });
  }

  private async claimOne(client: Pick<pg.Pool | pg.PoolClient, 'query'>, source: string, id: string, now: number): Promise<Claim> {
    const lease = new Date(now + this.leaseMs);
    const fresh = await client.query(SQL.insert, [source, id, this.owner, this.host, this.pid, lease, new Date(now), new Date(now - this.ttlMs)]);
    if (fresh.rowCount === 1) return { kind: 'new' };
    const row = holderFromRow((await client.query<DeliveryRow>(SQL.select, [source, id])).rows[0]);
    if (!this.abandoned(row, now)) return { kind: 'duplicate' };
    // Guarded by the dead owner's name: in a transaction the row is locked already, but a lone
    // claim's lock ended with its INSERT, and another replica may have taken the row over since.
    const taken = await client.query(SQL.takeOver, [this.owner, this.host, this.pid, lease, source, id, row.owner]);
    return this.resumed(row, taken.rowCount === 1);
  }

  async hold(placeholder: string, ...keys: [string, string][]): Promise<void> {
    await this.run(SQL.hold, [placeholder, new Date(this.now() + this.leaseMs), this.owner], keys);
  }

  async done(...keys: [string, string][]): Promise<void> {
    await this.run(SQL.done, [this.owner], keys);
  }

  private async run(sql: string, params: unknown[], keys: [string, string][]): Promise<void> {
    if (keys.length) await this.pool.query(sql, [...params, ...columns(keys)]);
  }
}
