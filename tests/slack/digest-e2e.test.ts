// Daily digests in Slack, end to end: signed `/brief` commands through real Bolt and the loopback
// fake Slack, the real Briefing on a temp copy of corpus/, the scheduler on a fake clock. The tests
// run in order on one timeline (9 to 14 March 2026), each on its own channel unless it says otherwise.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { digestTitle, INDICATORS_HEADING, NEW_SINCE_HEADING, POINTS_HEADING } from '../../adapters/shared/digest-card.js';
import { renderDigest } from '../../adapters/slack/render.js';
import { escapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { localDate } from '../../src/digest/schedule.js';
import type { Digest } from '../../src/digest/types.js';
import { startSlackDigestHarness, unescapeQuote, type SlackDigestHarness } from './digest-harness.js';
import type { WebApiCall } from './fake-slack.js';
import { allQuotes, expectAttributed, NEW_DOC, NEW_DOC_ID } from '../digest/fixtures/new-document.js';

const LONDON = 'C0LONDON';
const NEW_YORK = 'C0NEWYORK';
const INVALID = 'C0INVALID';
const OUTSIDE = 'C0NOTMEMBER';


let h: SlackDigestHarness;
beforeAll(async () => {
  h = await startSlackDigestHarness('2026-03-09T12:00:00Z');
}, 180_000);
afterAll(async () => h?.stop());


const sectionTexts = (blocks: any[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);
const allText = (blocks: any[]) => JSON.stringify(blocks);
/** The lines of a quote as blockQuote lays them out: each trimmed, blank ones dropped. */
const asShown = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');

/**
 * The posted message is `expected` rendered, and what a reader sees holds: every quote verbatim
 * from its corpus file (after undoing Slack's escaping), with its outlet, date and section in the
 * context line under it, and nothing in it that could ping anyone.
 */
function expectDigestMessage(call: WebApiCall, expected: Digest): void {
  const blocks = call.args.blocks as any[];
  expect(blocks).toEqual(renderDigest(expected).blocks);
  expect(call.args.text).toBe(renderDigest(expected).text);
  expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: digestTitle(expected.date), emoji: false } });
  expect(blocks.length).toBeLessThan(50);
  const quotes = allQuotes(expected);
  expect(quotes.length).toBeGreaterThan(0);
  const quoteBlocks = blocks
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.type === 'section' && /(^|\n)> /.test(b.text.text));
  expect(quoteBlocks).toHaveLength(quotes.length);
  quotes.forEach((q, n) => {
    expect(h.documentText(q.document).slice(q.start, q.end)).toBe(q.text);
    const { b, i } = quoteBlocks[n];
    expect(b.text.text.length).toBeLessThan(3000);
    const shown = (b.text.text as string)
      .split('\n')
      .filter((l) => l.startsWith('> '))
      .join('\n');
    expect(unescapeQuote(shown)).toBe(asShown(q.text));
    const source = blocks[i + 1];
    expect(source.type).toBe('context');
    expectAttributed(q, h.documentText(q.document), expected.titles[q.document], unescapeQuote(source.elements[0].text));
  });
  expect(allText(blocks)).not.toMatch(/<[!@#]/);
}

describe('subscribe by command, then the clock decides', () => {
  test('/brief subscribe stores the channel and announces it there, with the first digest’s time', async () => {
    const r = await h.brief('subscribe 8:00 europe/london', LONDON, 'post');
    const [announcement] = r.posts();
    expect(announcement.args.text).toContain('This channel gets the daily briefing at *08:00 Europe/London*, every day.');
    // 08:00 on 10 March 2026 in London (GMT) is 08:00 UTC; Slack shows it in each reader's zone too.
    expect(announcement.args.text).toContain('Next one: Tuesday 10 March 2026 at 08:00 (Europe/London)');
    expect(announcement.args.text).toContain(`<!date^${Date.parse('2026-03-10T08:00:00Z') / 1000}^`);
    expect(r.responses()).toHaveLength(0);
    expect(await h.scheduler.subscriptions.get('slack', LONDON)).toMatchObject({ time: '08:00', timeZone: 'Europe/London', weekdaysOnly: false, createdBy: 'U0ASKER' });
  });

  test('one minute before: nothing; past the time: exactly one digest, every quote verbatim from the corpus', async () => {
    h.clock.set('2026-03-10T07:59:00Z');
    await h.scheduler.tick();
    expect(h.digestPosts(LONDON)).toHaveLength(0);

    h.clock.set('2026-03-10T08:00:20Z');
    const report = await h.scheduler.tick();
    expect(report.deliveries.map((d) => [d.channelId, d.outcome.status])).toEqual([[LONDON, 'sent']]);
    const posts = h.digestPosts(LONDON);
    expect(posts).toHaveLength(1);
    expect(posts[0].token).toBe(h.slackConfig.botToken);
    expect(posts[0].args.metadata).toEqual({ event_type: 'briefbot_digest', event_payload: { date: '2026-03-10' } });
    expect(posts[0].args.blocks[0].text.text).toContain('Tuesday 10 March 2026');

    // Deterministic for a date and corpus: the digest the scheduler posted is this one.
    const expected = await h.briefing.digest({ date: '2026-03-10' });
    expectDigestMessage(posts[0], expected);
    const sections = sectionTexts(posts[0].args.blocks);
    expect(sections).toContain(`*${POINTS_HEADING}*`);
    expect(sections).toContain(`*${INDICATORS_HEADING}*`);
    expect(sections).not.toContain(`*${NEW_SINCE_HEADING}*`); // a first digest has no "before"
    const ts = (posts[0].response as any).ts;
    expect(report.deliveries[0].outcome).toMatchObject({ status: 'sent', messageId: ts });
    expect(await h.scheduler.sends.get({ platform: 'slack', channelId: LONDON, localDate: '2026-03-10' })).toMatchObject({ state: 'sent', messageId: ts });
  });

  test('a second tick, later that day, and a restart of the whole bot post nothing more', async () => {
    await h.scheduler.tick();
    h.clock.set('2026-03-10T13:00:00Z');
    await h.scheduler.tick();
    await h.restart();
    await h.scheduler.tick();
    expect(h.digestPosts(LONDON)).toHaveLength(1);
  });

  test('/brief status shows the schedule, the next run and the post with a link to it, only to the asker', async () => {
    const r = await h.brief('status', LONDON, 'reply');
    const [reply] = r.responses();
    expect(reply.body.response_type).toBe('ephemeral');
    expect(r.posts()).toHaveLength(0);
    const text = sectionTexts(reply.body.blocks).join('\n');
    const ts = (await h.scheduler.sends.get({ platform: 'slack', channelId: LONDON, localDate: '2026-03-10' }))!.messageId!;
    expect(text).toContain('This channel gets the daily briefing at *08:00 Europe/London*, every day.');
    expect(text).toContain('Next one: Wednesday 11 March 2026 at 08:00 (Europe/London)');
    expect(text).toContain('Subscribed by <@U0ASKER>; last digest 2026-03-10.');
    expect(text).toContain(`• 2026-03-10 — posted (scheduled) <https://fake.slack.com/archives/${LONDON}/p${ts.replace('.', '')}|view>`);
  });
});

describe('weekdays in another zone', () => {
  test('18:00 America/New_York on weekdays: Friday’s digest goes out at 18:00 EDT, Saturday gets none', async () => {
    h.clock.set('2026-03-10T14:00:00Z');
    const r = await h.brief('subscribe weekdays America/New_York 18:00', NEW_YORK, 'post');
    expect(r.posts()[0].args.text).toContain('*18:00 America/New_York*, Monday to Friday');
    // New York is on EDT since 8 March: 18:00 is 22:00 UTC.
    expect(r.posts()[0].args.text).toContain('Next one: Tuesday 10 March 2026 at 18:00 (America/New_York)');

    h.clock.set('2026-03-10T21:59:00Z');
    await h.scheduler.tick();
    expect(h.digestPosts(NEW_YORK)).toHaveLength(0);
    h.clock.set('2026-03-10T22:00:30Z');
    await h.scheduler.tick();
    expect(h.digestPosts(NEW_YORK)).toHaveLength(1);
    expectDigestMessage(h.digestPosts(NEW_YORK)[0], await h.briefing.digest({ date: '2026-03-10' }));
  });
});

describe('bad input', () => {
  test.each([
    ['subscribe 25:00', 'Time must be HH:MM on a 24-hour clock'],
    ['subscribe 8am Europe/London', 'Time must be HH:MM on a 24-hour clock'],
    ['subscribe 08:00 Mars/Olympus_Mons', 'is not a time zone I know'],
    ['subscribe +03:30', 'is not a time zone I know'],
    ['subscribe 08:00 London', 'Did you mean Europe/London?'],
    ['subscribe 08:00 09:00', 'Give one time'],
    ['subscribe 08:00 <!channel>', 'is not a time zone I know'],
  ])('%j is refused privately, nothing is stored or posted', async (text, message) => {
    const r = await h.brief(text, INVALID, 'reply');
    const [reply] = r.responses();
    expect(reply.body.response_type).toBe('ephemeral');
    const shown = sectionTexts(reply.body.blocks).join('\n');
    expect(shown).toContain(escapeMrkdwn(message));
    expect(shown).toContain('Nothing was changed.');
    expect(shown).toContain('/brief subscribe [HH:MM] [Area/City] [weekdays]');
    expect(shown).not.toMatch(/<!channel>/);
    expect(r.posts()).toHaveLength(0);
    expect(await h.scheduler.subscriptions.get('slack', INVALID)).toBeUndefined();
  });

  test('a bad zone for a subscribed channel leaves its subscription exactly as it was', async () => {
    const before = await h.scheduler.subscriptions.get('slack', LONDON);
    const r = await h.brief('subscribe 09:00 Europe/Londn', LONDON, 'reply');
    expect(r.responses()[0].body.response_type).toBe('ephemeral');
    expect(await h.scheduler.subscriptions.get('slack', LONDON)).toEqual(before);
  });

  test('status, unsubscribe and help followed by more words are questions for the engine, not commands', async () => {
    const before = await h.scheduler.subscriptions.get('slack', LONDON);
    for (const question of ['status of the talks?', 'unsubscribe me from sanctions on Iran', 'help me understand the enrichment dispute']) {
      const r = await h.brief(question, LONDON, 'reply');
      expect(allText(r.responses()[0].body.blocks)).toContain(`Question: ${question}`);
      expect(r.posts()).toHaveLength(0);
    }
    expect(await h.scheduler.subscriptions.get('slack', LONDON)).toEqual(before);
  });

  test('/brief help lists the digest commands beside the rest', async () => {
    const r = await h.brief('help', INVALID, 'reply');
    const text = sectionTexts(r.responses()[0].body.blocks).join('\n');
    expect(text).toContain('• `/brief`: today’s briefing digest, shown only to you');
    expect(text).toContain('• `/brief subscribe [HH:MM] [Area/City] [weekdays]`: post the daily briefing in this channel');
    expect(text).toContain('• `/brief unsubscribe`: stop the daily briefing in this channel');
    expect(text).toContain('• `/brief status`: this channel’s daily briefing: schedule, next one, recent posts');
  });

  test('in a channel the bot is not a member of: not subscribed, and told how to fix it', async () => {
    h.fake.failNext('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    const r = await h.brief('subscribe 08:00 Europe/London', OUTSIDE, 'reply');
    const shown = sectionTexts(r.responses()[0].body.blocks).join('\n');
    expect(r.responses()[0].body.response_type).toBe('ephemeral');
    expect(shown).toContain('I can’t post in this channel (not_in_channel), so it is *not* subscribed.');
    expect(shown).toContain('/invite @briefbot');
    expect(await h.scheduler.subscriptions.get('slack', OUTSIDE)).toBeUndefined();
  });

  test('defaults come from DIGEST_TIME / DIGEST_TZ', async () => {
    const r = await h.brief('subscribe', INVALID, 'post');
    expect(r.posts()[0].args.text).toContain('*07:30 Europe/London*, every day');
    expect(await h.scheduler.subscriptions.get('slack', INVALID)).toMatchObject({ time: '07:30', timeZone: 'Europe/London', weekdaysOnly: false });
    await h.scheduler.subscriptions.unsubscribe('slack', INVALID);
  });
});

describe('the corpus changes', () => {
  test('a document dropped into the corpus leads the next day’s digest, quoted from the new file', async () => {
    writeFileSync(path.join(h.corpusDir, NEW_DOC_ID), NEW_DOC);
    await h.restart(); // the bot re-opens the Briefing on the changed corpus
    h.clock.set('2026-03-11T08:00:10Z');
    await h.scheduler.tick();
    const posts = h.digestPosts(LONDON);
    expect(posts).toHaveLength(2);
    const call = posts[1];
    expect(call.args.blocks[0].text.text).toContain('Wednesday 11 March 2026');
    const sections = sectionTexts(call.args.blocks);
    // "New since" comes right after the title, before the key points.
    expect(sections[0]).toBe(`*${NEW_SINCE_HEADING}*`);
    // The new document's outlet and date, written as under every quote.
    expect(sections[1]).toMatch(/^• \*Second Round in Muscat: Technical Teams Take Over\* — briefbot test fixture, 10 Mar 2026\n> /);
    expect(sections.indexOf(`*${NEW_SINCE_HEADING}*`)).toBeLessThan(sections.indexOf(`*${POINTS_HEADING}*`));

    const sub = (await h.scheduler.subscriptions.get('slack', LONDON))!;
    expect(sub.lastDigestDate).toBe('2026-03-11');
    // Composed against the hashes of the channel's previous digest: the corpus before the new file.
    const before = Object.fromEntries(Object.entries(sub.lastHashes!).filter(([id]) => id !== NEW_DOC_ID));
    const expected = await h.briefing.digest({ date: '2026-03-11', previous: before });
    expect(expected.newSince.map((n) => n.document.id)).toEqual([NEW_DOC_ID]);
    expect(expected.newSince[0].quotes.length).toBeGreaterThan(0);
    expectDigestMessage(call, expected);
    for (const q of expected.newSince[0].quotes) expect(NEW_DOC.includes(q.text)).toBe(true);

    // The day after, nothing is new any more.
    h.clock.set('2026-03-12T08:00:10Z');
    await h.scheduler.tick();
    expect(sectionTexts(h.digestPosts(LONDON)[2].args.blocks)).not.toContain(`*${NEW_SINCE_HEADING}*`);
  });

  test('/brief alone shows the asker today’s digest for the channel, privately', async () => {
    const dateBefore = localDate(new Date(), 'Europe/London');
    const r = await h.brief('', LONDON, 'reply');
    const [reply] = r.responses();
    expect(reply.body.response_type).toBe('ephemeral');
    expect(r.posts()).toHaveLength(0);
    // The bot dates it by the real clock in the channel's zone; a run across midnight may see either day.
    const date = [dateBefore, localDate(new Date(), 'Europe/London')].find((d) => reply.body.blocks[0].text.text === digestTitle(d));
    expect(date).toBeDefined();
    const sub = (await h.scheduler.subscriptions.get('slack', LONDON))!;
    const expected = await h.briefing.digest({ date: date!, previous: sub.lastHashes });
    expect(reply.body.blocks.slice(0, -1)).toEqual(renderDigest(expected).blocks.slice(0, -1));
    expect(allText(reply.body.blocks.at(-1))).toContain('Only you can see this.');
  });
});

describe('stopping', () => {
  test('/brief unsubscribe stops the posts, and says so in the channel', async () => {
    const r = await h.brief('unsubscribe', NEW_YORK, 'post');
    expect(r.posts()[0].args.text).toMatch(/^This channel will no longer get the daily briefing/);
    expect(await h.scheduler.subscriptions.get('slack', NEW_YORK)).toBeUndefined();
    h.clock.set('2026-03-12T22:00:30Z'); // Thursday 18:00:30 in New York
    await h.scheduler.tick();
    expect(h.digestPosts(NEW_YORK)).toHaveLength(1);

    const again = await h.brief('unsubscribe', NEW_YORK, 'reply');
    expect(again.responses()[0].body.response_type).toBe('ephemeral');
    expect(sectionTexts(again.responses()[0].body.blocks)[0]).toMatch(/not subscribed/);
  });

  test('a deleted channel is unsubscribed, with a log line, and never tried again', async () => {
    h.fake.failNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    h.clock.set('2026-03-13T08:00:10Z');
    const report = await h.scheduler.tick();
    expect(report.deliveries.map((d) => d.outcome.status)).toEqual(['gone']);
    const attempts = h.digestPosts(LONDON);
    expect(attempts.map((c) => (c.response as any).ok)).toEqual([true, true, true, false]);
    expect(await h.scheduler.subscriptions.get('slack', LONDON)).toBeUndefined();
    expect(await h.scheduler.sends.get({ platform: 'slack', channelId: LONDON, localDate: '2026-03-13' })).toMatchObject({ state: 'failed', reason: expect.stringContaining('channel_not_found') });
    expect(h.log.lines.some((l) => l.msg === 'channel no longer exists: unsubscribed it from the daily digest' && l.channel === LONDON)).toBe(true);

    h.clock.set('2026-03-14T08:00:10Z');
    await h.scheduler.tick();
    expect(h.digestPosts(LONDON)).toHaveLength(attempts.length);

    const status = await h.brief('status', LONDON, 'reply');
    const text = sectionTexts(status.responses()[0].body.blocks).join('\n');
    expect(text).toContain('This channel is not subscribed to the daily briefing.');
    expect(text).toContain('• 2026-03-13 — failed (scheduled): channel gone');
  });
});
