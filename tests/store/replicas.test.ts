// Several replicas on one PostgreSQL database (R2.6): each replica is its own openStores, with a
// pool of its own, so every claim below races on separate connections as separate processes'
// would. Exactly-once comes from the database (unique keys, conditional updates), nothing in here.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { migrate } from '../../src/store/postgres/migrate.js';
import { MIGRATIONS, type Migration } from '../../src/store/postgres/migrations.js';
import { openStores, type Stores, type StoresOptions } from '../../src/store/stores.js';
import { FakeClock, FakePoster, FakeSource, fakeSleep, memoryLogger, producerOf } from '../digest/helpers.js';
import { postgresServer } from './backends.js';
import { postgresBinOrSkip } from './postgres-server.js';

const bin = postgresBinOrSkip('the replica tests (tests/store/replicas.test.ts)');

describe.skipIf(!bin)('PostgreSQL shared by replicas', () => {
  const server = postgresServer(bin ?? '');

  describe('replicas sharing one database', () => {
    const opened: { end(): Promise<void> }[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((o) => o.end()));
    });

    async function replicas(n: number, url: string, options: (i: number) => StoresOptions = () => ({})): Promise<Stores[]> {
      const all = await Promise.all(Array.from({ length: n }, (_, i) => openStores({ dataDir: '/nonexistent', databaseUrl: url }, options(i))));
      opened.push(...all.map((s) => ({ end: () => s.close() })));
      return all;
    }

    function pool(url: string): pg.Pool {
      const p = new pg.Pool({ connectionString: url });
      opened.push(p);
      return p;
    }

    it('200 events, each delivered to all 3 replicas at once: exactly 200 are new, each once', async () => {
      const url = await server.current().createDatabase('events');
      const three = await replicas(3, url);
      const events = Array.from({ length: 200 }, (_, i) => `Ev${i}`);
      // As a Slack event claims: its event id, and the message behind it.
      const claims = events.flatMap((ev, i) => three.map(async (r, replica) => ({ ev, replica, claim: await r.deliveries.claim(['slack', ev], ['slack:message', `C1:${i}`]) })));
      const results = await Promise.all(claims);
      const fresh = results.filter((r) => r.claim.kind === 'new');
      expect(fresh).toHaveLength(200);
      expect(new Set(fresh.map((r) => r.ev)).size).toBe(200);
      expect(results.filter((r) => r.claim.kind === 'duplicate')).toHaveLength(400);
      // Every replica won some: the race was real, not one replica first.
      expect(new Set(fresh.map((r) => r.replica)).size).toBeGreaterThan(1);
    });

    it('12 channels claimed for the day by 3 replicas at once: exactly 12 claims won', async () => {
      const url = await server.current().createDatabase('claims');
      const three = await replicas(3, url, (i) => ({ claimant: `replica-${i}` }));
      const channels = Array.from({ length: 12 }, (_, i) => `C${i}`);
      const at = new Date('2026-03-10T08:00:00Z');
      const results = await Promise.all(
        channels.flatMap((channelId) => three.map((r) => r.digestSends.claim({ platform: 'slack', channelId, localDate: '2026-03-10' }, 'scheduled', at))),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(12);
      const rows = await Promise.all(channels.map((channelId) => three[0].digestSends.get({ platform: 'slack', channelId, localDate: '2026-03-10' })));
      expect(rows.map((r) => r?.state)).toEqual(channels.map(() => 'claimed'));
    });

    it('a scheduler on each of 3 replicas, ticking at the same instant: each of 12 channels gets one digest', async () => {
      const url = await server.current().createDatabase('schedulers');
      const clock = new FakeClock('2026-03-09T12:00:00Z');
      const three = await replicas(3, url, (i) => ({ claimant: `replica-${i}`, subscriptions: { now: clock.now } }));
      for (let i = 0; i < 12; i++) await three[0].subscriptions.subscribe({ platform: 'slack', channelId: `C${i}`, time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
      const posts: FakePoster['posts'] = [];
      const schedulers = three.map(
        (stores) => new DigestScheduler({ stores, producer: producerOf(new FakeSource()), posters: [new FakePoster('slack', clock, posts)], logger: memoryLogger().logger, now: clock.now, sleep: fakeSleep(clock) }),
      );
      clock.set('2026-03-10T08:00:00Z');
      const reports = await Promise.all(schedulers.map((s) => s.tick()));
      expect(posts.map((p) => p.channelId).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `C${i}`).sort());
      const outcomes = reports.flatMap((r) => r.deliveries.map((d) => d.outcome.status));
      expect(outcomes.filter((s) => s === 'sent')).toHaveLength(12);
      expect(outcomes.every((s) => s === 'sent' || s === 'already')).toBe(true);
    });

    it('a claim whose owner died on this host is resumed by exactly one of 3 replicas', async () => {
      const url = await server.current().createDatabase('dead_pid');
      const [owner] = await replicas(1, url);
      expect(await owner.deliveries.claim(['slack', 'EvDead'])).toEqual({ kind: 'new' });
      await owner.deliveries.hold('1712.000300', ['slack', 'EvDead']);
      const admin = pool(url);
      await admin.query('UPDATE deliveries SET pid = $1', [process.pid + 100_000]);
      const three = await replicas(3, url, () => ({ deliveries: { alive: (pid) => pid === process.pid } }));
      const claims = await Promise.all(three.map((r) => r.deliveries.claim(['slack', 'EvDead'])));
      expect(claims.filter((c) => c.kind === 'resume')).toEqual([{ kind: 'resume', placeholder: '1712.000300' }]);
      expect(claims.filter((c) => c.kind === 'duplicate')).toHaveLength(2);
    });

    it('a claim from another host whose lease ran out is resumed by exactly one of 3 replicas', async () => {
      const url = await server.current().createDatabase('lease');
      let now = 1_000_000;
      const [owner] = await replicas(1, url, () => ({ deliveries: { now: () => now } }));
      await owner.deliveries.claim(['slack', 'EvGone']);
      await pool(url).query("UPDATE deliveries SET host = 'replica-elsewhere', pid = 1");
      const three = await replicas(3, url, () => ({ deliveries: { now: () => now } }));
      now += 59_000;
      expect((await Promise.all(three.map((r) => r.deliveries.claim(['slack', 'EvGone'])))).map((c) => c.kind)).toEqual(['duplicate', 'duplicate', 'duplicate']);
      now += 2_000;
      const claims = await Promise.all(three.map((r) => r.deliveries.claim(['slack', 'EvGone'])));
      expect(claims.filter((c) => c.kind === 'resume')).toHaveLength(1);
      expect(claims.filter((c) => c.kind === 'duplicate')).toHaveLength(2);
    });
  });

  describe('migrations', () => {
    const pools: pg.Pool[] = [];
    afterEach(async () => {
      await Promise.all(pools.splice(0).map((p) => p.end()));
    });
    const poolsOn = (url: string, n: number) => {
      const made = Array.from({ length: n }, () => new pg.Pool({ connectionString: url }));
      pools.push(...made);
      return made;
    };
    const versions = async (p: pg.Pool) => (await p.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);

    it('4 processes starting at once on an empty database all succeed, and each migration runs once', async () => {
      const url = await server.current().createDatabase('migrate');
      const four = poolsOn(url, 4);
      const reports = await Promise.all(four.map((p) => migrate(p)));
      expect(reports.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(reports.map((r) => r.version)).toEqual(four.map(() => MIGRATIONS.at(-1)!.version));
      expect(await versions(four[0])).toEqual(MIGRATIONS.map((m) => m.version));
      // Opening the stores on it again applies nothing.
      expect((await migrate(four[1])).applied).toEqual([]);
    });

    it('a migration appended later is applied once to a database already in use, by whichever replica starts first', async () => {
      const url = await server.current().createDatabase('append');
      const [first, ...others] = poolsOn(url, 4);
      await migrate(first);
      const next: Migration = { version: MIGRATIONS.at(-1)!.version + 1, name: 'a later table', sql: 'CREATE TABLE later (id text PRIMARY KEY); INSERT INTO later VALUES (\'once\');' };
      const reports = await Promise.all(others.map((p) => migrate(p, [...MIGRATIONS, next])));
      expect(reports.flatMap((r) => r.applied)).toEqual([next.version]);
      expect((await first.query('SELECT id FROM later')).rows).toEqual([{ id: 'once' }]);
    });

    it('a migration that fails leaves nothing of itself behind', async () => {
      const url = await server.current().createDatabase('broken');
      const [p] = poolsOn(url, 1);
      await migrate(p);
      const broken: Migration = { version: 1000, name: 'broken', sql: 'CREATE TABLE half (id text); SELECT no_such_function();' };
      await expect(migrate(p, [...MIGRATIONS, broken])).rejects.toThrow(/no_such_function/);
      expect(await versions(p)).toEqual(MIGRATIONS.map((m) => m.version));
      expect((await p.query("SELECT to_regclass('half') AS t")).rows).toEqual([{ t: null }]);
    });
  });
});
