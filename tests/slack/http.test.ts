// HTTP mode end to end: signed Events API requests, commands and clicks into the real Bolt app;
// everything it sends lands in the loopback fake Slack.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACTION_FEEDBACK_UP, ACTION_SHARE } from '../../adapters/slack/render.js';
import { quoteAttribution } from '../../adapters/shared/card.js';
import { escapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import type { BriefingService } from '../../src/service.js';
import { e2eBriefing, recording, type Recorded, OPEN_TIMEOUT_MS } from './briefing.js';
import { buttonClick, eventCallback, slashCommandFields, type WebApiCall } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

const QUESTION = 'Who hosted the talks in Oman?';

let engine: BriefingService;
let briefing: Recorded;
let h: Harness;

beforeAll(async () => {
  engine = await e2eBriefing();
  briefing = recording(engine);
  h = await startHarness(briefing);
}, OPEN_TIMEOUT_MS);
afterAll(async () => {
  await h?.stop();
});

const blocksText = (call: WebApiCall | { body: Record<string, any> }) => JSON.stringify('args' in call ? call.args.blocks : call.body.blocks);

function mention(channel: string, text: string, extra: Record<string, unknown> = {}) {
  const ts = h.fake.nextTs();
  h.fake.addMessage({ channel, ts, user: 'U0ASKER', text, ...(extra.thread_ts ? { thread_ts: String(extra.thread_ts) } : {}) });
  return { ts, body: eventCallback({ type: 'app_mention', user: 'U0ASKER', text, ts, channel, ...extra }) };
}

describe('mentions and DMs', () => {
  test('a mention is answered in a thread under it, with each quote and its outlet, date and section', async () => {
    const { ts, body } = mention('C0MENTION', `<@${h.fake.identity.botUserId}> ${QUESTION}`);
    const res = await h.requester.event(body);
    expect(res.status).toBe(200);
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0MENTION');
    expect(post.args.thread_ts).toBe(ts);
    const expected = await engine.ask(QUESTION);
    expect(expected.abstained).toBe(false);
    expect(expected.quotes.length).toBeGreaterThan(0);
    const sections = post.args.blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text.text);
    const contexts = post.args.blocks.filter((b: any) => b.type === 'context').map((b: any) => b.elements[0].text);
    for (const q of expected.quotes.slice(0, 8)) {
      expect(sections.some((s: string) => s.includes(escapeMrkdwn(q.text.split('\n')[0].trim())))).toBe(true);
      expect(contexts).toContain(`— ${escapeMrkdwn(quoteAttribution(q, expected.titles))}`);
      // The shipped analysis's outlet and date (its front matter), then the section.
      expect(q).toMatchObject({ source: 'Original analysis inspired by Muhanad Seloom from Al Jazeera', published: '2026-02-09' });
      expect(contexts).toContain(`— Original analysis inspired by Muhanad Seloom from Al Jazeera, 9 Feb 2026 · ${escapeMrkdwn(q.section)}`);
    }
    expect(post.args.text.length).toBeGreaterThan(0);
    expect(post.args.metadata).toMatchObject({ event_type: 'briefbot_answer', event_payload: { question: QUESTION } });
    expect(post.token).toBe('xoxb-0000-fake-bot-token');
  });

  test('a DM is answered in the DM', async () => {
    const ts = h.fake.nextTs();
    await h.requester.event(eventCallback({ type: 'message', channel_type: 'im', channel: 'D0DM', user: 'U0ASKER', text: QUESTION, ts }));
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0DM');
    expect(post.args.thread_ts).toBe(ts);
    expect(blocksText(post)).toContain('> ');
  });

  test('a follow-up mention in the thread is read with the earlier question', async () => {
    const first = mention('C0THREAD', `<@${h.fake.identity.botUserId}> ${QUESTION}`);
    await h.requester.event(first.body);
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0THREAD');
    const followUp = 'and what did Muscat offer?';
    const second = mention('C0THREAD', `<@${h.fake.identity.botUserId}> ${followUp}`, { thread_ts: first.ts });
    await h.requester.event(second.body);
    const reply = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0THREAD', 2);
    expect(reply.args.thread_ts).toBe(first.ts);
    const replies = h.fake.callsTo('conversations.replies').find((c) => c.args.channel === 'C0THREAD');
    expect(replies?.args).toMatchObject({ ts: first.ts, include_all_metadata: 'true' });
    const ask = briefing.asks.find((a) => a.question === followUp);
    expect(ask?.options?.history).toEqual([QUESTION]);
  });

  test('any message in a DM thread is read with the thread\'s earlier question', async () => {
    const first = h.fake.addMessage({ channel: 'D0DMTHREAD', user: 'U0ASKER', text: QUESTION });
    await h.requester.event(eventCallback({ type: 'message', channel_type: 'im', channel: 'D0DMTHREAD', user: 'U0ASKER', text: QUESTION, ts: first.ts }));
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0DMTHREAD');
    const followUp = 'what did Muscat offer then?';
    const reply = h.fake.addMessage({ channel: 'D0DMTHREAD', user: 'U0ASKER', text: followUp, thread_ts: first.ts });
    await h.requester.event(eventCallback({ type: 'message', channel_type: 'im', channel: 'D0DMTHREAD', user: 'U0ASKER', text: followUp, ts: reply.ts, thread_ts: first.ts }));
    const second = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D0DMTHREAD', 2);
    expect(second.args.thread_ts).toBe(first.ts);
    expect(briefing.asks.find((a) => a.question === followUp)?.options?.history).toEqual([QUESTION]);
  });

  test('messages from bots, our own included, are not answered', async () => {
    const own = eventCallback({ type: 'message', channel_type: 'im', channel: 'D0BOTS', user: h.fake.identity.botUserId, bot_id: h.fake.identity.botId, text: QUESTION, ts: h.fake.nextTs() });
    const other = eventCallback({ type: 'message', subtype: 'bot_message', channel_type: 'im', channel: 'D0BOTS', bot_id: 'B0OTHER', text: QUESTION, ts: h.fake.nextTs() });
    const otherMention = eventCallback({ type: 'app_mention', channel: 'C0BOTS', user: 'U0OTHERBOT', bot_id: 'B0OTHER', text: `<@${h.fake.identity.botUserId}> ${QUESTION}`, ts: h.fake.nextTs() });
    for (const e of [own, other, otherMention]) expect((await h.requester.event(e)).status).toBe(200);
    await h.log.waitFor((l) => l.msg === 'slack: message from a bot ignored' && [own, other, otherMention].some((e) => e.event_id === l.eventId), 3);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => ['D0BOTS', 'C0BOTS'].includes(c.args.channel))).toEqual([]);
  });
});

