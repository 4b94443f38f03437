// The Slack digest poster over the Web API alone (what `briefbot digest --post` uses), through the
// real @slack/web-api against the loopback fake Slack, driven by the real DigestScheduler on a fake
// clock: each kind of failure must land on the right side of "retry" / "never retry, it may be
// there", and web-api must never retry (or wait) on its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createSlackPoster, type SlackPosterOptions } from '../../adapters/slack/poster.js';
import { slackConfig, type SlackConfig } from '../../adapters/slack/config.js';
import { ChannelGoneError, DigestPostError } from '../../src/digest/poster.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { openStores, type Stores } from '../../src/store/stores.js';
import { FakeClock, FakeSource, fakeSleep, producerOf } from '../digest/helpers.js';
import { CORPUS_DIR } from './briefing.js';
import { FakeSlack, type FakeReply, type WebApiCall } from './fake-slack.js';
import { BOT_TOKEN, captureLogger, SIGNING_SECRET } from './harness.js';

const CHANNEL = 'C0DIGEST';

let fake: FakeSlack;
let slack: SlackConfig;
beforeAll(async () => {
  fake = await FakeSlack.start();
  slack = slackConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl })!;
});
afterAll(async () => fake?.close());

interface Setup {
  clock: FakeClock;
  sleep: ReturnType<typeof fakeSleep>;
  stores: Stores;
  scheduler: DigestScheduler;
  log: ReturnType<typeof captureLogger>;
  posts(): WebApiCall[];
}

let s: Setup;
const opened: Setup[] = [];

async function setup(options: SlackPosterOptions = {}, config: SlackConfig = slack): Promise<Setup> {
  const clock = new FakeClock('2026-03-10T07:00:00Z');
  const sleep = fakeSleep(clock);
  const stores = await openStores({ dataDir: ':memory:' }, { subscriptions: { now: clock.now } });
  const log = captureLogger();
  const poster = createSlackPoster(config, log.logger, options);
  const scheduler = new DigestScheduler({ stores, producer: producerOf(new FakeSource()), posters: [poster], logger: log.logger, now: clock.now, sleep });
  await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: CHANNEL, time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
  const before = fake.calls.length;
  const made = { clock, sleep, stores, scheduler, log, posts: () => fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage') };
  opened.push(made);
  return made;
}

async function tickAtEight(setup: Setup) {
  setup.clock.set('2026-03-10T08:00:05Z');
  const report = await setup.scheduler.tick();
  expect(report.deliveries).toHaveLength(1);
  return report.deliveries[0];
}

const send = (setup: Setup) => setup.scheduler.sends.get({ platform: 'slack', channelId: CHANNEL, localDate: '2026-03-10' });
const slackError = (error: string): FakeReply => ({ body: { ok: false, error } });

beforeEach(async () => {
  s = await setup();
});
afterEach(async () => {
  for (const o of opened.splice(0)) await o.stores.close();
});

test('one chat.postMessage with the bot token: the rendered digest, marked with its date, no link previews', async () => {
  const result = await tickAtEight(s);
  const [post] = s.posts();
  expect(post.token).toBe(BOT_TOKEN);
  // Form-encoded, as web-api sends every call.
  expect(post.args).toMatchObject({ channel: CHANNEL, unfurl_links: 'false', unfurl_media: 'false', metadata: { event_type: 'briefbot_digest', event_payload: { date: '2026-03-10' } } });
  expect(post.args.blocks[0].text.text).toContain('Tuesday 10 March 2026');
  expect(post.args.text).toContain('Tuesday 10 March 2026');
  expect(result.outcome).toMatchObject({ status: 'sent', attempts: 1, messageId: (post.response as any).ts });
  expect(await send(s)).toMatchObject({ state: 'sent', messageId: (post.response as any).ts });
});

describe('rate limits', () => {
  test('a 429 goes back to the scheduler, which waits Slack’s Retry-After with its own sleep, then posts once', async () => {
    // web-api on its defaults would itself wait 42 real seconds here (and this test would time out).
    fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '42' }, body: { ok: false, error: 'ratelimited' } });
    const result = await tickAtEight(s);
    expect(result.outcome).toMatchObject({ status: 'sent', attempts: 2 });
    expect(s.sleep.waits).toEqual([42_000]);
    expect(s.posts().map((p) => p.status)).toEqual([429, 200]);
  });

  test('a 429 without Retry-After: certainly not posted, retried after the scheduler’s backoff', async () => {
    fake.failNext('chat.postMessage', { status: 429, body: { ok: false, error: 'ratelimited' } });
    const result = await tickAtEight(s);
    expect(result.outcome).toMatchObject({ status: 'sent', attempts: 2 });
    expect(s.sleep.waits).toEqual([30_000]);
  });

  test.each(['service_unavailable', 'ratelimited', 'request_timeout'])('ok:false %s: refused before posting, so retried', async (error) => {
    fake.failNext('chat.postMessage', slackError(error), slackError(error));
    const result = await tickAtEight(s);
    expect(result.outcome).toMatchObject({ status: 'sent', attempts: 3 });
    expect(s.posts()).toHaveLength(3);
    expect(s.sleep.waits).toEqual([30_000, 120_000]);
  });
});

