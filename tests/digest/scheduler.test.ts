import { afterEach, describe, expect, it } from 'vitest';
import { ChannelGoneError, DigestPostError } from '../../src/digest/poster.js';
import { DigestScheduler, type DigestSchedulerOptions } from '../../src/digest/scheduler.js';
import { FakeClock, FakePoster, FakeSource, fakeSleep, memoryLogger, producerOf, sqliteDigestStores, tempDir, wallClock, type PostRecord } from './helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Rig {
  scheduler: DigestScheduler;
  poster: FakePoster;
  lines: ReturnType<typeof memoryLogger>['lines'];
  sleep: ReturnType<typeof fakeSleep>;
}

function rig(clock: FakeClock, o: { dir?: string; source?: FakeSource; posts?: PostRecord[]; claimant?: string } & Partial<DigestSchedulerOptions> = {}): Rig {
  const { logger, lines } = memoryLogger();
  const poster = new FakePoster('slack', clock, o.posts);
  const sleep = fakeSleep(clock);
  const scheduler = new DigestScheduler({
    stores: sqliteDigestStores(o.dir ?? ':memory:', { now: clock.now, claimant: o.claimant }),
    producer: producerOf(o.source ?? new FakeSource()),
    posters: [poster],
    logger,
    now: clock.now,
    sleep,
    ...o,
  });
  return { scheduler, poster, lines, sleep };
}

/** Ticks every `step` from `from` (inclusive) to `to` (exclusive), the way the minute cron would. */
async function runClock(clock: FakeClock, schedulers: DigestScheduler[], from: string, to: string, step = MINUTE): Promise<void> {
  for (let t = Date.parse(from); t < Date.parse(to); t += step) {
    clock.set(new Date(t));
    for (const s of schedulers) await s.tick(clock.now());
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('daily posting across daylight-saving changes', () => {
  it.each([
    ['Europe/London', 'spring forward', '2026-03-27T00:00:00Z', ['2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']],
    ['Europe/London', 'fall back', '2026-10-23T00:00:00Z', ['2026-10-23T07:00:00.000Z', '2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z']],
    ['America/New_York', 'spring forward', '2026-03-06T05:00:00Z', ['2026-03-06T13:00:00.000Z', '2026-03-07T13:00:00.000Z', '2026-03-08T12:00:00.000Z', '2026-03-09T12:00:00.000Z']],
    ['America/New_York', 'fall back', '2026-10-30T04:00:00Z', ['2026-10-30T12:00:00.000Z', '2026-10-31T12:00:00.000Z', '2026-11-01T13:00:00.000Z', '2026-11-02T13:00:00.000Z']],
  ])('%s, %s: 08:00 local every day, once a day', async (zone, _change, from, expected) => {
    const clock = new FakeClock(from);
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: zone, createdBy: 'U1' });
    await runClock(clock, [scheduler], from, new Date(Date.parse(from) + 4 * 24 * HOUR).toISOString());
    expect(poster.posts.map((p) => p.at.toISOString())).toEqual(expected);
    expect(poster.posts.map((p) => wallClock(p.at, zone))).toEqual(['08:00', '08:00', '08:00', '08:00']);
    expect(poster.posts.map((p) => p.digest.date)).toEqual(expected.map((_, i) => new Date(Date.parse(from) + i * 24 * HOUR + 12 * HOUR).toISOString().slice(0, 10)));
    expect(poster.attempts).toHaveLength(4);
  });

  it('a time inside the spring-forward gap posts an hour later by the clock that day, not never', async () => {
    const from = '2026-03-07T00:00:00Z';
    const clock = new FakeClock(from);
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '02:30', timeZone: 'America/New_York', createdBy: 'U1' });
    await runClock(clock, [scheduler], from, '2026-03-10T00:00:00Z');
    expect(poster.posts.map((p) => [p.digest.date, wallClock(p.at, 'America/New_York')])).toEqual([
      ['2026-03-07', '02:30'],
      ['2026-03-08', '03:30'],
      ['2026-03-09', '02:30'],
    ]);
  });

  it('weekdays-only subscriptions skip Saturday and Sunday in the channel’s zone', async () => {
    const from = '2026-03-05T00:00:00Z'; // Thursday
    const clock = new FakeClock(from);
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '07:00', timeZone: 'Asia/Tokyo', weekdaysOnly: true, createdBy: 'U1' });
    await runClock(clock, [scheduler], from, '2026-03-10T00:00:00Z', 5 * MINUTE);
    // Tokyo dates: Fri, Mon, Tue (Tuesday 07:00 in Tokyo is Monday 22:00 UTC); Thursday's time had passed.
    expect(poster.posts.map((p) => p.digest.date)).toEqual(['2026-03-06', '2026-03-09', '2026-03-10']);
  });
});

