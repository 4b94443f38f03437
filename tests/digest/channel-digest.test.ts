// The channel-digest use cases every platform shares: subscribing takes the configured defaults
// from the store (the one place they are applied), and today's digest is the channel's own.
import { describe, expect, it } from 'vitest';
import { ChannelDigest, todaysDigest } from '../../adapters/shared/channel-digest.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { FakeClock, FakePoster, FakeSource, memoryLogger, producerOf, sqliteDigestStores } from './helpers.js';

function setup() {
  const clock = new FakeClock('2026-03-10T23:30:00Z');
  const source = new FakeSource();
  const producer = producerOf(source);
  const scheduler = new DigestScheduler({ stores: sqliteDigestStores(':memory:', { now: clock.now, defaults: { time: '07:30', tz: 'Asia/Tehran' } }), producer, posters: [new FakePoster('chat', clock)], logger: memoryLogger().logger, now: clock.now });
  return { clock, source, producer, scheduler, channel: new ChannelDigest(scheduler, 'chat', 'C1') };
}

describe('ChannelDigest', () => {
  it('subscribes with the configured defaults for what the person left out, then changes it', async () => {
    const { channel } = setup();
    const first = await channel.subscribe({ createdBy: 'U1' });
    expect(first).toMatchObject({ changed: false, subscription: { time: '07:30', timeZone: 'Asia/Tehran', weekdaysOnly: false } });
    expect(first.nextRun).toBeInstanceOf(Date);
    expect(channel.defaults).toEqual({ time: '07:30', tz: 'Asia/Tehran' });
    expect(await channel.subscribe({ time: '18:00', createdBy: 'U2' })).toMatchObject({ changed: true, subscription: { time: '18:00', timeZone: 'Asia/Tehran' } });
    expect((await channel.status()).subscription?.createdBy).toBe('U2');
  });

  it('posts today’s now once, and says when the channel is not subscribed', async () => {
    const { channel } = setup();
    expect(await channel.sendNow()).toBeUndefined();
    await channel.subscribe({ createdBy: 'U1' });
    expect((await channel.sendNow())?.outcome.status).toBe('sent');
    expect((await channel.sendNow())?.outcome.status).toBe('already');
    expect(await channel.unsubscribe()).toBe(true);
    expect(await channel.unsubscribe()).toBe(false);
  });
});

describe('todaysDigest', () => {
  it('dates an unsubscribed channel’s digest in DIGEST_TZ; a subscribed one in its own zone, new since its last digest', async () => {
    const { clock, producer, scheduler, source } = setup();
    const now = clock.now();
    const elsewhere = await todaysDigest({ briefing: producer, scheduler, platform: 'chat', channelId: 'C1', timeZone: 'UTC', now });
    expect(elsewhere.subscription).toBeUndefined();
    expect(elsewhere.digest.date).toBe('2026-03-10');
    await scheduler.subscriptions.subscribe({ platform: 'chat', channelId: 'C1', timeZone: 'Asia/Tehran', createdBy: 'U1' });
    await scheduler.subscriptions.recordDigest('chat', 'C1', '2026-03-10', source.documentHashes());
    source.addDocument('new.md', 'New', '2026-03-10', 'Something new.');
    const own = await todaysDigest({ briefing: producer, scheduler, platform: 'chat', channelId: 'C1', timeZone: 'UTC', now });
    // 23:30 UTC is already 11 March in Tehran.
    expect(own.digest.date).toBe('2026-03-11');
    expect(own.digest.newSince.map((n) => n.document.id)).toEqual(['new.md']);
    expect((await todaysDigest({ briefing: producer, platform: 'chat', channelId: 'C1', timeZone: 'UTC', now })).digest.newSince).toEqual([]);
  });
});