describe('/brief', () => {
  test('a question is answered only to the asker, and "Share in channel" posts it publicly', async () => {
    const responseUrl = h.fake.responseUrl();
    const res = await h.requester.command(slashCommandFields({ text: QUESTION, channel_id: 'C0SHARE', response_url: responseUrl }));
    expect(res).toEqual({ status: 200, body: '' });
    const id = responseUrl.split('/').pop()!;
    const ephemeral = await h.fake.waitForResponse((r) => r.id === id);
    expect(ephemeral.body.response_type).toBe('ephemeral');
    const actions = ephemeral.body.blocks.find((b: any) => b.type === 'actions');
    const share = actions.elements.find((e: any) => e.action_id === ACTION_SHARE);
    expect(share.text.text).toBe('Share in channel');
    expect(blocksText(ephemeral)).toContain(escapeMrkdwn(`Question: ${QUESTION}`));

    const clickUrl = h.fake.responseUrl();
    expect((await h.requester.action(buttonClick({ actionId: ACTION_SHARE, value: share.value, channelId: 'C0SHARE', responseUrl: clickUrl }))).status).toBe(200);
    const shared = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0SHARE');
    expect(shared.args.thread_ts).toBeUndefined();
    const sections = (blocks: any[]) => blocks.filter((b) => b.type === 'section');
    expect(sections(shared.args.blocks)).toEqual(sections(ephemeral.body.blocks));
    expect(JSON.stringify(shared.args.blocks)).not.toContain(ACTION_SHARE);
    const updated = await h.fake.waitForResponse((r) => r.id === clickUrl.split('/').pop());
    expect(updated.body.replace_original).toBe(true);
    expect(blocksText(updated)).toContain('Shared in the channel.');
  });

  test('/brief alone shows today’s digest, privately, a quote per covered topic', async () => {
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text: '', response_url: url }));
    const r = await h.fake.waitForResponse((x) => x.id === url.split('/').pop());
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(/^US–Iran nuclear talks: daily briefing, /) } });
    const text = blocksText(r);
    expect(text).toContain('Only you can see this.');
    const digest = await engine.digest();
    for (const point of digest.points) expect(text).toContain(escapeMrkdwn(point.topic.label));
  });

  test('/brief help lists what it can do and the topics', async () => {
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text: 'help', response_url: url }));
    const r = await h.fake.waitForResponse((x) => x.id === url.split('/').pop());
    const text = blocksText(r);
    expect(text).toContain('/brief QUESTION');
    expect(text).toContain('/brief help');
    for (const t of engine.topics()) expect(text).toContain(escapeMrkdwn(t.label));
  });
});

