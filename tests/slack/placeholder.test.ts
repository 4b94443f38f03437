// Slow answers (LLM mode can take up to OPENAI_TIMEOUT_MS): past the placeholder deadline the user
// sees "Looking through the sources…", which then becomes the answer; fast answers show nothing
// extra. Real Bolt, real engine, the loopback fake Slack. Nothing waits on a clock: a "slow" answer
// is one the test holds back until it has seen the placeholder, with the deadline set to 0 ms.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { escapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { ACTION_SHARE } from '../../adapters/slack/render.js';
import { SORRY, WORKING_TEXT } from '../../adapters/slack/replies.js';
import type { BriefingService } from '../../src/service.js';
import type { AskOptions } from '../../src/types.js';
import { e2eBriefing, OPEN_TIMEOUT_MS } from './briefing.js';
import { eventCallback, FakeSlack, slashCommandFields, type WebApiCall } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

const QUESTION = 'Who hosted the talks in Oman?';

interface Hold {
  release(): void;
  fail(err: Error): void;
}

/** Wraps the engine so a test can hold an answer back (and release or fail it) question by question. */
class HeldBriefing {
  readonly asks: Array<{ question: string; options?: AskOptions }> = [];
  private readonly holds = new Map<string, Promise<void>>();
  readonly service: BriefingService;

  constructor(inner: BriefingService) {
    this.service = {
      ask: async (question, options) => {
        this.asks.push({ question, options });
        const held = this.holds.get(question);
        // One hold per ask: the same question asked again later is answered at once.
        this.holds.delete(question);
        if (held) await held;
        return inner.ask(question, options);
      },
      topics: () => inner.topics(),
      topic: (id) => inner.topic(id),
      sources: () => inner.sources(),
      documentHashes: () => inner.documentHashes(),
      digest: (o) => inner.digest(o),
    };
  }

  /** The next ask() of `question` waits until the test releases (or fails) it. */
  hold(question: string): Hold {
    let hold!: Hold;
    this.holds.set(question, new Promise<void>((resolve, reject) => (hold = { release: resolve, fail: reject })));
    return hold;
  }
}

let engine: BriefingService;
let held: HeldBriefing;
let fake: FakeSlack;
/** Deadline 0 ms: every held answer is late. */
let slow: Harness;
/** Deadline 60 s: every answer this engine gives is early. */
let fast: Harness;

beforeAll(async () => {
  engine = await e2eBriefing();
  held = new HeldBriefing(engine);
  fake = await FakeSlack.start();
  // Slack stores the metadata chat.update is given; the fake keeps only text and blocks.
  fake.handle('chat.update', (args) => {
    const message = fake.messages.get(String(args.channel))?.find((m) => m.ts === args.ts);
    if (!message) return { ok: false, error: 'message_not_found' };
    Object.assign(message, { text: args.text, blocks: args.blocks, ...(args.metadata ? { metadata: args.metadata } : {}) });
    return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
  });
  slow = await startHarness(held.service, { fake, placeholderAfterMs: 0 });
  fast = await startHarness(held.service, { fake, placeholderAfterMs: 60_000 });
}, OPEN_TIMEOUT_MS);

afterAll(async () => {
  await slow?.stop();
  await fast?.stop();
  await fake?.close();
});

