// Only requests Slack signed get through, and each event is answered once, across retries and restarts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BriefingService } from '../../src/service.js';
import { e2eBriefing, OPEN_TIMEOUT_MS } from './briefing.js';
import { eventCallback, FakeSlack, slashCommandFields } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

const QUESTION = 'Who hosted the talks in Oman?';
let briefing: BriefingService;
let h: Harness;

beforeAll(async () => {
  briefing = await e2eBriefing();
  h = await startHarness(briefing);
}, OPEN_TIMEOUT_MS);
afterAll(async () => {
  await h?.stop();
});

const mentionIn = (channel: string, eventId?: string) =>
  eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${h.fake.identity.botUserId}> ${QUESTION}`, ts: h.fake.nextTs(), channel }, { eventId });

describe('signed requests', () => {
  test.each([
    ['a wrong signature', { secret: 'not-the-signing-secret' }],
    ['no signature', { unsigned: true }],
    ['a timestamp older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('%s gets 401 and no answer', async (_name, options) => {
    const channel = `C0SEC${Math.random().toString(36).slice(2, 8)}`;
    const res = await h.requester.event(mentionIn(channel), options);
    expect(res.status).toBe(401);
    const cmd = await h.requester.command(slashCommandFields({ text: QUESTION, channel_id: channel, response_url: h.fake.responseUrl() }), options);
    expect(cmd.status).toBe(401);
    // Refused before Bolt sees the request (adapters/slack/http-server.ts), so nothing can follow a 401.
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel)).toEqual([]);
    expect(h.fake.responses.filter((r) => JSON.stringify(r.body).includes(channel))).toEqual([]);
    expect(h.log.lines.some((l) => /^slack: request refused/.test(l.msg))).toBe(true);
    // The same request signed properly is answered: the 401 was about the signature alone.
    expect((await h.requester.event(mentionIn(channel))).status).toBe(200);
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === channel);
  });
});

describe('retries', () => {
  test('the same event delivered 3 times with retry headers is answered once', async () => {
    const event = mentionIn('C0RETRY', 'EvRETRY3');
    const responses = [await h.requester.event(event), await h.requester.event(event, { retryNum: 1 }), await h.requester.event(event, { retryNum: 2, retryReason: 'http_error' })];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.log.waitFor((l) => l.msg === 'slack: duplicate event ignored' && l.eventId === 'EvRETRY3', 2);
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0RETRY');
    await h.log.waitFor((l) => l.msg === 'slack: answered' && l.eventId === 'EvRETRY3');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0RETRY')).toHaveLength(1);
  });

  test('a retry arriving after a restart is still answered only once', async () => {
    const fake = await FakeSlack.start();
    const first = await startHarness(briefing, { fake });
    const event = eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${fake.identity.botUserId}> ${QUESTION}`, ts: fake.nextTs(), channel: 'C0RESTART' }, { eventId: 'EvRESTART' });
    await first.requester.event(event);
    await first.log.waitFor((l) => l.msg === 'slack: answered' && l.eventId === 'EvRESTART');
    await first.stop();

    const second = await startHarness(briefing, { fake, dataDir: first.dataDir });
    try {
      expect((await second.requester.event(event, { retryNum: 3 })).status).toBe(200);
      await second.log.waitFor((l) => l.msg === 'slack: duplicate event ignored' && l.eventId === 'EvRESTART');
      expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0RESTART')).toHaveLength(1);
    } finally {
      await second.stop();
      await fake.close();
    }
  });

  test('one message seen as both app_mention and message.im is answered once', async () => {
    const ts = h.fake.nextTs();
    const text = `<@${h.fake.identity.botUserId}> ${QUESTION}`;
    await h.requester.event(eventCallback({ type: 'app_mention', user: 'U0ASKER', text, ts, channel: 'D0TWICE' }));
    await h.requester.event(eventCallback({ type: 'message', channel_type: 'im', user: 'U0ASKER', text, ts, channel: 'D0TWICE' }));
    await h.log.waitFor((l) => l.msg === 'slack: message already answered via another event' && l.channel === 'D0TWICE');
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0TWICE');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'D0TWICE')).toHaveLength(1);
  });
});