describe('feedback', () => {
  test('👍 on a posted answer is stored with question, answer and user, and the buttons are updated', async () => {
    const { body } = mention('C0VOTE', `<@${h.fake.identity.botUserId}> ${QUESTION}`);
    await h.requester.event(body);
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0VOTE');
    const posted = h.fake.messages.get('C0VOTE')!.find((m) => m.bot_id)!;
    const up = post.args.blocks.find((b: any) => b.type === 'actions').elements.find((e: any) => e.action_id === ACTION_FEEDBACK_UP);
    await h.requester.action(buttonClick({ actionId: ACTION_FEEDBACK_UP, value: up.value, userId: 'U0VOTER', channelId: 'C0VOTE', responseUrl: h.fake.responseUrl(), message: { ts: posted.ts, text: post.args.text, blocks: post.args.blocks } }));
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.channel === 'C0VOTE');
    expect(update.args.ts).toBe(posted.ts);
    const buttons = update.args.blocks.find((b: any) => b.type === 'actions').elements;
    expect(buttons[0].text.text).toBe('👍 1');
    expect(update.args.blocks.filter((b: any) => b.type !== 'actions')).toEqual(post.args.blocks.filter((b: any) => b.type !== 'actions'));
    const stored = (await h.stores.feedback.list()).find((f) => f.answerId === up.value);
    const expected = await engine.ask(QUESTION);
    // The answer as it was given, for review next to the vote: its quotes, verbatim.
    expect(stored).toMatchObject({ user: 'U0VOTER', vote: 'up', question: QUESTION, answer: expected.quotes.map((q) => `“${q.text}”`).join('\n\n'), platform: 'slack' });
  });

  test('a vote on a private /brief answer re-renders it through the response_url', async () => {
    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text: QUESTION, response_url: url }));
    const eph = await h.fake.waitForResponse((x) => x.id === url.split('/').pop());
    const up = eph.body.blocks.find((b: any) => b.type === 'actions').elements.find((e: any) => e.action_id === ACTION_FEEDBACK_UP);
    const clickUrl = h.fake.responseUrl();
    await h.requester.action(buttonClick({ actionId: ACTION_FEEDBACK_UP, value: up.value, responseUrl: clickUrl }));
    const r = await h.fake.waitForResponse((x) => x.id === clickUrl.split('/').pop());
    expect(r.body.replace_original).toBe(true);
    const buttons = r.body.blocks.find((b: any) => b.type === 'actions').elements.map((e: any) => e.text.text);
    expect(buttons).toEqual(['Share in channel', '👍 1', '👎']);
  });

  test('a forged answer id is refused politely and stores nothing', async () => {
    const before = (await h.stores.feedback.list()).length;
    const url = h.fake.responseUrl();
    await h.requester.action(buttonClick({ actionId: ACTION_FEEDBACK_UP, value: 'forged-id', responseUrl: url }));
    const r = await h.fake.waitForResponse((x) => x.id === url.split('/').pop());
    expect(r.body.text).toContain('no longer stored');
    expect((await h.stores.feedback.list()).length).toBe(before);
  });
});
