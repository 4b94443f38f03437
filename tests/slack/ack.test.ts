// Ack first, answer after: Slack's requests are answered with 200 while the engine is still working
// (in production on worker threads: src/workers/answer-pool.ts).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Answer } from '../../src/types.js';
import { e2eBriefing, OPEN_TIMEOUT_MS, recording, type Recorded } from './briefing.js';
import { eventCallback, slashCommandFields } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

describe('through Slack', () => {
  let briefing: Recorded;
  let h: Harness;
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => {};
  beforeAll(async () => {
    const real = recording(await e2eBriefing());
    briefing = { ...real, ask: async (q, o) => { await gate; return real.ask(q, o) as Promise<Answer>; } } as Recorded;
    h = await startHarness(briefing);
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await h?.stop();
  });

  test('events and commands get their 200 while the answer is still being worked out', async () => {
    gate = new Promise<void>((r) => (open = r));
    const ts = h.fake.nextTs();
    const event = await h.requester.event(eventCallback({ type: 'app_mention', user: 'U0ASKER', text: `<@${h.fake.identity.botUserId}> Who hosted the talks in Oman?`, ts, channel: 'C0ACK' }));
    const url = h.fake.responseUrl();
    const command = await h.requester.command(slashCommandFields({ text: 'What is the trust deficit?', response_url: url }));
    expect([event.status, command.status]).toEqual([200, 200]);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0ACK')).toEqual([]);
    expect(h.fake.responses.filter((r) => r.id === url.split('/').pop())).toEqual([]);
    open();
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0ACK');
    expect(post.args.thread_ts).toBe(ts);
    await h.fake.waitForResponse((r) => r.id === url.split('/').pop());
  });
});
