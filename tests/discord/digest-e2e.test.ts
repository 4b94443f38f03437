// Daily digests in Discord, end to end: slash commands through the real discord.js Client and the
// loopback fake Discord, the real Briefing on a temp copy of corpus/, the scheduler on a fake
// clock. The tests run in order on one timeline (9 to 13 March 2026), each on its own channel
// unless it says otherwise.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { digestNonce } from '../../adapters/discord/poster.js';
import { digestTitle, INDICATORS_HEADING, NEW_SINCE_HEADING, POINTS_HEADING } from '../../adapters/shared/digest-card.js';
import { localDate } from '../../src/digest/schedule.js';
import type { Digest } from '../../src/digest/types.js';
import { fieldsOf, option, startDigestHarness, text, unquote, type DigestHarness } from './digest-harness.js';
import { messageBodies } from './helpers.js';
import { allQuotes, expectAttributed, NEW_DOC, NEW_DOC_ID } from '../digest/fixtures/new-document.js';

const EPHEMERAL = 64;
const LONDON = '510000000000000001';
const NEW_YORK = '510000000000000002';
const INVALID = '510000000000000003';


let h: DigestHarness;
beforeAll(async () => {
  h = await startDigestHarness('2026-03-09T12:00:00Z');
}, 180_000);
afterAll(async () => h?.stop());


/** The posted message is `expected`, rendered: every quote verbatim from its corpus file, labelled with outlet, date and section. */
function expectDigestMessage(body: any, expected: Digest): void {
  expect(body.allowed_mentions).toEqual({ parse: [] });
  expect(body.embeds[0].title).toBe(digestTitle(expected.date));
  const quotes = allQuotes(expected);
  expect(quotes.length).toBeGreaterThan(0);
  const fields = fieldsOf(body);
  expect(fields.map((f) => unquote(f.value))).toEqual(quotes.map((q) => q.text));
  quotes.forEach((q, i) => {
    expect(h.documentText(q.document).slice(q.start, q.end)).toBe(q.text);
    expectAttributed(q, h.documentText(q.document), expected.titles[q.document], fields[i].name);
  });
}

describe('subscribe by command, then the clock decides', () => {
  test('/digest subscribe stores the channel and says when the first digest comes', async () => {
    const c = h.command('digest', 'subscribe', [text('time', '8:00'), text('timezone', 'europe/london')], LONDON);
    const done = await c.done;
    expect(done.ok).toBe(true);
    const [reply] = messageBodies(c.requests());
    expect(reply.flags ?? 0).toBe(0); // the channel sees it was subscribed
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(reply.content).toContain('**08:00 Europe/London**, every day');
    // 08:00 on 10 March 2026 in London (GMT) is 08:00 UTC.
    expect(reply.content).toContain(`<t:${Date.parse('2026-03-10T08:00:00Z') / 1000}:F>`);
    expect(reply.content).not.toContain('can’t post here');
    expect(await h.scheduler.subscriptions.get('discord', LONDON)).toMatchObject({ time: '08:00', timeZone: 'Europe/London', weekdaysOnly: false, createdBy: '200000000000000002' });
  });

  test('one minute before: nothing; past the time: exactly one digest, every quote verbatim from the corpus', async () => {
    h.clock.set('2026-03-10T07:59:00Z');
    await h.scheduler.tick();
    expect(h.channelPosts(LONDON)).toHaveLength(0);

    h.clock.set('2026-03-10T08:00:20Z');
    const report = await h.scheduler.tick();
    expect(report.deliveries.map((d) => [d.channelId, d.outcome.status])).toEqual([[LONDON, 'sent']]);
    const posts = h.channelPosts(LONDON);
    expect(posts).toHaveLength(1);
    expect(posts[0].status).toBe(200);
    const body = posts[0].body;
    expect(body.nonce).toBe(digestNonce(LONDON, '2026-03-10'));
    expect(body.enforce_nonce).toBe(true);
    expect(body.embeds[0].title).toContain('Tuesday 10 March 2026');

    // Deterministic for a date and corpus: the digest the scheduler posted is this one.
    const expected = await h.briefing.digest({ date: '2026-03-10' });
    expectDigestMessage(body, expected);
    const titles = body.embeds.map((e: any) => e.title);
    expect(titles).toContain(POINTS_HEADING);
    expect(titles).toContain(INDICATORS_HEADING);
    expect(titles).not.toContain(NEW_SINCE_HEADING); // a first digest has no "before"
    expect(await h.scheduler.sends.get({ platform: 'discord', channelId: LONDON, localDate: '2026-03-10' })).toMatchObject({ state: 'sent', messageId: report.deliveries[0].outcome.status === 'sent' ? report.deliveries[0].outcome.messageId : '' });
  });

  test('a second tick, later that day, and a restart of the whole bot post nothing more', async () => {
    await h.scheduler.tick();
    h.clock.set('2026-03-10T13:00:00Z');
    await h.scheduler.tick();
    await h.restart();
    await h.scheduler.tick();
    expect(h.channelPosts(LONDON)).toHaveLength(1);
  });

  test('/digest status shows the schedule, the next run and the post with a link to it', async () => {
    const c = h.command('digest', 'status', [], LONDON);
    await c.done;
    const [reply] = messageBodies(c.requests());
    expect(reply.flags).toBe(EPHEMERAL);
    const messageId = (await h.scheduler.sends.get({ platform: 'discord', channelId: LONDON, localDate: '2026-03-10' }))!.messageId!;
    expect(reply.content).toContain('**08:00 Europe/London**, every day');
    expect(reply.content).toContain(`<t:${Date.parse('2026-03-11T08:00:00Z') / 1000}:F>`);
    expect(reply.content).toContain('last digest 2026-03-10');
    expect(reply.content).toContain(`• 2026-03-10 — posted (scheduled) https://discord.com/channels/300000000000000003/${LONDON}/${messageId}`);
    expect(reply.allowed_mentions).toEqual({ parse: [] }); // "Subscribed by <@…>" pings nobody
  });
});

