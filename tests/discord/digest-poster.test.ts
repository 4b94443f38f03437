// The Discord digest poster over REST alone (what `briefbot digest --post` uses), through the real
// @discordjs/rest against the loopback fake, driven by the real DigestScheduler on a fake clock:
// each kind of failure must land on the right side of "retry" / "never retry, it may be there".
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDiscordPoster, digestNonce, type DiscordDigestPoster, type DiscordPosterOptions } from '../../adapters/discord/poster.js';
import { discordConfig, type DiscordConfig } from '../../adapters/discord/config.js';
import { ChannelGoneError, DigestPostError } from '../../src/digest/poster.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { openStores, type Stores } from '../../src/store/stores.js';
import { FakeClock, FakeSource, fakeSleep, producerOf } from '../digest/helpers.js';
import { CORPUS } from './digest-harness.js';
import { FakeDiscord, type RecordedRequest } from './fake-discord.js';
import { BOT_TOKEN, captureLogger } from './helpers.js';

const CHANNEL = '520000000000000001';
const MESSAGES = `/api/v10/channels/${CHANNEL}/messages`;

let fake: FakeDiscord;
let discord: DiscordConfig;
beforeAll(async () => {
  fake = await FakeDiscord.start();
  discord = discordConfig({ DISCORD_TOKEN: BOT_TOKEN, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl })!;
});
afterAll(async () => fake?.stop());

interface Setup {
  clock: FakeClock;
  sleep: ReturnType<typeof fakeSleep>;
  stores: Stores;
  poster: DiscordDigestPoster;
  scheduler: DigestScheduler;
  posts(): RecordedRequest[];
}

let s: Setup;
const opened: Setup[] = [];

