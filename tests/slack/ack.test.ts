// Ack first, answer after: Slack's requests are answered with 200 while the engine is still working
// (on worker threads: src/workers/answer-pool.ts), and the work after an ack starts only after
// pending requests had their turn (answer-queue.ts).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AnswerQueue } from '../../adapters/slack/answer-queue.js';
import type { Answer } from '../../src/types.js';
import { e2eBriefing, OPEN_TIMEOUT_MS, recording, type Recorded } from './briefing.js';
import { eventCallback, slashCommandFields } from './fake-slack.js';
import { startHarness, type Harness } from './harness.js';

describe('AnswerQueue', () => {
  test('runs at most N jobs at once, in arrival order, one start per event-loop turn, never in the caller\'s tick', async () => {
    const tick = () => new Promise((r) => setImmediate(r));
    const queue = new AnswerQueue(2);
    const started: number[] = [];
    const release: Array<() => void> = [];
    let maxRunning = 0;
    const jobs = [0, 1, 2, 3, 4].map((i) =>
      queue.run(async () => {
        started.push(i);
        maxRunning = Math.max(maxRunning, queue.load.running);
        await new Promise<void>((r) => release.push(r));
        return i;
      }),
    );
    expect(started).toEqual([]);
    await tick();
    expect(started).toEqual([0]);
    for (let i = 0; i < 5; i++) await tick();
    expect(started).toEqual([0, 1]);
    expect(queue.load).toEqual({ running: 2, waiting: 3 });
    while (started.length < 5 || release.length) {
      release.shift()?.();
      for (let i = 0; i < 3; i++) await tick();
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(maxRunning).toBe(2);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  test('a failing job frees its slot', async () => {
    const queue = new AnswerQueue(1);
    await expect(queue.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});

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
