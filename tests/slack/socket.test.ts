// Socket Mode end to end: the real Bolt SocketModeReceiver asks the fake for a WebSocket URL
// (apps.connections.open, with the app token), connects to ws://127.0.0.1, gets hello, then
// envelopes; the test sees each envelope acknowledged and the answer posted.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { e2eBriefing, OPEN_TIMEOUT_MS } from './briefing.js';
import { eventCallback, slashCommandFields } from './fake-slack.js';
import { APP_TOKEN, startHarness, type Harness } from './harness.js';

const QUESTION = 'Who hosted the talks in Oman?';
let h: Harness;

beforeAll(async () => {
  h = await startHarness(await e2eBriefing(), { mode: 'socket' });
}, OPEN_TIMEOUT_MS);
afterAll(async () => {
  await h?.stop();
});

test('connects through apps.connections.open with the app token, over a loopback WebSocket', async () => {
  const open = await h.fake.waitForCall('apps.connections.open');
  expect(open.token).toBe(APP_TOKEN);
  expect((open.response as { url: string }).url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket$/);
  expect(h.slack.port).toBeUndefined();
});

test('an events_api envelope is acknowledged and the mention answered in its thread', async () => {
  const ts = h.fake.nextTs();
  const payload = eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${h.fake.identity.botUserId}> ${QUESTION}`, ts, channel: 'C0SOCKET' });
  const ack = await h.fake.sendEnvelope({ envelope_id: 'env-mention-1', type: 'events_api', payload, accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
  expect(ack.envelope_id).toBe('env-mention-1');
  const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0SOCKET');
  expect(post.args.thread_ts).toBe(ts);
  expect(post.token).toBe('xoxb-0000-fake-bot-token');
  expect(JSON.stringify(post.args.blocks)).toContain('> ');

  // Slack's redelivery of the same event over the socket is acked and not answered again.
  const again = await h.fake.sendEnvelope({ envelope_id: 'env-mention-2', type: 'events_api', payload, accepts_response_payload: false, retry_attempt: 1, retry_reason: 'timeout' });
  expect(again.envelope_id).toBe('env-mention-2');
  await h.log.waitFor((l) => l.msg === 'slack: duplicate event ignored' && l.eventId === payload.event_id);
  expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0SOCKET')).toHaveLength(1);
});

test('a slash command envelope is acknowledged and answered privately', async () => {
  const url = h.fake.responseUrl();
  const ack = await h.fake.sendEnvelope({ envelope_id: 'env-command', type: 'slash_commands', payload: slashCommandFields({ text: QUESTION, response_url: url }), accepts_response_payload: true });
  expect(ack.envelope_id).toBe('env-command');
  const r = await h.fake.waitForResponse((x) => x.id === url.split('/').pop());
  expect(r.body.response_type).toBe('ephemeral');
  expect(JSON.stringify(r.body.blocks)).toContain('Share in channel');
});
