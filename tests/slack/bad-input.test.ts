// Unusable or hostile questions through Slack: always a polite answer, never a ping.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { e2eBriefing, recording, type Recorded, OPEN_TIMEOUT_MS } from './briefing.js';
import { eventCallback, slashCommandFields, type WebApiCall } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

let briefing: Recorded;
let h: Harness;

beforeAll(async () => {
  briefing = recording(await e2eBriefing());
  h = await startHarness(briefing);
}, OPEN_TIMEOUT_MS);
afterAll(async () => {
  await h?.stop();
});

/** Everything a Slack client would render or parse for mentions. */
const rendered = (c: WebApiCall) => `${c.args.text}\n${JSON.stringify(c.args.blocks)}`;

async function ask(channel: string, text: string): Promise<WebApiCall> {
  await h.requester.event(eventCallback({ type: 'app_mention', user: 'U0ASKER', text, ts: h.fake.nextTs(), channel }));
  return h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === channel);
}

test('an empty mention gets a short explanation of how to ask', async () => {
  const post = await ask('C0EMPTY', `<@${h.fake.identity.botUserId}>`);
  expect(post.args.text).toContain('Please ask a question about the US–Iran talks, for example: “');
  expect(post.args.blocks.some((b: any) => b.type === 'actions')).toBe(false);
});

test('a 20,000-character message gets a clear "too long" reply, short itself', async () => {
  const huge = 'Why did the talks in Muscat stall? '.repeat(600).slice(0, 20_000);
  const post = await ask('C0LONG', `<@${h.fake.identity.botUserId}> ${huge}`);
  expect(post.args.text).toContain('20,000 characters');
  expect(post.args.text).toContain('2,000');
  expect(rendered(post).length).toBeLessThan(2000);
});

test('<!channel>, <!here> and <@U123> in a question reach neither the engine nor the reply as mentions', async () => {
  const post = await ask('C0PING', `<@${h.fake.identity.botUserId}> <!channel> <!here> what did <@U123> say about the talks in Oman <!subteam^S1|@nuclear>?`);
  const reply = rendered(post);
  expect(reply).not.toMatch(/<!(channel|here|everyone|subteam)|<@U|<#C/);
  const question = briefing.asks.at(-1)!.question;
  expect(question).toBe('@channel @here what did @U123 say about the talks in Oman @nuclear?');
  expect(post.args.text.length).toBeGreaterThan(0);
});

test('the same through /brief: the echoed question is escaped, nothing can ping', async () => {
  const url = h.fake.responseUrl();
  await h.requester.command(slashCommandFields({ text: '<!channel> who hosted the talks in Oman? <@U123> &amp; &lt;b&gt;', response_url: url }));
  const r = await h.fake.waitForResponse((x) => x.id === url.split('/').pop());
  const all = `${r.body.text}\n${JSON.stringify(r.body.blocks)}`;
  expect(all).not.toMatch(/<!|<@|<b>/);
  expect(all).toContain('Question: @channel who hosted the talks in Oman? @U123 &amp; &lt;b&gt;');
});
