import { describe, expect, it } from 'vitest';
import { digestText, TERMINAL_DIGEST } from '../../adapters/console/layout.js';
import { DigestUsageError, parseDigestArgs, runDigestCommand, type DigestCommandDeps } from '../../src/digest/command.js';
import { composeDigest } from '../../src/digest/compose.js';
import { ChannelGoneError } from '../../src/digest/poster.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import type { Digest } from '../../src/digest/types.js';
import { FakeClock, FakePoster, FakeSource, fakeSleep, memoryLogger, producerOf, sqliteDigestStores } from './helpers.js';

function harness(o: { posters?: 'slack' | 'none'; source?: FakeSource } = {}) {
  const clock = new FakeClock('2026-03-10T06:30:00Z');
  const source = o.source ?? new FakeSource();
  const stores = sqliteDigestStores(':memory:', { now: clock.now });
  const poster = new FakePoster('slack', clock);
  const out: string[] = [];
  const err: string[] = [];
  const deps: DigestCommandDeps = {
    producer: producerOf(source),
    logger: memoryLogger().logger,
    timeZone: 'Asia/Tehran',
    layout: TERMINAL_DIGEST,
    stores,
    posters: o.posters === 'none' ? [] : [poster],
    now: clock.now,
    sleep: fakeSleep(clock),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  };
  return { clock, source, stores, poster, out, err, deps, subs: stores.subscriptions };
}

