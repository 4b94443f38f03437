// The one pg.Pool every PostgreSQL store shares, and the few things each of them needs from it: a
// transaction that is always ended, and what a database failure says (never the password).
import type pg from 'pg';
import { CodedError } from '../../errors.js';

export type Pool = pg.Pool;

/** DATABASE_URL as it may be shown: scheme, user, host, port and database, no password or options. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** A database briefbot cannot use, in words a person can act on; `cause` keeps pg's error. */
export class DatabaseError extends CodedError {
  override name = 'DatabaseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('database', message, { userSafe: true, cause: options?.cause });
  }
}

export function databaseError(err: unknown, url: string, doing: string): DatabaseError {
  const e = err as { code?: string; message?: string };
  const detail = [e?.code, e?.message ?? String(err)].filter(Boolean).join(' ');
  return new DatabaseError(`cannot ${doing} the PostgreSQL database ${describeDatabaseUrl(url)} (DATABASE_URL): ${detail}`, { cause: err });
}

// PostgreSQL aborts one of two transactions that wait on each other (deadlock_detected) or, above
// READ COMMITTED, that could not be serialized; both are safe to run again from the start.
// https://www.postgresql.org/docs/15/errcodes-appendix.html
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
 * it throws. A connection whose ROLLBACK failed is dropped from the pool rather than reused.
 */
export async function transaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      if (attempt < ATTEMPTS && RETRYABLE.has(String((err as { code?: unknown }).code))) continue;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/**
 * A statement written with better-sqlite3's `@name` placeholders (the SQLite stores' spelling,
 * so both stores can run one text) as pg's numbered `$n` and the values in that order.
 */
export function named(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const order: string[] = [];
  const text = sql.replace(/@(\w+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for @${name}`);
    const at = order.indexOf(name);
    return `$${at < 0 ? order.push(name) : at + 1}`;
  });
  return [text, order.map((name) => values[name])];
}