describe('exactly one digest per channel per local day', () => {
  it('two schedulers on one SQLite file (two connections) produce one post per channel', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = new FakeClock('2026-03-10T00:00:00Z');
    const posts: PostRecord[] = [];
    const a = rig(clock, { dir, posts, claimant: 'host-a:1' });
    const b = rig(clock, { dir, posts, claimant: 'host-b:2' });
    await a.scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await b.scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C2', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });

    // Both tick at the same instant, concurrently, then keep ticking all day.
    clock.set('2026-03-10T08:00:00Z');
    await Promise.all([a.scheduler.tick(clock.now()), b.scheduler.tick(clock.now())]);
    await runClock(clock, [b.scheduler, a.scheduler], '2026-03-10T08:01:00Z', '2026-03-11T00:00:00Z', 5 * MINUTE);

    expect(posts.map((p) => p.channelId).sort()).toEqual(['C1', 'C2']);
    expect(a.poster.attempts.length + b.poster.attempts.length).toBe(2);
    const row = await a.scheduler.sends.get({ platform: 'slack', channelId: 'C1', localDate: '2026-03-10' });
    expect(row).toMatchObject({ state: 'sent', attempts: 1 });
    expect(row?.messageId).toBe(posts.find((p) => p.channelId === 'C1')!.messageId);
  });

  it('two schedulers posting by hand at the same moment post once', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = new FakeClock('2026-03-10T10:00:00Z');
    const posts: PostRecord[] = [];
    const a = rig(clock, { dir, posts, claimant: 'host-a:1' });
    const b = rig(clock, { dir, posts, claimant: 'host-b:2' });
    await a.scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '18:00', timeZone: 'UTC', createdBy: 'U1' });
    const [ra, rb] = await Promise.all([a.scheduler.postNow(), b.scheduler.postNow()]);
    expect([ra[0].outcome.status, rb[0].outcome.status].sort()).toEqual(['already', 'sent']);
    expect(posts).toHaveLength(1);
  });

  it('a restart the same day does not post again', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = new FakeClock('2026-03-10T07:59:00Z');
    const posts: PostRecord[] = [];
    const first = rig(clock, { dir, posts });
    await first.scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await runClock(clock, [first.scheduler], '2026-03-10T07:59:00Z', '2026-03-10T08:02:00Z');
    const second = rig(clock, { dir, posts });
    clock.set('2026-03-10T09:00:00Z');
    expect((await second.scheduler.start())?.deliveries).toEqual([]);
    await second.scheduler.stop();
    expect(posts).toHaveLength(1);
  });

  it('a crash between claim and post never leads to a second post; the claim ends "unknown"', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const clock = new FakeClock('2026-03-10T07:00:00Z');
    const posts: PostRecord[] = [];
    const crashed = rig(clock, { dir, posts, claimant: 'host-a:1' });
    await crashed.scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    crashed.poster.script.set('C1', ['hang']);

    // Process A claims and reaches post(), then never comes back (frozen, or killed mid-request).
    clock.set('2026-03-10T08:00:00Z');
    const reachedPost = crashed.poster.nextAttempt();
    void crashed.scheduler.tick(clock.now());
    await reachedPost;
    expect((await crashed.scheduler.sends.get({ platform: 'slack', channelId: 'C1', localDate: '2026-03-10' }))?.state).toBe('claimed');

    // Process B starts on the same data and ticks through the rest of the day and the next.
    const survivor = rig(clock, { dir, posts, claimant: 'host-b:2' });
    await runClock(clock, [survivor.scheduler], '2026-03-10T08:01:00Z', '2026-03-11T07:59:00Z', 5 * MINUTE);
    expect(survivor.poster.attempts).toEqual([]);
    expect(posts).toEqual([]);
    const row = await survivor.scheduler.sends.get({ platform: 'slack', channelId: 'C1', localDate: '2026-03-10' });
    expect(row).toMatchObject({ state: 'unknown', claimedBy: 'host-a:1' });
    expect(survivor.lines.filter((l) => /abandoned between claim and post/.test(l.msg))).toHaveLength(1);
    // The swept claim is older than the stale limit (1 h), not younger: a live retrying sender is never swept.
    const sweptAt = Date.parse(row!.updatedAt);
    expect(sweptAt - Date.parse('2026-03-10T08:00:00Z')).toBeGreaterThan(HOUR);

    // Next day is a new day.
    await runClock(clock, [survivor.scheduler], '2026-03-11T08:00:00Z', '2026-03-11T08:01:00Z');
    expect(posts.map((p) => p.digest.date)).toEqual(['2026-03-11']);
  });

  it('a manual post and the schedule share the claim', async () => {
    const clock = new FakeClock('2026-03-10T06:00:00Z');
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    const manual = await scheduler.postNow(clock.now());
    expect(manual.map((r) => r.outcome.status)).toEqual(['sent']);
    expect((await scheduler.postNow(clock.now())).map((r) => r.outcome.status)).toEqual(['already']);
    await runClock(clock, [scheduler], '2026-03-10T07:55:00Z', '2026-03-10T08:10:00Z');
    expect(poster.posts).toHaveLength(1);
  });
});