describe('briefbot digest', () => {
  it('parses its flags and rejects unknown ones with the usage', () => {
    expect(parseDigestArgs(['--date', '2026-03-01', '--json'])).toEqual({ date: '2026-03-01', json: true, post: undefined });
    expect(parseDigestArgs(['--post'])).toEqual({ date: undefined, json: undefined, post: true });
    expect(() => parseDigestArgs(['--dte', '2026-03-01'])).toThrow(DigestUsageError);
    expect(() => parseDigestArgs(['--dte', '2026-03-01'])).toThrow(/Usage: briefbot digest/);
    expect(() => parseDigestArgs(['--json', '--date'], false)).toThrow(/--date needs a value/);
    expect(() => parseDigestArgs(['--date'])).toThrow(DigestUsageError);
  });

  it('prints today’s digest in DIGEST_TZ as text', async () => {
    const h = harness();
    expect(await runDigestCommand({}, h.deps)).toBe(0);
    const text = h.out.join('');
    // 06:30 UTC is 10:00 in Tehran: still 10 March there.
    expect(text).toContain('Tuesday 10 March 2026');
    expect(text).toContain('Key points');
    expect(text).toContain('1. Topic trust');
    const first = composeDigest(h.source, { date: '2026-03-10' }).points[0].quote;
    expect(text).toContain(`“${first.text}”`);
    // Under each quote: its outlet, its date ("D Mon YYYY") and its section.
    expect(text).toContain(`“${first.text}”\n     — Source of trust.md, 1 Feb 2026 · Body`);
    expect(h.err).toEqual([]);
  });

  it('prints a given date as one Digest in JSON', async () => {
    const h = harness();
    expect(await runDigestCommand({ date: '2026-02-28', json: true }, h.deps)).toBe(0);
    const digest = JSON.parse(h.out.join('')) as Digest;
    expect(digest).toEqual(composeDigest(h.source, { date: '2026-02-28' }));
  });

  it('without an edge’s text layout (the engine’s own CLI) prints the outcomes as JSON', async () => {
    const h = harness();
    await h.subs.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    const deps = { ...h.deps, layout: undefined };
    expect(await runDigestCommand({ date: '2026-02-28' }, deps)).toBe(0);
    expect(JSON.parse(h.out.join(''))).toEqual(composeDigest(h.source, { date: '2026-02-28' }));
    h.out.length = 0;
    expect(await runDigestCommand({ post: true }, deps)).toBe(0);
    expect((JSON.parse(h.out.join('')) as { outcome: { status: string } }[]).map((r) => r.outcome.status)).toEqual(['sent']);
  });

  it('renders every section when present', () => {
    const source = new FakeSource(['trust'], 2);
    const doc = source.addDocument('watch.md', 'What to watch', '2026-02-09', 'Watch enrichment. Watch the carriers.');
    source.setIndicators([source.quote(doc, 'Watch the carriers.')]);
    const previous = { ...source.documentHashes() };
    delete previous['watch.md'];
    const text = digestText(composeDigest(source, { date: '2026-03-10', previous }));
    expect(text.startsWith('US–Iran nuclear talks: daily briefing, Tuesday 10 March 2026\n')).toBe(true);
    expect(text.indexOf('New since the last briefing')).toBeLessThan(text.indexOf('Key points'));
    expect(text.indexOf('Key points')).toBeLessThan(text.indexOf('Indicators to watch'));
    // A new document shows the same outlet and date as its quotes do.
    expect(text).toContain('* What to watch — Source of watch.md, 9 Feb 2026\n    “Watch enrichment.”\n      — Source of watch.md, 9 Feb 2026 · Body');
  });

  it('an empty day says so', () => {
    const text = digestText({ date: '2026-03-10', newSince: [], points: [], indicators: [], titles: {} });
    expect(text).toContain('The sources have nothing to brief on for this date.');
    expect(text).not.toContain('Key points');
  });

  it.each([
    [{ date: '2026-13-01' }, 2, /--date must be a real date written YYYY-MM-DD, got "2026-13-01"/],
    [{ date: '2026-03-01', post: true }, 2, /--date cannot be combined with --post/],
  ])('a bad invocation %o prints one clear line and exits non-zero', async (options, code, message) => {
    const h = harness();
    expect(await runDigestCommand(options, h.deps)).toBe(code);
    expect(h.err).toHaveLength(1);
    expect(h.err[0]).toMatch(message);
    expect(h.out).toEqual([]);
  });

  it('--post without a configured platform says so', async () => {
    const h = harness({ posters: 'none' });
    expect(await runDigestCommand({ post: true }, h.deps)).toBe(1);
    expect(h.err[0]).toMatch(/no platform to post to/);
  });

  it('--post posts to every subscribed channel once, however often it is run', async () => {
    const h = harness();
    await h.subs.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    await h.subs.subscribe({ platform: 'slack', channelId: 'C2', time: '08:00', timeZone: 'Pacific/Auckland', createdBy: 'U1' });
    await h.subs.subscribe({ platform: 'discord', channelId: 'D1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    expect(await runDigestCommand({ post: true }, h.deps)).toBe(0);
    expect(h.out.join('')).toBe(
      [
        'discord D1 (2026-03-10): not posted, discord is not configured in this environment',
        'slack C1 (2026-03-10): posted, message slack-msg-1',
        // Each channel's own date: 06:30 UTC is 19:30 on 10 March in Auckland.
        'slack C2 (2026-03-10): posted, message slack-msg-2',
        '',
      ].join('\n'),
    );
    h.out.length = 0;
    expect(await runDigestCommand({ post: true, json: true }, h.deps)).toBe(0);
    const again = JSON.parse(h.out.join('')) as { channelId: string; outcome: { status: string } }[];
    expect(again.map((r) => `${r.channelId}:${r.outcome.status}`)).toEqual(['D1:no-poster', 'C1:already', 'C2:already']);
    expect(h.poster.posts).toHaveLength(2);
  });

  it('--post and the scheduler never both post a channel’s day', async () => {
    const h = harness();
    await h.subs.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    expect(await runDigestCommand({ post: true }, h.deps)).toBe(0);
    const scheduler = new DigestScheduler({ stores: h.stores, producer: h.deps.producer, posters: [h.poster], logger: h.deps.logger, now: h.clock.now });
    h.clock.set('2026-03-10T08:00:00Z');
    expect((await scheduler.tick()).deliveries).toEqual([]);
    expect(h.poster.posts).toHaveLength(1);
  });

  it('--post reports failures and exits non-zero', async () => {
    const h = harness();
    await h.subs.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'UTC', createdBy: 'U1' });
    h.poster.script.set('C1', [new ChannelGoneError('channel_not_found')]);
    expect(await runDigestCommand({ post: true }, h.deps)).toBe(1);
    expect(h.out.join('')).toBe('slack C1 (2026-03-10): FAILED, channel gone: channel_not_found; unsubscribed\n');
    expect(await h.subs.list()).toEqual([]);
  });

  it('--post with no subscriptions says so', async () => {
    const h = harness();
    expect(await runDigestCommand({ post: true }, h.deps)).toBe(0);
    expect(h.out.join('')).toBe('No channel is subscribed to the daily digest.\n');
  });
});
