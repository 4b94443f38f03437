// Probed as an attacker and as bad luck would (R2.4), through the real Bolt app in HTTP mode and the
// loopback Web API: strict signatures, bodies that are not objects, oversized and trickled bodies,
// replayed clicks and commands, a broken ledger, and a crash mid-answer followed by a redelivery.
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_BODY_BYTES } from '../../adapters/slack/http-server.js';
import { ACTION_SHARE } from '../../adapters/slack/render.js';
import type { BriefingService } from '../../src/service.js';
import type { Answer } from '../../src/types.js';
import { e2eBriefing, OPEN_TIMEOUT_MS } from './briefing.js';
import { buttonClick, eventCallback, FakeSlack, slashCommandFields } from './fake-slack.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';

const QUESTION = 'Who hosted the talks in Oman?';
let briefing: BriefingService;
let h: Harness;

beforeAll(async () => {
  briefing = await e2eBriefing();
  h = await startHarness(briefing);
}, OPEN_TIMEOUT_MS);
afterAll(async () => h?.stop());

const now = () => Math.floor(Date.now() / 1000);
const hmac = (ts: string, body: string) => `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
const post = (body: string, headers: Record<string, string>) => fetch(h.requester.endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const mention = (channel: string, text = QUESTION) => eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${h.fake.identity.botUserId}> ${text}`, ts: h.fake.nextTs(), channel });

describe('signatures are checked strictly', () => {
  test.each([
    ['5 minutes and a second ahead', () => String(now() + 301)],
    ['ten years ahead', () => String(now() + 10 * 365 * 86400)],
    ['Infinity', () => 'Infinity'],
    ['1e10', () => '1e10'],
    ['a decimal point', () => `${now()}.0`],
    ['hexadecimal', () => `0x${now().toString(16)}`],
  ])('a timestamp %s is refused, though correctly signed', async (_name, timestamp) => {
    const body = JSON.stringify(mention('C0TS'));
    const ts = timestamp();
    expect((await post(body, { 'x-slack-request-timestamp': ts, 'x-slack-signature': hmac(ts, body) })).status).toBe(401);
  });

  test.each([
    ['junk appended', (s: string) => `${s}=junk`],
    ['in capitals', (s: string) => `v0=${s.slice(3).toUpperCase()}`],
    ['cut short', (s: string) => s.slice(0, -2)],
    ['another version', (s: string) => `v1=${s.slice(3)}`],
  ])('a valid signature with %s is refused', async (_name, spoil) => {
    const body = JSON.stringify(mention('C0SIG'));
    const ts = String(now());
    expect((await post(body, { 'x-slack-request-timestamp': ts, 'x-slack-signature': spoil(hmac(ts, body)) })).status).toBe(401);
    expect((await post(body, { 'x-slack-request-timestamp': ts, 'x-slack-signature': hmac(ts, body) })).status).toBe(200);
  });
});

describe('bodies', () => {
  test.each(['null', '[]', '"text"', '12', '{"type":'])('a signed body of %s is refused with 400 and the bot keeps serving', async (body) => {
    const ts = String(now());
    expect((await post(body, { 'x-slack-request-timestamp': ts, 'x-slack-signature': hmac(ts, body) })).status).toBe(400);
    expect((await h.requester.event(mention('C0ALIVE'))).status).toBe(200);
  });

  test('a body declared over the cap is refused before a byte of it is sent', async () => {
    const status = await rawRequest(`POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Slack-Request-Timestamp: ${now()}\r\nX-Slack-Signature: v0=${'0'.repeat(64)}\r\nContent-Length: ${MAX_BODY_BYTES * 40}\r\n\r\n`);
    expect(status).toBe(413);
  });

  test('a chunked body that grows past the cap is cut off with 413', async () => {
    const res = await fetch(h.requester.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(now()), 'x-slack-signature': `v0=${'0'.repeat(64)}` },
      body: new ReadableStream({ start: (c) => { for (let i = 0; i < 8; i++) c.enqueue(new Uint8Array(MAX_BODY_BYTES / 4)); c.close(); } }),
      duplex: 'half',
    } as RequestInit).catch(() => ({ status: 413 }));
    expect(res.status).toBe(413);
  });

  test('other paths and methods get 404 and 405 without their bodies being read', async () => {
    expect((await fetch(h.requester.endpoint.replace('/slack/events', '/admin'), { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(h.requester.endpoint)).status).toBe(405);
  });

  test('40,000 characters of every kind of whitespace in a mention are answered', async () => {
    for (const ws of ['\u3000', '\u00a0', ' \t\n']) {
      const channel = `C0WS${ws.codePointAt(0)}`;
      expect((await h.requester.event(mention(channel, `Who hosted${ws.repeat(Math.ceil(40_000 / ws.length))}the talks in Oman?`))).status).toBe(200);
      await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === channel && !/Looking/.test(c.args.text));
    }
  });
});