async function setup(options: DiscordPosterOptions = {}, config: DiscordConfig = discord): Promise<Setup> {
  const clock = new FakeClock('2026-03-10T07:00:00Z');
  const sleep = fakeSleep(clock);
  const stores = await openStores({ dataDir: ':memory:' }, { subscriptions: { now: clock.now } });
  const poster = createDiscordPoster(config, captureLogger().logger, { now: clock.now, ...options });
  const scheduler = new DigestScheduler({ stores, producer: producerOf(new FakeSource()), posters: [poster], logger: captureLogger().logger, now: clock.now, sleep });
  await scheduler.subscriptions.subscribe({ platform: 'discord', channelId: CHANNEL, time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
  const before = fake.requests.length;
  const setup = { clock, sleep, stores, poster, scheduler, posts: () => fake.requests.slice(before).filter((r) => r.path === MESSAGES) };
  opened.push(setup);
  return setup;
}

async function tickAtEight(setup: Setup) {
  setup.clock.set('2026-03-10T08:00:05Z');
  const report = await setup.scheduler.tick();
  expect(report.deliveries).toHaveLength(1);
  return report.deliveries[0];
}

const send = (setup: Setup) => setup.scheduler.sends.get({ platform: 'discord', channelId: CHANNEL, localDate: '2026-03-10' });

beforeEach(async () => {
  fake.clearFailures();
  s = await setup();
});
afterEach(async () => {
  for (const o of opened.splice(0)) {
    o.poster.close();
    await o.stores.close();
  }
});

test('posts over REST alone: one message, bot token, no pings, a nonce Discord enforces', async () => {
  const gatewayBefore = fake.gatewayReceived.length;
  const result = await tickAtEight(s);
  expect(result.outcome).toMatchObject({ status: 'sent', attempts: 1 });
  const [post] = s.posts();
  expect(post.status).toBe(200);
  expect(post.headers.authorization).toBe(`Bot ${BOT_TOKEN}`);
  expect(post.body).toMatchObject({ allowed_mentions: { parse: [] }, nonce: digestNonce(CHANNEL, '2026-03-10'), enforce_nonce: true });
  expect(post.body.nonce.length).toBeLessThanOrEqual(25);
  expect(post.body.embeds[0].title).toContain('10 March 2026');
  expect(fake.messages.has((result.outcome as { messageId: string }).messageId)).toBe(true);
  expect(fake.gatewayReceived.length).toBe(gatewayBefore);
  // The nonce is per channel and day, so it differs from tomorrow's and from another channel's.
  expect(new Set([digestNonce(CHANNEL, '2026-03-10'), digestNonce(CHANNEL, '2026-03-11'), digestNonce('1', '2026-03-10')]).size).toBe(3);
});

test('a 429 is waited out with the scheduler’s sleep for Discord’s retry-after, then posted once, same nonce', async () => {
  fake.fail({ method: 'POST', path: MESSAGES, status: 429, headers: { 'retry-after': '42' }, body: { message: 'You are being rate limited.', retry_after: 42, global: false }, times: 1 });
  const result = await tickAtEight(s);
  expect(result.outcome).toMatchObject({ status: 'sent', attempts: 2 });
  expect(s.sleep.waits).toHaveLength(1);
  expect(s.sleep.waits[0]).toBeGreaterThanOrEqual(42_000);
  const posts = s.posts();
  expect(posts.map((p) => p.status)).toEqual([429, 200]);
  expect(new Set(posts.map((p) => p.body.nonce)).size).toBe(1);
});

test('5xx: @discordjs/rest retries, then the scheduler does, every time with the same nonce; one message', async () => {
  fake.fail({ method: 'POST', path: MESSAGES, status: 500, times: 4 });
  const result = await tickAtEight(s);
  expect(result.outcome).toMatchObject({ status: 'sent', attempts: 2 });
  const posts = s.posts();
  expect(posts.map((p) => p.status)).toEqual([500, 500, 500, 500, 200]);
  expect(new Set(posts.map((p) => p.body.nonce))).toEqual(new Set([digestNonce(CHANNEL, '2026-03-10')]));
  expect(posts.every((p) => p.body.enforce_nonce === true)).toBe(true);
});

test('5xx for longer than Discord de-duplicates nonces: recorded unknown, not sent again', async () => {
  fake.fail({ method: 'POST', path: MESSAGES, status: 502, times: 8 });
  const result = await tickAtEight(s);
  // Attempt 1 at 08:00, attempt 2 after 30 s, attempt 3 would be 2.5 min after the first: too late.
  expect(result.outcome).toMatchObject({ status: 'unknown', attempts: 3 });
  expect(s.posts()).toHaveLength(8);
  expect(await send(s)).toMatchObject({ state: 'unknown', reason: expect.stringContaining('Discord only de-duplicates by nonce for a few minutes') });
  // The next tick leaves the day alone.
  s.clock.advance(60 * 60_000);
  await s.scheduler.tick();
  expect(s.posts()).toHaveLength(8);
});

describe('refusals', () => {
  test.each([
    [404, 10003, 'Unknown Channel', 'gone'],
    [403, 50001, 'Missing Access', 'gone'],
  ])('%i / %i %s: the channel is gone for the digest, unsubscribed after one attempt', async (status, code, message, outcome) => {
    fake.fail({ method: 'POST', path: MESSAGES, status, body: { message, code }, times: 1 });
    const result = await tickAtEight(s);
    expect(result.outcome.status).toBe(outcome);
    expect(s.posts()).toHaveLength(1);
    expect(await s.scheduler.subscriptions.get('discord', CHANNEL)).toBeUndefined();
  });

  test.each([
    [403, 50013, 'Missing Permissions', 'Missing Permissions'],
    [400, 50035, 'Invalid Form Body', 'Discord refused the digest: 400'],
  ])('%i / %i %s: failed at once, not retried, subscription kept', async (status, code, message, reason) => {
    fake.fail({ method: 'POST', path: MESSAGES, status, body: { message, code }, times: 1 });
    const result = await tickAtEight(s);
    expect(result.outcome).toMatchObject({ status: 'failed', attempts: 1, reason: expect.stringContaining(reason) });
    expect(s.posts()).toHaveLength(1);
    expect(await s.scheduler.subscriptions.get('discord', CHANNEL)).toBeDefined();
  });

  test('the poster throws the scheduler’s error types', async () => {
    const digest = await producerOf(new FakeSource()).digest({ date: '2026-03-10' });
    fake.fail({ method: 'POST', path: MESSAGES, status: 404, body: { message: 'Unknown Channel', code: 10003 }, times: 1 });
    await expect(s.poster.post(CHANNEL, digest)).rejects.toBeInstanceOf(ChannelGoneError);
    fake.fail({ method: 'POST', path: MESSAGES, status: 429, headers: { 'retry-after': '3' }, body: { message: 'slow down', retry_after: 3, global: false }, times: 1 });
    const limited = await s.poster.post(CHANNEL, digest).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(DigestPostError);
    expect(limited).toMatchObject({ permanent: false, outcomeUnknown: false, retryAfterMs: expect.any(Number) });
    expect((limited as DigestPostError).retryAfterMs).toBeGreaterThanOrEqual(3000);
  });
});

test('no answer after sending (timeout): recorded unknown and never retried, so at most one message', async () => {
  // Discord receives the post but the answer never comes back: @discordjs/rest's timeout aborts.
  const sent: any[] = [];
  const abort = () => new DOMException('This operation was aborted', 'AbortError');
  const t = await setup({
    rest: {
      retries: 1,
      makeRequest: async (url, init) => {
        sent.push(JSON.parse(String(init.body)));
        if (sent.length === 1) await fetch(url, { method: init.method, headers: init.headers as Record<string, string>, body: init.body as string });
        throw abort();
      },
    },
  });
  const result = await tickAtEight(t);
  expect(result.outcome).toMatchObject({ status: 'unknown', attempts: 1, reason: expect.stringContaining('no answer from Discord before the timeout') });
  // @discordjs/rest re-sent it once on its own: with the same nonce, which Discord de-duplicates.
  expect(sent).toHaveLength(2);
  expect(sent[1].nonce).toBe(sent[0].nonce);
  expect(t.sleep.waits).toEqual([]);
  expect(t.posts()).toHaveLength(1);
  expect(await send(t)).toMatchObject({ state: 'unknown' });
});

test('Discord unreachable (connection refused): certainly not posted, so retried with backoff, then failed', async () => {
  const closed = await FakeDiscord.start();
  const url = closed.apiUrl;
  await closed.stop();
  const t = await setup({}, { ...discord, apiUrl: url });
  const result = await tickAtEight(t);
  expect(result.outcome).toMatchObject({ status: 'failed', attempts: 4, reason: expect.stringContaining('could not reach Discord (ECONNREFUSED)') });
  expect(t.sleep.waits).toEqual([30_000, 120_000, 480_000]);
});

test('`briefbot digest --post` posts over REST through the same claim: a second run posts nothing', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'briefbot-digest-post-'));
  try {
    const stores = await openStores({ dataDir });
    await stores.subscriptions.subscribe({ platform: 'discord', channelId: CHANNEL, time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await stores.close();
    const before = fake.requests.length;
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, CORPUS_DIR: CORPUS, DISCORD_TOKEN: BOT_TOKEN, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'silent' };
    const first = await run(['digest', '--post'], env, dataDir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^discord ${CHANNEL} \\(\\d{4}-\\d\\d-\\d\\d\\): posted, message \\d+\\n$`));
    const second = await run(['digest', '--post'], env, dataDir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("not posted, today's digest is already sent");
    const posts = fake.requests.slice(before).filter((r) => r.path === MESSAGES);
    expect(posts).toHaveLength(1);
    expect(posts[0].body.allowed_mentions).toEqual({ parse: [] });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

function run(args: string[], env: Record<string, string | undefined>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = path.resolve('bin/briefbot.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