function mention(channel: string, text = QUESTION, extra: { thread_ts?: string } = {}) {
  const ts = fake.nextTs();
  fake.addMessage({ channel, ts, user: 'U0ASKER', text, ...extra });
  return { ts, body: eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${fake.identity.botUserId}> ${text}`, ts, channel, ...extra }) };
}

const inChannel = (channel: string) => (c: WebApiCall) => c.args.channel === channel;
const sections = (blocks: any[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);

/** The engine's quotes appear in these blocks, as a fast answer would show them. */
async function expectAnswerBlocks(blocks: any[], question = QUESTION) {
  const expected = await engine.ask(question);
  expect(expected.quotes.length).toBeGreaterThan(0);
  const texts = sections(blocks);
  for (const q of expected.quotes.slice(0, 8)) expect(texts.some((s) => s.includes(escapeMrkdwn(q.text.split('\n')[0].trim())))).toBe(true);
}

/** Waits for the placeholder in `channel` and returns its call and ts. */
async function placeholderIn(channel: string) {
  const call = await fake.waitForCall('chat.postMessage', inChannel(channel));
  return { call, ts: (call.response as { ts: string }).ts };
}

describe('mentions', () => {
  test('a slow answer: a placeholder in the thread, then chat.update turns it into the answer (one message)', async () => {
    const hold = held.hold(QUESTION);
    const { ts, body } = mention('C0SLOW');
    expect((await slow.requester.event(body)).status).toBe(200);
    const placeholder = await placeholderIn('C0SLOW');
    expect(placeholder.call.args).toMatchObject({ text: WORKING_TEXT, thread_ts: ts });
    expect(placeholder.call.args.blocks).toBeUndefined();
    expect(placeholder.call.args.metadata).toBeUndefined();
    // Still held: nothing but the placeholder so far.
    expect(fake.callsTo('chat.update').filter(inChannel('C0SLOW'))).toEqual([]);

    hold.release();
    const update = await fake.waitForCall('chat.update', inChannel('C0SLOW'));
    expect(update.args.ts).toBe(placeholder.ts);
    expect(update.args.metadata).toMatchObject({ event_type: 'briefbot_answer', event_payload: { question: QUESTION } });
    await expectAnswerBlocks(update.args.blocks);
    await slow.log.waitFor((l) => l.msg === 'slack: answered' && l.channel === 'C0SLOW' && l.placeholder === true);

    expect(fake.callsTo('chat.postMessage').filter(inChannel('C0SLOW'))).toHaveLength(1);
    const botMessages = fake.messages.get('C0SLOW')!.filter((m) => m.bot_id);
    expect(botMessages).toHaveLength(1);
    expect(botMessages[0]).toMatchObject({ ts: placeholder.ts, thread_ts: ts, text: update.args.text });
    expect(botMessages[0].blocks).toEqual(update.args.blocks);
  });

  test('a follow-up in that thread reads the question from the updated message\'s metadata', async () => {
    const first = mention('C0SLOWFOLLOW');
    const hold = held.hold(QUESTION);
    await slow.requester.event(first.body);
    await placeholderIn('C0SLOWFOLLOW');
    hold.release();
    await fake.waitForCall('chat.update', inChannel('C0SLOWFOLLOW'));

    const followUp = 'and what did Muscat offer?';
    const second = mention('C0SLOWFOLLOW', followUp, { thread_ts: first.ts });
    await slow.requester.event(second.body);
    await slow.log.waitFor((l) => l.msg === 'slack: answered' && l.channel === 'C0SLOWFOLLOW', 2);
    expect(held.asks.find((a) => a.question === followUp)?.options?.history).toEqual([QUESTION]);
  });

  test('a fast answer is posted once, with no placeholder and no chat.update', async () => {
    const { ts, body } = mention('C0FAST');
    await fast.requester.event(body);
    await fast.log.waitFor((l) => l.msg === 'slack: answered' && l.channel === 'C0FAST');
    const posts = fake.callsTo('chat.postMessage').filter(inChannel('C0FAST'));
    expect(posts).toHaveLength(1);
    expect(posts[0].args.thread_ts).toBe(ts);
    expect(posts[0].args.text).not.toBe(WORKING_TEXT);
    await expectAnswerBlocks(posts[0].args.blocks);
    expect(fake.callsTo('chat.update').filter(inChannel('C0FAST'))).toEqual([]);
    expect(fast.log.lines.find((l) => l.msg === 'slack: answered' && l.channel === 'C0FAST')?.placeholder).toBe(false);
  });

  test('when the placeholder cannot be updated, the answer is posted anew in the thread and the failure logged', async () => {
    const hold = held.hold(QUESTION);
    const { ts, body } = mention('C0UPDFAIL');
    await slow.requester.event(body);
    const placeholder = await placeholderIn('C0UPDFAIL');
    fake.failNext('chat.update', { body: { ok: false, error: 'cant_update_message' } });
    hold.release();

    const answer = await fake.waitForCall('chat.postMessage', inChannel('C0UPDFAIL'), 2);
    expect(answer.args.thread_ts).toBe(ts);
    expect(answer.args.metadata).toMatchObject({ event_type: 'briefbot_answer', event_payload: { question: QUESTION } });
    await expectAnswerBlocks(answer.args.blocks);
    const [failed] = fake.callsTo('chat.update').filter(inChannel('C0UPDFAIL'));
    expect(failed.args.ts).toBe(placeholder.ts);
    expect(failed.response).toMatchObject({ ok: false, error: 'cant_update_message' });
    const [warned] = await slow.log.waitFor((l) => l.msg === 'slack: could not replace the placeholder; posting the reply anew' && l.channel === 'C0UPDFAIL');
    expect(warned).toMatchObject({ level: 40, slackError: 'cant_update_message', placeholderTs: placeholder.ts });
    await slow.log.waitFor((l) => l.msg === 'slack: answered' && l.channel === 'C0UPDFAIL');
  });

  test('a slow answer that fails turns the placeholder into the apology', async () => {
    const hold = held.hold(QUESTION);
    const { body } = mention('C0SLOWFAIL');
    await slow.requester.event(body);
    const placeholder = await placeholderIn('C0SLOWFAIL');
    hold.fail(new Error('model server exploded'));

    const update = await fake.waitForCall('chat.update', inChannel('C0SLOWFAIL'));
    expect(update.args.ts).toBe(placeholder.ts);
    expect(update.args.text).toBe(SORRY);
    expect(update.args.metadata).toBeUndefined();
    const [logged] = await slow.log.waitFor((l) => l.msg === 'slack: answering failed' && l.channel === 'C0SLOWFAIL');
    expect(logged).toMatchObject({ level: 50, error: 'model server exploded' });
    expect(fake.callsTo('chat.postMessage').filter(inChannel('C0SLOWFAIL'))).toHaveLength(1);
  });

  test('a placeholder Slack refuses is logged, and the answer still arrives as a new message', async () => {
    const hold = held.hold(QUESTION);
    fake.failNext('chat.postMessage', { body: { ok: false, error: 'ratelimited' } });
    const { ts, body } = mention('C0NOPLACE');
    await slow.requester.event(body);
    await slow.log.waitFor((l) => l.msg === 'slack: could not post the placeholder; the answer will follow on its own' && l.channel === 'C0NOPLACE');
    hold.release();
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0NOPLACE' && (c.response as { ok: boolean }).ok);
    expect(answer.args.thread_ts).toBe(ts);
    await expectAnswerBlocks(answer.args.blocks);
    expect(fake.callsTo('chat.update').filter(inChannel('C0NOPLACE'))).toEqual([]);
  });
});

describe('/brief', () => {
  const responsesTo = (url: string) => fake.responses.filter((r) => r.id === url.split('/').pop());

  test('a slow answer: a private placeholder through the response_url, then the answer replacing it', async () => {
    const hold = held.hold(QUESTION);
    const url = fake.responseUrl();
    expect(await slow.requester.command(slashCommandFields({ text: QUESTION, channel_id: 'C0SLOWCMD', response_url: url }))).toEqual({ status: 200, body: '' });
    const first = await fake.waitForResponse((r) => r.id === url.split('/').pop());
    expect(first.body).toEqual({ response_type: 'ephemeral', text: WORKING_TEXT });
    expect(responsesTo(url)).toHaveLength(1);

    hold.release();
    const second = await fake.waitForResponse((r) => r.id === url.split('/').pop(), 2);
    expect(second.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(JSON.stringify(second.body.blocks)).toContain(escapeMrkdwn(`Question: ${QUESTION}`));
    const share = second.body.blocks.find((b: any) => b.type === 'actions').elements.find((e: any) => e.action_id === ACTION_SHARE);
    expect(share.text.text).toBe('Share in channel');
    await expectAnswerBlocks(second.body.blocks);
    await slow.log.waitFor((l) => l.msg === 'slack: /brief answered' && l.channel === 'C0SLOWCMD' && l.placeholder === true);
    expect(responsesTo(url)).toHaveLength(2);
  });

  test('a fast answer is one response, replacing nothing', async () => {
    const url = fake.responseUrl();
    await fast.requester.command(slashCommandFields({ text: QUESTION, channel_id: 'C0FASTCMD', response_url: url }));
    await fast.log.waitFor((l) => l.msg === 'slack: /brief answered' && l.channel === 'C0FASTCMD');
    const [only, ...rest] = responsesTo(url);
    expect(rest).toEqual([]);
    expect(only.body.response_type).toBe('ephemeral');
    expect(only.body.replace_original).toBeUndefined();
    await expectAnswerBlocks(only.body.blocks);
  });

  test('a slow answer that fails replaces the placeholder with the apology', async () => {
    const hold = held.hold(QUESTION);
    const url = fake.responseUrl();
    await slow.requester.command(slashCommandFields({ text: QUESTION, channel_id: 'C0CMDFAIL', response_url: url }));
    await fake.waitForResponse((r) => r.id === url.split('/').pop());
    hold.fail(new Error('model server exploded'));
    const second = await fake.waitForResponse((r) => r.id === url.split('/').pop(), 2);
    expect(second.body).toMatchObject({ response_type: 'ephemeral', replace_original: true, text: SORRY });
    await slow.log.waitFor((l) => l.msg === 'slack: /brief failed' && l.channel === 'C0CMDFAIL' && l.error === 'model server exploded');
  });
});