/** Sends raw bytes and resolves with the status code of the first response line. */
function rawRequest(head: string): Promise<number> {
  const { port } = new URL(h.requester.endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
    socket.once('data', (d) => {
      resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(d.toString())?.[1]));
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('replays', () => {
  test('the same signed "Share in channel" click sent three times posts once', async () => {
    const prompt = await h.requester.command(slashCommandFields({ text: QUESTION, channel_id: 'C0SHARE3', response_url: h.fake.responseUrl() }));
    expect(prompt.status).toBe(200);
    const reply = await h.fake.waitForResponse((r) => JSON.stringify(r.body).includes(ACTION_SHARE));
    const share = (reply.body.blocks as any[]).find((b) => b.type === 'actions').elements.find((e: any) => e.action_id === ACTION_SHARE);
    const click = buttonClick({ actionId: ACTION_SHARE, value: share.value, channelId: 'C0SHARE3', responseUrl: h.fake.responseUrl() });
    const body = `payload=${encodeURIComponent(JSON.stringify(click))}`;
    for (let i = 0; i < 3; i++) expect((await h.requester.send(body, 'application/x-www-form-urlencoded')).status).toBe(200);
    await h.log.waitFor((l) => l.msg === 'slack:action: replayed request ignored', 2);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0SHARE3')).toHaveLength(1);
  });

  test('the same signed /brief sent twice is answered once', async () => {
    const fields = slashCommandFields({ text: QUESTION, channel_id: 'C0CMD2', response_url: h.fake.responseUrl() });
    await h.requester.command(fields);
    await h.requester.command(fields);
    await h.log.waitFor((l) => l.msg === 'slack:command: replayed request ignored');
    expect(h.log.lines.filter((l) => l.msg === 'slack: /brief answered' && l.channel === 'C0CMD2')).toHaveLength(1);
  });
});

describe('faults', () => {
  test('a ledger that cannot be written gets the asker an apology, not silence', async () => {
    const broken = await startHarness(briefing, { fake: h.fake });
    try {
      broken.db.exec('DROP TABLE deliveries');
      broken.db.exec("CREATE TABLE deliveries (source TEXT, id TEXT, CHECK (source = 'never'))");
      expect((await broken.requester.event(mention('C0DISK'))).status).toBe(200);
      const sorry = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0DISK');
      expect(sorry.args.text).toMatch(/Sorry, something went wrong/);
      await broken.log.waitFor((l) => l.msg === 'slack: could not record the event');
    } finally {
      await broken.stop();
    }
  });

  test('a crash mid-answer: the redelivery after the restart finishes it in the placeholder, once', async () => {
    const fake = await FakeSlack.start();
    // The first process never finishes its answer: it posts the placeholder and then "dies".
    const stuck: BriefingService = { ...briefing, ask: () => new Promise<Answer>(() => undefined) };
    const first = await startHarness(stuck, { fake, placeholderAfterMs: 0 });
    const event = eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${fake.identity.botUserId}> ${QUESTION}`, ts: fake.nextTs(), channel: 'C0CRASH' }, { eventId: 'EvCRASH' });
    try {
      await first.requester.event(event);
      const placeholder = await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0CRASH');
      expect(placeholder.args.text).toMatch(/Looking through the sources/);
      // The placeholder is on record (the app writes it once Slack has answered the post).
      const recorded = () => (first.db.prepare("SELECT placeholder FROM deliveries WHERE id = 'EvCRASH'").get() as { placeholder: string | null }).placeholder;
      while (!recorded()) await new Promise((r) => setImmediate(r));
      // kill -9 leaves its claim behind, naming a process that no longer runs.
      first.db.prepare('UPDATE deliveries SET pid = ?').run(2 ** 22 + 12345);
      await first.stop();
      const second = await startHarness(briefing, { fake, dataDir: first.dataDir });
      try {
        await second.requester.event(event, { retryNum: 1 });
        const edit = await fake.waitForCall('chat.update', (c) => c.args.channel === 'C0CRASH');
        expect(edit.args.ts).toBe((placeholder.response as { ts: string }).ts);
        expect(edit.args.text).not.toMatch(/Looking through/);
        await second.requester.event(event, { retryNum: 2 });
        await second.log.waitFor((l) => l.msg === 'slack: duplicate event ignored' && l.eventId === 'EvCRASH');
        expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0CRASH')).toHaveLength(1);
        expect(fake.callsTo('chat.update').filter((c) => c.args.channel === 'C0CRASH')).toHaveLength(1);
      } finally {
        await second.stop();
      }
    } finally {
      await fake.close();
    }
  });
});