describe('manual posts and status', () => {
  it('posts one named channel by hand, and reports its status', async () => {
    const clock = new FakeClock('2026-03-10T06:00:00Z');
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'Europe/London', createdBy: 'U1' });
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C2', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    expect(await scheduler.postNow(clock.now(), { platform: 'slack', channelId: 'NOPE' })).toEqual([]);
    const [only] = await scheduler.postNow(clock.now(), { platform: 'slack', channelId: 'C1' });
    expect(only).toMatchObject({ channelId: 'C1', localDate: '2026-03-10', trigger: 'manual', outcome: { status: 'sent' } });
    expect(poster.posts.map((p) => p.channelId)).toEqual(['C1']);
    const status = await scheduler.status('slack', 'C1');
    expect(status.subscription?.time).toBe('08:00');
    expect(status.nextRun?.toISOString()).toBe('2026-03-10T08:00:00.000Z');
    expect(status.recent).toMatchObject([{ localDate: '2026-03-10', state: 'sent', trigger: 'manual', messageId: 'slack-msg-1' }]);
    expect(await scheduler.status('slack', 'NOPE')).toEqual({ subscription: undefined, nextRun: undefined, recent: [] });
  });
});

describe('catch-up after downtime', () => {
  it('posts on start-up when less than 6 hours late', async () => {
    const clock = new FakeClock('2026-03-09T12:00:00Z');
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'Europe/London', createdBy: 'U1' });
    clock.set('2026-03-10T13:59:00Z'); // 5 h 59 min late: the bot was down at 08:00
    const report = await scheduler.start();
    await scheduler.stop();
    expect(report?.deliveries).toMatchObject([{ localDate: '2026-03-10', trigger: 'catch-up', outcome: { status: 'sent' } }]);
    expect(poster.posts).toHaveLength(1);
  });

  it('skips the day and logs it once when 6 hours or more late; the next day is normal', async () => {
    const clock = new FakeClock('2026-03-09T12:00:00Z');
    const { scheduler, poster, lines } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await runClock(clock, [scheduler], '2026-03-10T14:00:00Z', '2026-03-11T08:01:00Z', 5 * MINUTE);
    expect(poster.posts.map((p) => p.digest.date)).toEqual(['2026-03-11']);
    const skips = lines.filter((l) => /digest skipped/.test(l.msg));
    expect(skips).toHaveLength(1);
    expect(skips[0]).toMatchObject({ date: '2026-03-10', channel: 'C1' });
    expect(await scheduler.sends.get({ platform: 'slack', channelId: 'C1', localDate: '2026-03-10' })).toMatchObject({ state: 'skipped' });
  });

  it('a skipped day can still be posted by hand, once', async () => {
    const clock = new FakeClock('2026-03-09T12:00:00Z');
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    clock.set('2026-03-10T15:00:00Z');
    expect((await scheduler.tick()).skipped).toHaveLength(1);
    expect((await scheduler.postNow()).map((r) => r.outcome.status)).toEqual(['sent']);
    expect((await scheduler.postNow()).map((r) => r.outcome.status)).toEqual(['already']);
    expect(poster.posts).toHaveLength(1);
  });

  it('a channel subscribed after today’s time waits for tomorrow', async () => {
    const clock = new FakeClock('2026-03-10T09:00:00Z');
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await runClock(clock, [scheduler], '2026-03-10T09:00:00Z', '2026-03-11T08:01:00Z', 5 * MINUTE);
    expect(poster.posts.map((p) => p.digest.date)).toEqual(['2026-03-11']);
    expect((await scheduler.sends.recent('slack', 'C1')).map((s) => s.localDate)).toEqual(['2026-03-11']);
  });
});

