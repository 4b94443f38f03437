// A real PostgreSQL server for the store tests (DESIGN.md, "Testing what talks to the outside
// world"): the Debian package's binaries, a cluster `initdb`-ed in a temp folder, listening on
// 127.0.0.1 on a free port with its socket in that folder, one server per test file, stopped after
// it. initdb and postgres refuse to run as root, so as root they run as the `postgres` user.
//
// Without the binaries: under CI that is a failure (.ci/run installs them); elsewhere the tests are
// skipped with a banner that says so, never passed in silence.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const INSTALL = 'apt-get install postgresql';

/** The folder holding initdb and postgres: PATH first, then the newest /usr/lib/postgresql/N/bin. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const has = (dir: string) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'));
  const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean).find(has);
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find(has);
}

/**
 * The binaries, or undefined (after a loud warning) when they are absent outside CI; absent under
 * CI, throws so the run fails. Call it while the test file is collected, to skip or not.
 */
export function postgresBinOrSkip(what: string, find: () => string | undefined = findPostgresBin): string | undefined {
  const bin = find();
  if (bin) return bin;
  const message = `PostgreSQL server binaries (initdb, postgres) not found on PATH or in /usr/lib/postgresql/*/bin: ${what} did NOT run. Install them with \`${INSTALL}\`.`;
  if (process.env.CI) throw new Error(`${message} CI must install them (.ci/run does).`);
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\n!! SKIPPED: ${message}\n${bar}\n`);
  return undefined;
}

/** The openStores config for a test's state, given as a DATA_DIR or a DATABASE_URL (a child process's argument). */
export function storesConfig(location: string): { dataDir: string; databaseUrl?: string } {
  return /^postgres(ql)?:/.test(location) ? { dataDir: tmpdir(), databaseUrl: location } : { dataDir: location };
}

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/DATABASE */
  url(database: string): string;
  /** Creates a database of its own (a fresh name each call) and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `command` as the postgres user when we are root (setpriv execs it, so the pid we hold is the server's). */
function asServerUser(bin: string, command: string, args: string[]): [string, string[]] {
  const exe = path.join(bin, command);
  if (process.getuid?.() !== 0) return [exe, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', exe, ...args]];
}

function initdb(bin: string, dataDir: string): void {
  // --no-sync and C locale: a throwaway cluster, made in about a second.
  const [cmd, args] = asServerUser(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`initdb failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr || r.stdout}`);
}

/** Resolves once the server says it accepts connections; rejects with its log if it exits first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/ready to accept connections/.test(log)) {
        child.stderr?.off('data', onData);
        child.off('exit', onExit);
        // Keep reading its log so a full pipe never stalls the server.
        child.stderr?.resume();
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`postgres exited (${code}) before it was ready:\n${log}`));
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

export async function startPostgres(bin: string): Promise<PostgresServer> {
  const root = mkdtempSync(path.join(tmpdir(), 'briefbot-pg-'));
  if (process.getuid?.() === 0) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root, and there is no `postgres` user to run the server as (the Debian package makes one)');
    chownSync(root, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  const dataDir = path.join(root, 'data');
  initdb(bin, dataDir);
  const port = await freePort();
  // fsync and full-page writes off: nothing here must survive a power cut, and it is much faster.
  const settings = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'];
  const [cmd, args] = asServerUser(bin, 'postgres', ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', root, ...settings]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // A test process that ends without stop() (a crash, a timeout) should not leave a server behind.
  const orphan = () => child.kill('SIGQUIT');
  process.once('exit', orphan);
  await ready(child);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let databases = 0;
  return {
    url,
    async createDatabase(prefix = 'test') {
      const name = `${prefix}_${process.pid}_${++databases}`;
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGQUIT: immediate shutdown, no checkpoint; the cluster is deleted next anyway.
        // https://www.postgresql.org/docs/15/server-shutdown.html
        child.kill('SIGQUIT');
        await exited;
      }
      process.off('exit', orphan);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
