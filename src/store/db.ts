// SQLite state under DATA_DIR (subscriptions, sent digests, seen event ids, feedback). One file,
// WAL mode so two `briefbot start` processes on the same data can share it safely.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dataDirError } from './data-dir.js';

export type DB = Database.Database;

export const STATE_FILE = 'briefbot.sqlite';

/** Opens (creating when needed) the state database; `:memory:` for tests that need no file. */
export function openDatabase(dataDir: string | ':memory:'): DB {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (e) {
      throw dataDirError(e, dataDir, 'folder');
    }
    file = path.join(dataDir, STATE_FILE);
  }
  let db: DB | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL, not NORMAL: under WAL, NORMAL can lose the last commits on a power cut, and a lost digest
    // claim could mean a second post that day. The fsync costs ~1 ms a commit, which is affordable.
    // https://www.sqlite.org/pragma.html#pragma_synchronous
    db.pragma('synchronous = FULL');
    // A second process holding the write lock makes us wait rather than fail at once.
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // A file that is not a database opens fine and fails on first read: read now, not mid-answer.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (e) {
    db?.close();
    throw dataDirError(e, file, 'state database');
  }
}

/**
 * A second connection to the same state file for what is written on every event (the deliveries
 * ledger, answers stored for their buttons), with synchronous=NORMAL: under WAL that survives a crash of the process (kill -9) and only a power
 * cut can lose its last commits, while each commit skips an fsync. At FULL, three fsyncs per event
 * on the event loop held twenty concurrent acks up for half a second (bench/slack-ack.ts). Close it
 * with the adapter; for `:memory:` it is the same connection.
 * https://www.sqlite.org/pragma.html#pragma_synchronous
 */
export function openLedger(db: DB): DB {
  if (db.memory) return db;
  try {
    const ledger = new Database(db.name);
    ledger.pragma('journal_mode = WAL');
    ledger.pragma('synchronous = NORMAL');
    ledger.pragma('busy_timeout = 5000');
    return ledger;
  } catch (e) {
    throw dataDirError(e, db.name, 'state database');
  }
}

/** Prepared statements of one connection, each SQL text prepared once (stores run theirs every tick or event). */
export function statementCache(db: DB): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };
}