describe('failures', () => {
  const setup = async (errors: (Error | 'hang')[]) => {
    const clock = new FakeClock('2026-03-10T07:00:00Z');
    const r = rig(clock);
    await r.scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    r.poster.script.set('C1', errors);
    clock.set('2026-03-10T08:00:00Z');
    return { clock, ...r, key: { platform: 'slack', channelId: 'C1', localDate: '2026-03-10' } };
  };

  it('retries a transient failure with backoff, then posts once', async () => {
    const { scheduler, poster, sleep, key } = await setup([new Error('HTTP 502'), new Error('socket hang up')]);
    const report = await scheduler.tick();
    expect(report.deliveries[0].outcome).toMatchObject({ status: 'sent', attempts: 3 });
    expect(sleep.waits).toEqual([30_000, 120_000]);
    expect(poster.attempts.map((a) => a.at.toISOString())).toEqual(['2026-03-10T08:00:00.000Z', '2026-03-10T08:00:30.000Z', '2026-03-10T08:02:30.000Z']);
    expect(poster.posts).toHaveLength(1);
    expect(await scheduler.sends.get(key)).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('gives up after a few attempts and records the failure with its reason; no more tries that day', async () => {
    const { clock, scheduler, poster, sleep, lines, key } = await setup([1, 2, 3, 4, 5].map((i) => new Error(`HTTP 500 (${i})`)));
    await scheduler.tick();
    expect(sleep.waits).toEqual([30_000, 120_000, 480_000]);
    expect(poster.attempts).toHaveLength(4);
    expect(await scheduler.sends.get(key)).toMatchObject({ state: 'failed', attempts: 4, reason: 'gave up after 4 attempts; last error: HTTP 500 (4)' });
    expect(lines.filter((l) => /recorded as failed/.test(l.msg))).toHaveLength(1);
    await runClock(clock, [scheduler], clock.now().toISOString(), '2026-03-10T14:00:00Z', 5 * MINUTE);
    expect(poster.attempts).toHaveLength(4);
    expect(await scheduler.subscriptions.get('slack', 'C1')).toBeDefined();
  });

  it('waits as long as the platform asks (rate limit), within a cap', async () => {
    const { scheduler, sleep } = await setup([
      new DigestPostError('rate limited', { retryAfterMs: 90_000 }),
      new DigestPostError('rate limited', { retryAfterMs: 24 * HOUR }),
    ]);
    await scheduler.tick();
    expect(sleep.waits).toEqual([90_000, 15 * MINUTE]);
  });

  it('never retries a post whose outcome is unknown (it may have gone through): recorded "unknown"', async () => {
    const { clock, scheduler, poster, sleep, key } = await setup([new DigestPostError('timed out after sending', { outcomeUnknown: true })]);
    const report = await scheduler.tick();
    expect(report.deliveries[0].outcome).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(sleep.waits).toEqual([]);
    expect(await scheduler.sends.get(key)).toMatchObject({ state: 'unknown', attempts: 1, reason: 'outcome unknown, not retried so as never to post twice: timed out after sending' });
    await runClock(clock, [scheduler], '2026-03-10T08:05:00Z', '2026-03-10T13:00:00Z', 5 * MINUTE);
    expect(poster.attempts).toHaveLength(1);
  });

  it('a failure to record a successful post is not mistaken for a failed post (no retry, no second message)', async () => {
    const { clock, scheduler, poster, key } = await setup([]);
    scheduler.sends.markSent = () => {
      throw new Error('database is locked');
    };
    await expect(scheduler.tick()).rejects.toThrow('database is locked');
    expect(poster.attempts).toHaveLength(1);
    expect((await scheduler.sends.get(key))?.state).toBe('claimed');
    await runClock(clock, [scheduler], '2026-03-10T08:05:00Z', '2026-03-10T13:00:00Z', 5 * MINUTE);
    expect(poster.attempts).toHaveLength(1);
    expect((await scheduler.sends.get(key))?.state).toBe('unknown');
  });

  it('does not retry a permanent failure', async () => {
    const { scheduler, poster, key } = await setup([new DigestPostError('invalid_blocks', { permanent: true })]);
    await scheduler.tick();
    expect(poster.attempts).toHaveLength(1);
    expect(await scheduler.sends.get(key)).toMatchObject({ state: 'failed', attempts: 1, reason: 'invalid_blocks' });
  });

  it('a channel that no longer exists is unsubscribed, with a log line', async () => {
    const { clock, scheduler, poster, lines, key } = await setup([new ChannelGoneError('channel_not_found', 'C1')]);
    const report = await scheduler.tick();
    expect(report.deliveries[0].outcome).toEqual({ status: 'gone', reason: 'channel gone: channel_not_found' });
    expect(poster.attempts).toHaveLength(1);
    expect(await scheduler.subscriptions.get('slack', 'C1')).toBeUndefined();
    expect(await scheduler.sends.get(key)).toMatchObject({ state: 'failed', reason: 'channel gone: channel_not_found' });
    expect(lines.filter((l) => /unsubscribed/.test(l.msg))).toMatchObject([{ channel: 'C1', platform: 'slack' }]);
    await runClock(clock, [scheduler], '2026-03-11T07:55:00Z', '2026-03-11T08:05:00Z');
    expect(poster.attempts).toHaveLength(1);
  });

  it('stopping during a backoff wait gives up at once and records why', async () => {
    const clock = new FakeClock('2026-03-10T07:00:00Z');
    const { logger } = memoryLogger();
    const poster = new FakePoster('slack', clock);
    let waiting!: () => void;
    const reachedWait = new Promise<void>((r) => (waiting = r));
    const scheduler = new DigestScheduler({
      stores: sqliteDigestStores(':memory:', { now: clock.now }),
      producer: producerOf(new FakeSource()),
      posters: [poster],
      logger,
      now: clock.now,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new Error('aborted')));
          waiting();
        }),
    });
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    poster.script.set('C1', [new Error('HTTP 503')]);
    clock.set('2026-03-10T08:00:00Z');
    const tick = scheduler.tick();
    await reachedWait;
    await scheduler.stop();
    expect((await tick).deliveries[0].outcome).toMatchObject({ status: 'failed', reason: 'stopped before retry 2; last error: HTTP 503' });
  });

  it('refuses a stale-claim limit shorter than its own retry schedule', () => {
    const clock = new FakeClock('2026-03-10T07:00:00Z');
    expect(() => rig(clock, { staleClaimMs: 10 * MINUTE })).toThrow(/staleClaimMs/);
  });
});

