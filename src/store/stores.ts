// Every store of the process, behind one interface, in one of two databases: SQLite under DATA_DIR
// (one machine; the default), or PostgreSQL at DATABASE_URL, which several replicas share so that
// each event is answered once and each channel gets one digest a day between them all.
import pg from 'pg';
import type { Logger } from '../log.js';
import { openDatabase, openLedger } from './db.js';
import { SqliteDeliveries, type Deliveries, type DeliveriesOptions } from './deliveries.js';
import { defaultClaimant, SqliteDigestSendStore, type DigestSendStore } from './digest-sends.js';
import { SqliteFeedbackStore, type FeedbackStore, type FeedbackStoreOptions } from './feedback.js';
import { SqliteFeedStore, type FeedStore, type FeedStoreOptions } from './feeds.js';
import { PgDeliveries } from './postgres/deliveries.js';
import { PgDigestSendStore } from './postgres/digest-sends.js';
import { PgFeedbackStore } from './postgres/feedback.js';
import { PgFeedStore } from './postgres/feeds.js';
import { migrate } from './postgres/migrate.js';
import { databaseError } from './postgres/pool.js';
import { PgSubscriptionStore } from './postgres/subscriptions.js';
import { SqliteSubscriptionStore, type SubscriptionStore, type SubscriptionStoreOptions } from './subscriptions.js';

export interface Stores {
  kind: 'sqlite' | 'postgres';
  deliveries: Deliveries;
  feedback: FeedbackStore;
  subscriptions: SubscriptionStore;
  digestSends: DigestSendStore;
  feeds: FeedStore;
  /** Closes the database connections; the stores fail after it. */
  close(): Promise<void>;
  /** PostgreSQL only: the pool the stores share, for other tables of the same database. */
  pool?: pg.Pool;
}

export interface StoresConfig {
  dataDir: string;
  /** DATABASE_URL: PostgreSQL when set, else SQLite in `dataDir` (`:memory:` for tests). */
  databaseUrl?: string;
}

export interface StoresOptions {
  deliveries?: DeliveriesOptions;
  feedback?: FeedbackStoreOptions;
  /** `defaults`: DIGEST_TIME / DIGEST_TZ, for subscriptions that give no time or zone. */
  subscriptions?: SubscriptionStoreOptions;
  feeds?: FeedStoreOptions;
  /** Names this process in digest_sends.claimed_by. Default host:pid. */
  claimant?: string;
  /** PostgreSQL: where a connection the pool lost while idle is reported. */
  logger?: Logger;
}

/** Opens the stores; for PostgreSQL, applies the schema's migrations first. */
export async function openStores(config: StoresConfig, options: StoresOptions = {}): Promise<Stores> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, options) : openSqlite(config.dataDir, options);
}

function openSqlite(dataDir: string, options: StoresOptions): Stores {
  const db = openDatabase(dataDir);
  // What is written on every event (the deliveries ledger, answers kept for their buttons) goes
  // through the state file's lighter second connection (db.ts, openLedger).
  const ledger = openLedger(db);
  return {
    kind: 'sqlite',
    deliveries: new SqliteDeliveries(ledger, options.deliveries),
    feedback: new SqliteFeedbackStore(ledger, options.feedback),
    subscriptions: new SqliteSubscriptionStore(db, options.subscriptions),
    digestSends: new SqliteDigestSendStore(db, options.claimant ?? defaultClaimant()),
    feeds: new SqliteFeedStore(db, options.feeds),
    async close() {
      if (ledger !== db) ledger.close();
      db.close();
    },
  };
}

async function openPostgres(url: string, options: StoresOptions): Promise<Stores> {
  // Without a timeout a connection to an unreachable host waits for TCP to give up (minutes), and
  // so does a query waiting for a free connection: ten seconds says "the database is down" sooner.
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // An idle connection the server drops (a restart, a failover) is reported on the pool; without
  // a listener that 'error' event would end the process. The next query opens a new connection.
  pool.on('error', (err) => options.logger?.warn({ err: { code: (err as { code?: string }).code, message: err.message } }, 'database: an idle PostgreSQL connection failed'));
  const feedback = new PgFeedbackStore(pool, options.feedback);
  try {
    await migrate(pool);
    await feedback.prune();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw databaseError(err, url, 'open');
  }
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    deliveries: new PgDeliveries(pool, options.deliveries),
    feedback,
    subscriptions: new PgSubscriptionStore(pool, options.subscriptions),
    digestSends: new PgDigestSendStore(pool, options.claimant ?? defaultClaimant()),
    feeds: new PgFeedStore(pool, options.feeds),
    pool,
    // pg.Pool throws on a second end(); a second close() waits for the first instead.
    close: () => (closed ??= pool.end()),
  };
}