describe('maybe posted: recorded unknown, never sent again', () => {
  test.each([
    ['HTTP 500', { status: 500, body: 'upstream exploded' }, 'Slack answered HTTP 500'],
    ['HTTP 503', { status: 503, body: 'unavailable' }, 'Slack answered HTTP 503'],
    ['ok:false internal_error', slackError('internal_error'), 'internal_error, which may follow a successful post'],
    ['ok:false fatal_error', slackError('fatal_error'), 'fatal_error, which may follow a successful post'],
  ] as [string, FakeReply, string][])('%s', async (_name, reply, reason) => {
    fake.failNext('chat.postMessage', reply);
    const result = await tickAtEight(s);
    expect(result.outcome).toMatchObject({ status: 'unknown', attempts: 1, reason: expect.stringContaining(reason) });
    expect(s.posts()).toHaveLength(1);
    expect(s.sleep.waits).toEqual([]);
    expect(await send(s)).toMatchObject({ state: 'unknown' });
    s.clock.advance(60 * 60_000);
    await s.scheduler.tick();
    expect(s.posts()).toHaveLength(1);
  });

  test('no answer within the timeout after the request reached Slack', async () => {
    // Slack gets the post and makes the message, but its answer never arrives: web-api's own
    // timeout (AbortSignal.timeout) ends the wait.
    const t = await setup({
      timeoutMs: 50,
      fetch: async (input, init) => {
        await fetch(input, init);
        return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
      },
    });
    const result = await tickAtEight(t);
    expect(result.outcome).toMatchObject({ status: 'unknown', attempts: 1, reason: expect.stringContaining('no answer from Slack before the timeout') });
    expect(t.posts()).toHaveLength(1);
    expect(fake.messages.get(CHANNEL)?.length).toBeGreaterThan(0);
    expect(t.sleep.waits).toEqual([]);
  });
});