describe('what the digest says', () => {
  it('a document added to the corpus leads the next digest, then is no longer new', async () => {
    const source = new FakeSource();
    const clock = new FakeClock('2026-03-09T12:00:00Z');
    const { scheduler, poster } = rig(clock, { source });
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await runClock(clock, [scheduler], '2026-03-10T07:55:00Z', '2026-03-10T08:05:00Z');
    source.addDocument('second-round.md', 'Second round in Muscat', '2026-03-10', 'Talks resumed on Tuesday. Both delegations stayed late.');
    await runClock(clock, [scheduler], '2026-03-11T07:55:00Z', '2026-03-11T08:05:00Z');
    await runClock(clock, [scheduler], '2026-03-12T07:55:00Z', '2026-03-12T08:05:00Z');
    const [first, second, third] = poster.posts.map((p) => p.digest);
    expect(first.newSince).toEqual([]);
    expect(second.newSince.map((n) => n.document.title)).toEqual(['Second round in Muscat']);
    expect(second.newSince[0].quotes.map((q) => q.text)).toEqual(['Talks resumed on Tuesday.', 'Both delegations stayed late.']);
    expect(third.newSince).toEqual([]);
    expect((await scheduler.subscriptions.get('slack', 'C1'))?.lastHashes).toEqual(source.documentHashes());
  });

  it('consecutive days rotate the points', async () => {
    const clock = new FakeClock('2026-03-09T12:00:00Z');
    const { scheduler, poster } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await runClock(clock, [scheduler], '2026-03-10T07:00:00Z', '2026-03-12T09:00:00Z', 30 * MINUTE);
    const [d1, d2] = poster.posts.map((p) => p.digest.points.map((x) => x.quote.text));
    expect(d1).toHaveLength(6);
    d1.forEach((text, i) => expect(d2[i]).not.toBe(text));
  });

  it('leaves channels of a platform this process does not run alone', async () => {
    const clock = new FakeClock('2026-03-10T07:00:00Z');
    const { scheduler } = rig(clock);
    await scheduler.subscriptions.subscribe({ platform: 'discord', channelId: 'D1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    clock.set('2026-03-10T08:00:00Z');
    expect((await scheduler.tick()).deliveries).toEqual([]);
    expect(await scheduler.sends.recent('discord', 'D1')).toEqual([]);
  });
});