describe('/digest now', () => {
  test('twice in one day posts once, and the scheduled time that evening adds nothing', async () => {
    h.clock.set('2026-03-10T14:00:00Z'); // 10:00 in New York (EDT since 8 March)
    const sub = h.command('digest', 'subscribe', [text('time', '18:00'), text('timezone', 'America/New_York'), option('weekdays_only', 5, true)], NEW_YORK);
    await sub.done;
    expect(messageBodies(sub.requests())[0].content).toContain('**18:00 America/New_York**, Monday to Friday');

    const first = h.command('digest', 'now', [], NEW_YORK);
    await first.done;
    const [a] = messageBodies(first.requests());
    expect(a.flags).toBe(EPHEMERAL);
    expect(a.content).toMatch(/^Posted today’s briefing \(2026-03-10\) in this channel\. https:\/\/discord\.com\/channels\//);

    const second = h.command('digest', 'now', [], NEW_YORK);
    await second.done;
    const [b] = messageBodies(second.requests());
    expect(b.flags).toBe(EPHEMERAL);
    expect(b.content).toContain('was already posted here; a channel gets one a day');

    h.clock.set('2026-03-10T22:00:30Z'); // 18:00:30 EDT
    await h.scheduler.tick();
    const posts = h.channelPosts(NEW_YORK);
    expect(posts).toHaveLength(1);
    expectDigestMessage(posts[0].body, await h.briefing.digest({ date: '2026-03-10' }));
  });

  test('in a channel that is not subscribed: a clear private answer, nothing posted', async () => {
    const c = h.command('digest', 'now', [], INVALID);
    await c.done;
    const [reply] = messageBodies(c.requests());
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/^This channel is not subscribed/);
    expect(h.channelPosts(INVALID)).toHaveLength(0);
  });
});

describe('bad input', () => {
  test.each([
    ['time', '25:00', 'Time must be HH:MM on a 24-hour clock'],
    ['time', '8am', 'Time must be HH:MM on a 24-hour clock'],
    ['timezone', 'Mars/Olympus_Mons', 'is not a time zone I know'],
    ['timezone', '+03:30', 'is not a time zone I know'],
  ])('%s:%s is refused privately and nothing is stored', async (name, value, message) => {
    const c = h.command('digest', 'subscribe', [text(name, value)], INVALID);
    await c.done;
    const [reply] = messageBodies(c.requests());
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toContain(message);
    expect(reply.content).toContain('Nothing was changed.');
    expect(await h.scheduler.subscriptions.get('discord', INVALID)).toBeUndefined();
  });

  test('a bad zone for a subscribed channel leaves its subscription as it was', async () => {
    const before = await h.scheduler.subscriptions.get('discord', LONDON);
    const c = h.command('digest', 'subscribe', [text('time', '09:00'), text('timezone', 'London')], LONDON);
    await c.done;
    expect(messageBodies(c.requests())[0].flags).toBe(EPHEMERAL);
    expect(await h.scheduler.subscriptions.get('discord', LONDON)).toEqual(before);
  });

  test('defaults come from DIGEST_TIME / DIGEST_TZ; a bot that cannot post there says so', async () => {
    h.appPermissions = 0n;
    try {
      const c = h.command('digest', 'subscribe', [], INVALID);
      await c.done;
      const [reply] = messageBodies(c.requests());
      expect(reply.content).toContain('**07:30 Europe/London**');
      expect(reply.content).toContain('I can’t post here yet: please give me View Channel, Send Messages, Embed Links in this channel.');
      expect(await h.scheduler.subscriptions.get('discord', INVALID)).toMatchObject({ time: '07:30', timeZone: 'Europe/London' });
    } finally {
      h.appPermissions = (await import('./digest-harness.js')).POST_PERMISSIONS;
      await h.scheduler.subscriptions.unsubscribe('discord', INVALID);
    }
  });

  test('timezone autocomplete suggests IANA zones from what is typed', async () => {
    const callback = await h.autocomplete('digest', 'subscribe', text('timezone', 'london'), LONDON);
    expect(callback.body.type).toBe(8);
    expect(callback.body.data.choices[0]).toEqual({ name: 'Europe/London', value: 'Europe/London' });
    const york = await h.autocomplete('digest', 'subscribe', text('timezone', 'new_y'), LONDON);
    expect(york.body.data.choices.map((c: any) => c.value)).toContain('America/New_York');
    expect(york.body.data.choices.length).toBeLessThanOrEqual(25);
  });
});

