// DATABASE_URL: checked at start, and its password never shown, in an error or a log line.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { redactSecrets } from '../../src/log.js';
import { openStores } from '../../src/store/stores.js';

describe('DATABASE_URL', () => {
  it('unset or empty: SQLite (no databaseUrl); postgres:// and postgresql:// are taken as they are', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: ' ' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://bot:pw@db:5432/briefbot' }).databaseUrl).toBe('postgres://bot:pw@db:5432/briefbot');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/briefbot?sslmode=require' }).databaseUrl).toBe('postgresql://db/briefbot?sslmode=require');
  });

  it('anything else is a ConfigError naming the variable, without repeating the value', () => {
    for (const value of ['mysql://root:hunter2@db/briefbot', 'hunter2', 'sqlite:///data/x.db']) {
      let err: unknown;
      try {
        loadConfig({ DATABASE_URL: value });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/^DATABASE_URL must be a PostgreSQL URL starting postgres:\/\/ or postgresql:\/\//);
      expect((err as Error).message).not.toContain('hunter2');
      expect((err as Error).message).not.toContain('x.db');
    }
  });

  it('log lines never carry its password, in the URL or as a parameter, and stay valid JSON', () => {
    expect(redactSecrets('postgres://bot:s3cr3t@db.internal:5432/briefbot')).toBe('postgres://bot:[redacted]@db.internal:5432/briefbot');
    expect(redactSecrets('postgresql://bot:p@ss@db/briefbot')).toBe('postgresql://bot:[redacted]@db/briefbot');
    expect(redactSecrets('postgres://db/briefbot?user=bot&password=s3cr3t&sslmode=require')).toBe('postgres://db/briefbot?user=bot&password=[redacted]&sslmode=require');
    expect(redactSecrets('postgres://bot@db/briefbot')).toBe('postgres://bot@db/briefbot');
    const line = JSON.stringify({ url: 'postgres://bot:s3cr3t@db/briefbot', who: 'a@b' });
    expect(JSON.parse(redactSecrets(line))).toEqual({ url: 'postgres://bot:[redacted]@db/briefbot', who: 'a@b' });
  });

  it('a database that cannot be reached: a user-safe error naming DATABASE_URL, host and database, never the password', async () => {
    // A port nobody listens on: bound, then closed.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const err = await openStores({ dataDir: '/nonexistent', databaseUrl: `postgres://bot:s3cr3t@127.0.0.1:${port}/briefbot` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'database', userSafe: true });
    expect((err as Error).message).toContain(`postgres://bot@127.0.0.1:${port}/briefbot (DATABASE_URL)`);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect((err as Error).message).not.toContain('s3cr3t');
  });
});
