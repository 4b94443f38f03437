// When Slack or the engine fails: logged with the cause, the user told, the process still serving.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { e2eBriefing, recording, type Recorded, OPEN_TIMEOUT_MS } from './briefing.js';
import { buttonClick, eventCallback, slashCommandFields } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

const QUESTION = 'Who hosted the talks in Oman?';
let briefing: Recorded;
let h: Harness;

beforeAll(async () => {
  briefing = recording(await e2eBriefing());
  h = await startHarness(briefing);
}, OPEN_TIMEOUT_MS);
afterAll(async () => {
  await h?.stop();
});

function mention(channel: string, text = QUESTION, extra: Record<string, unknown> = {}) {
  const ts = h.fake.nextTs();
  return { ts, body: eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${h.fake.identity.botUserId}> ${text}`, ts, channel, ...extra }) };
}

test('chat.postMessage answering 500, then ok:false: both logged, the process stays up, the next question is answered', async () => {
  h.fake.failNext('chat.postMessage', { status: 500, body: 'upstream exploded' }, { body: { ok: false, error: 'internal_error' } });
  const first = mention('C0FAULT');
  expect((await h.requester.event(first.body)).status).toBe(200);
  // The answer hit the 500 (not retried: only 429s are), the error reply hit ok:false.
  const [failed] = await h.log.waitFor((l) => l.msg === 'slack: answering failed' && l.channel === 'C0FAULT');
  expect(failed).toMatchObject({ level: 50, status: 500, code: 'slack_webapi_http_error' });
  const [gaveUp] = await h.log.waitFor((l) => l.msg === 'slack: could not send the error reply either' && l.channel === 'C0FAULT');
  expect(gaveUp).toMatchObject({ slackError: 'internal_error', code: 'slack_webapi_platform_error' });
  expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0FAULT').map((c) => c.status)).toEqual([500, 200]);

  const next = mention('C0FAULT');
  expect((await h.requester.event(next.body)).status).toBe(200);
  const answered = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0FAULT' && c.args.thread_ts === next.ts && (c.response as any).ok === true);
  expect(JSON.stringify(answered.args.blocks)).toContain('> ');
});

test('a 429 is retried by web-api after Retry-After, and the answer arrives', async () => {
  h.fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '0' }, body: { ok: false, error: 'ratelimited' } });
  const m = mention('C0RATE');
  await h.requester.event(m.body);
  const ok = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0RATE' && c.status === 200);
  expect(ok.args.thread_ts).toBe(m.ts);
  expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0RATE').map((c) => c.status)).toEqual([429, 200]);
});

test('an engine failure gets a short apology in the thread and a log line with the cause', async () => {
  briefing.failWith = new Error('index file is corrupt');
  try {
    const m = mention('C0ENGINE');
    await h.requester.event(m.body);
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0ENGINE');
    expect(post.args.thread_ts).toBe(m.ts);
    expect(post.args.text).toMatch(/^Sorry, something went wrong/);
    const [line] = await h.log.waitFor((l) => l.msg === 'slack: answering failed' && l.channel === 'C0ENGINE');
    expect(line.error).toBe('index file is corrupt');

    const url = h.fake.responseUrl();
    await h.requester.command(slashCommandFields({ text: QUESTION, response_url: url }));
    const r = await h.fake.waitForResponse((x) => x.id === url.split('/').pop());
    expect(r.body).toMatchObject({ response_type: 'ephemeral' });
    expect(r.body.text).toMatch(/^Sorry, something went wrong/);
  } finally {
    briefing.failWith = undefined;
  }
});

test('thread history that cannot be read (missing scope) still gets an answer, without history', async () => {
  h.fake.failNext('conversations.replies', { body: { ok: false, error: 'missing_scope', needed: 'channels:history' } });
  const parent = h.fake.nextTs();
  const m = mention('C0NOSCOPE', 'and what did Muscat offer?', { thread_ts: parent });
  await h.requester.event(m.body);
  const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0NOSCOPE');
  expect(post.args.thread_ts).toBe(parent);
  await h.log.waitFor((l) => l.msg === 'slack: could not read thread history; answering without it' && l.channel === 'C0NOSCOPE');
  expect(briefing.asks.find((a) => a.question === 'and what did Muscat offer?')?.options?.history).toBeUndefined();
});

test('an expired response_url falls back to chat.postEphemeral', async () => {
  h.fake.failNext('response_url', { status: 404, body: 'expired_url' });
  const url = h.fake.responseUrl();
  await h.requester.command(slashCommandFields({ text: QUESTION, channel_id: 'C0EXPIRED', user_id: 'U0LATE', response_url: url }));
  const eph = await h.fake.waitForCall('chat.postEphemeral', (c) => c.args.channel === 'C0EXPIRED');
  expect(eph.args.user).toBe('U0LATE');
  expect(JSON.stringify(eph.args.blocks)).toContain('Share in channel');
});

test('sharing into a channel the bot is not in falls back to the response_url, in channel', async () => {
  const url = h.fake.responseUrl();
  await h.requester.command(slashCommandFields({ text: QUESTION, channel_id: 'C0NOTMEMBER', response_url: url }));
  const eph = await h.fake.waitForResponse((r) => r.id === url.split('/').pop());
  const share = eph.body.blocks.find((b: any) => b.type === 'actions').elements.find((e: any) => e.action_id === 'briefbot_share');
  h.fake.failNext('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
  const clickUrl = h.fake.responseUrl();
  await h.requester.action(buttonClick({ actionId: 'briefbot_share', value: share.value, channelId: 'C0NOTMEMBER', responseUrl: clickUrl }));
  const [shared, updated] = [await h.fake.waitForResponse((r) => r.id === clickUrl.split('/').pop()), await h.fake.waitForResponse((r) => r.id === clickUrl.split('/').pop(), 2)];
  expect(shared.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
  expect(updated.body.replace_original).toBe(true);
  await h.log.waitFor((l) => l.msg === 'slack: chat.postMessage for share failed; using the response_url' && l.slackError === 'not_in_channel');
});