describe('the corpus changes', () => {
  test('a document dropped into the corpus leads the next day’s digest, quoted from the new file', async () => {
    writeFileSync(path.join(h.corpusDir, NEW_DOC_ID), NEW_DOC);
    await h.restart(); // the bot re-opens the Briefing on the changed corpus
    h.clock.set('2026-03-11T08:00:10Z');
    await h.scheduler.tick();
    const posts = h.channelPosts(LONDON);
    expect(posts).toHaveLength(2);
    const body = posts[1].body;
    expect(body.embeds[0].title).toContain('Wednesday 11 March 2026');
    const fresh = body.embeds[1];
    expect(fresh.title).toBe(NEW_SINCE_HEADING);
    // The new document's outlet and date, written as under every quote.
    expect(fresh.description).toContain('**Second Round in Muscat: Technical Teams Take Over** — briefbot test fixture, 10 Mar 2026');

    const sub = (await h.scheduler.subscriptions.get('discord', LONDON))!;
    expect(sub.lastDigestDate).toBe('2026-03-11');
    // Composed against the hashes of the channel's previous digest: the corpus before the new file.
    const before = Object.fromEntries(Object.entries(sub.lastHashes!).filter(([id]) => id !== NEW_DOC_ID));
    const expected = await h.briefing.digest({ date: '2026-03-11', previous: before });
    expect(expected.newSince.map((n) => n.document.id)).toEqual([NEW_DOC_ID]);
    expectDigestMessage(body, expected);
    for (const q of expected.newSince[0].quotes) expect(NEW_DOC.includes(q.text)).toBe(true);
    expect(fresh.fields.length).toBe(expected.newSince[0].quotes.length);

    // The day after, nothing is new any more.
    h.clock.set('2026-03-12T08:00:10Z');
    await h.scheduler.tick();
    const third = h.channelPosts(LONDON)[2].body;
    expect(third.embeds.map((e: any) => e.title)).not.toContain(NEW_SINCE_HEADING);
  });

  test('/brief without a topic shows today’s digest for the channel', async () => {
    const dateBefore = localDate(new Date(), 'Europe/London');
    const c = h.command('brief', undefined, [], LONDON);
    await c.done;
    const bodies = messageBodies(c.requests());
    expect(bodies).toHaveLength(1);
    // The bot dates it by the real clock in the channel's zone; a run across midnight may see either day.
    const date = [dateBefore, localDate(new Date(), 'Europe/London')].find((d) => bodies[0].embeds[0].title === digestTitle(d));
    expect(date).toBeDefined();
    const sub = (await h.scheduler.subscriptions.get('discord', LONDON))!;
    expectDigestMessage(bodies[0], await h.briefing.digest({ date: date!, previous: sub.lastHashes }));
    expect(bodies[0].flags ?? 0).toBe(0);
  });
});

describe('stopping', () => {
  test('/digest unsubscribe stops the posts', async () => {
    const c = h.command('digest', 'unsubscribe', [], NEW_YORK);
    await c.done;
    const [reply] = messageBodies(c.requests());
    expect(reply.flags ?? 0).toBe(0);
    expect(reply.content).toMatch(/^This channel will no longer get the daily briefing/);
    expect(await h.scheduler.subscriptions.get('discord', NEW_YORK)).toBeUndefined();
    h.clock.set('2026-03-12T22:00:30Z'); // Thursday 18:00:30 in New York
    await h.scheduler.tick();
    expect(h.channelPosts(NEW_YORK)).toHaveLength(1);

    const again = h.command('digest', 'unsubscribe', [], NEW_YORK);
    await again.done;
    expect(messageBodies(again.requests())[0]).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/not subscribed/) });
  });

  test('a deleted channel is unsubscribed, with a log line, and never tried again', async () => {
    h.fake.removeChannel(LONDON);
    h.clock.set('2026-03-13T08:00:10Z');
    const report = await h.scheduler.tick();
    expect(report.deliveries.map((d) => d.outcome.status)).toEqual(['gone']);
    const attempts = h.channelPosts(LONDON);
    expect(attempts.at(-1)!.status).toBe(404);
    expect(attempts.filter((r) => r.status === 200)).toHaveLength(3);
    expect(await h.scheduler.subscriptions.get('discord', LONDON)).toBeUndefined();
    expect(await h.scheduler.sends.get({ platform: 'discord', channelId: LONDON, localDate: '2026-03-13' })).toMatchObject({ state: 'failed', reason: expect.stringContaining('Unknown Channel') });
    expect(h.log.lines.some((l) => l.msg === 'channel no longer exists: unsubscribed it from the daily digest' && l.channel === LONDON)).toBe(true);

    h.clock.set('2026-03-14T08:00:10Z');
    await h.scheduler.tick();
    expect(h.channelPosts(LONDON)).toHaveLength(attempts.length);
  });
});
