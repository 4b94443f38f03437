// Brings a database's schema up to MIGRATIONS at start. Every replica runs this as it starts, so
// two may run it at the same moment: the whole of it is one transaction that first takes a
// transaction-level advisory lock, so the second waits for the first to commit and then finds
// nothing left to do. https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS
import { MIGRATIONS, type Migration } from './migrations.js';
import { transaction, type Pool } from './pool.js';

/** The advisory lock's key: "briefbot" in ASCII, as a bigint, so it is unlikely to meet another application's. */
export const MIGRATION_LOCK = '7093848247292292980';

export interface MigrationReport {
  /** Versions this call applied (none when another process had, or nothing was new). */
  applied: number[];
  /** The schema's version afterwards. */
  version: number;
}

export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  return transaction(pool, async (client) => {
    // READ COMMITTED (set here whatever default_transaction_isolation says) takes a new snapshot
    // for each statement, so what is read after the lock includes what its last holder committed;
    // under REPEATABLE READ the snapshot of the lock's own SELECT would miss it.
    await client.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of ordered) {
      if (done.has(m.version)) continue;
      // No parameters: pg then sends the text as one simple query, which may hold many statements.
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return { applied, version: Math.max(0, ...done, ...applied) };
  });
}
