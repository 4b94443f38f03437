// The one store contract, run against both databases: `eachBackend` declares the same tests once
// for SQLite (a temp DATA_DIR) and once for PostgreSQL (a real server, postgres-server.ts). Every
// test gets a database of its own; `open` opens the stores on it (again, to play a restart or a
// second process), and `sql` reaches past them to fake what another process left behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { openStores, type Stores, type StoresOptions } from '../../src/store/stores.js';
import { postgresBinOrSkip, startPostgres, type PostgresServer } from './postgres-server.js';

export interface Backend {
  kind: Stores['kind'];
  /** This test's stores; each call is another process on the same database. Closed after the test. */
  open(options?: StoresOptions): Promise<Stores>;
  /** Raw SQL on this test's database, `?` for each parameter; returns the rows. */
  sql(text: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Where this test's state is, for a child process: a DATA_DIR, or a DATABASE_URL (postgres-server.ts `storesConfig`). */
  readonly location: string;
}


interface Scope {
  open: Stores[];
  dataDir?: string;
  url?: string;
}

function sqliteBackend(): Backend {
  let scope: Scope = { open: [] };
  beforeEach(() => {
    scope = { open: [], dataDir: mkdtempSync(path.join(tmpdir(), 'briefbot-stores-')) };
  });
  afterEach(async () => {
    await Promise.all(scope.open.map((s) => s.close()));
    rmSync(scope.dataDir!, { recursive: true, force: true });
  });
  return {
    kind: 'sqlite',
    get location() {
      return scope.dataDir!;
    },
    async open(options) {
      const stores = await openStores({ dataDir: scope.dataDir! }, options);
      scope.open.push(stores);
      return stores;
    },
    async sql(text, ...params) {
      const db = openDatabase(scope.dataDir!);
      try {
        const statement = db.prepare(text);
        return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
      } finally {
        db.close();
      }
    },
  };
}

/** `?` placeholders as pg's `$1, $2…`. */
export const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** Starts the server for the file in beforeAll (undefined until then), stops it in afterAll. */
export function postgresServer(bin: string): { current(): PostgresServer } {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres(bin);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    current() {
      if (!server) throw new Error('the PostgreSQL server is not running');
      return server;
    },
  };
}

function postgresBackend(bin: string): Backend {
  const server = postgresServer(bin);
  let scope: Scope = { open: [] };
  beforeEach(async () => {
    scope = { open: [], url: await server.current().createDatabase('stores') };
  });
  afterEach(async () => {
    await Promise.all(scope.open.map((s) => s.close()));
  });
  return {
    kind: 'postgres',
    get location() {
      return scope.url!;
    },
    async open(options) {
      const stores = await openStores({ dataDir: '/nonexistent', databaseUrl: scope.url }, options);
      scope.open.push(stores);
      return stores;
    },
    async sql(text, ...params) {
      const client = new pg.Client({ connectionString: scope.url });
      await client.connect();
      try {
        return (await client.query(numbered(text), params)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Declares `tests` once per backend, in a describe named after it. PostgreSQL's are skipped, with
 * a banner, when its binaries are missing (and fail the run under CI: postgresBinOrSkip).
 */
export function eachBackend(what: string, tests: (backend: Backend) => void): void {
  describe(`${what} (sqlite)`, () => tests(sqliteBackend()));
  const bin = postgresBinOrSkip(`the PostgreSQL half of "${what}"`);
  // Skipped, its hooks never run: the server is not started.
  describe.skipIf(!bin)(`${what} (postgres)`, () => tests(postgresBackend(bin ?? '')));
}
