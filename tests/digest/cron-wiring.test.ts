// start() in production mode: the real croner job on the real (here: faked by vitest) clock.
// vitest's fake timers replace both setTimeout and Date, which is all croner uses, so the minute
// job can be driven across a scheduled time without waiting.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { FakePoster, FakeSource, memoryLogger, producerOf, sqliteDigestStores } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('DigestScheduler.start', () => {
  it('ticks through croner at the top of each minute and posts at the local time', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-29T06:57:30Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const clock = { now: () => new Date() };
    const poster = new FakePoster('slack', clock);
    const scheduler = new DigestScheduler({ stores: sqliteDigestStores(':memory:'), producer: producerOf(new FakeSource()), posters: [poster], logger: memoryLogger().logger });
    await scheduler.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'Europe/London', createdBy: 'U1' });
    expect((await scheduler.start())?.deliveries).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * 60_000); // to 06:59:30
    expect(poster.posts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000); // past 07:00 UTC = 08:00 BST (the day the clocks went forward)
    expect(poster.posts.map((p) => p.at.toISOString())).toEqual(['2026-03-29T07:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(poster.posts).toHaveLength(1);
    await scheduler.stop();
  });
});