describe('refusals', () => {
  test.each(['channel_not_found', 'is_archived', 'channel_is_archived', 'not_in_channel'])('%s: the channel is gone for the digest, unsubscribed after one attempt', async (error) => {
    fake.failNext('chat.postMessage', slackError(error));
    const result = await tickAtEight(s);
    expect(result.outcome).toMatchObject({ status: 'gone', reason: expect.stringContaining(error) });
    expect(s.posts()).toHaveLength(1);
    expect(await s.scheduler.subscriptions.get('slack', CHANNEL)).toBeUndefined();
    expect(s.log.lines.some((l) => l.msg === 'channel no longer exists: unsubscribed it from the daily digest')).toBe(true);
  });

  test.each(['invalid_auth', 'account_inactive', 'token_revoked', 'not_authed'])('%s: the token, not the channel: failed at once, subscription kept', async (error) => {
    fake.failNext('chat.postMessage', slackError(error));
    const result = await tickAtEight(s);
    expect(result.outcome).toMatchObject({ status: 'failed', attempts: 1, reason: expect.stringContaining('check SLACK_BOT_TOKEN') });
    expect(s.posts()).toHaveLength(1);
    expect(await s.scheduler.subscriptions.get('slack', CHANNEL)).toBeDefined();
  });

  test.each(['invalid_blocks', 'msg_too_long', 'restricted_action'])('%s: Slack read and refused it: failed at once, not retried', async (error) => {
    fake.failNext('chat.postMessage', slackError(error));
    const result = await tickAtEight(s);
    expect(result.outcome).toMatchObject({ status: 'failed', attempts: 1, reason: `Slack refused the digest (${error})` });
    expect(await s.scheduler.subscriptions.get('slack', CHANNEL)).toBeDefined();
  });

  test('the poster throws the scheduler’s error types', async () => {
    const log = captureLogger();
    const poster = createSlackPoster(slack, log.logger);
    const digest = await producerOf(new FakeSource()).digest({ date: '2026-03-10' });
    fake.failNext('chat.postMessage', slackError('channel_not_found'));
    await expect(poster.post(CHANNEL, digest)).rejects.toBeInstanceOf(ChannelGoneError);
    fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } });
    const limited = await poster.post(CHANNEL, digest).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(DigestPostError);
    expect(limited).toMatchObject({ permanent: false, outcomeUnknown: false, retryAfterMs: 3000 });
    fake.failNext('chat.postMessage', slackError('invalid_auth'));
    await expect(poster.post(CHANNEL, digest)).rejects.toMatchObject({ name: 'DigestPostError', permanent: true });
    // Each failure is logged with the channel and Slack's error, never the token.
    const failures = log.lines.filter((l) => l.msg === 'slack digest post failed');
    expect(failures.map((l) => [l.channel, l.slackError ?? l.code])).toEqual([
      [CHANNEL, 'channel_not_found'],
      [CHANNEL, 'slack_webapi_rate_limited_error'],
      [CHANNEL, 'invalid_auth'],
    ]);
    expect(log.text()).not.toContain(BOT_TOKEN);
  });
});

test('Slack unreachable (connection refused): certainly not posted, so retried with backoff, then failed', async () => {
  const closed = await FakeSlack.start();
  const url = closed.apiUrl;
  await closed.close();
  const t = await setup({}, { ...slack, apiUrl: url });
  const result = await tickAtEight(t);
  expect(result.outcome).toMatchObject({ status: 'failed', attempts: 4, reason: expect.stringContaining('could not reach Slack (ECONNREFUSED)') });
  expect(t.sleep.waits).toEqual([30_000, 120_000, 480_000]);
});

test('`briefbot digest --post` posts over the Web API through the same claim: a second run posts nothing', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'briefbot-slack-digest-post-'));
  try {
    const stores = await openStores({ dataDir });
    await stores.subscriptions.subscribe({ platform: 'slack', channelId: CHANNEL, time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await stores.close();
    const before = fake.calls.length;
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, CORPUS_DIR, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'silent' };
    const first = await run(['digest', '--post'], env, dataDir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^slack ${CHANNEL} \\(\\d{4}-\\d\\d-\\d\\d\\): posted, message \\d+\\.\\d+\\n$`));
    const second = await run(['digest', '--post'], env, dataDir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("not posted, today's digest is already sent");
    const posts = fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0].args.metadata.event_type).toBe('briefbot_digest');
    // Over the Web API alone: no auth.test, no Socket Mode connection.
    expect(fake.calls.slice(before).map((c) => c.method)).toEqual(['chat.postMessage']);
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
