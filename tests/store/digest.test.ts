// Subscriptions and the once-a-day ledger of sent digests, in either database.
import { describe, expect, it } from 'vitest';
import { SubscriptionError, suggestTimeZones } from '../../src/store/subscriptions.js';
import { FakeClock } from '../digest/helpers.js';
import { eachBackend } from './backends.js';

eachBackend('digest stores', (backend) => {
  describe('subscriptions', () => {
    const make = async () => {
      const clock = new FakeClock('2026-03-10T09:00:00Z');
      const store = (await backend.open({ subscriptions: { defaults: { time: '07:30', tz: 'Asia/Tehran' }, now: clock.now } })).subscriptions;
      return { clock, store };
    };

    it('stores a subscription with the configured defaults', async () => {
      const { store } = await make();
      expect(store.defaults).toEqual({ time: '07:30', tz: 'Asia/Tehran' });
      const s = await store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U1' });
      expect(s).toMatchObject({ platform: 'slack', channelId: 'C1', time: '07:30', timeZone: 'Asia/Tehran', weekdaysOnly: false, createdBy: 'U1' });
      expect(s.createdAt).toBe('2026-03-10T09:00:00.000Z');
      expect(s.lastHashes).toBeUndefined();
      expect(await store.list()).toEqual([s]);
    });

    it('normalises "8:00" and a zone written in the wrong case', async () => {
      const { store } = await make();
      const s = await store.subscribe({ platform: 'discord', channelId: '42', time: '8:00', timeZone: 'europe/london', weekdaysOnly: true, createdBy: 'u' });
      expect(s).toMatchObject({ time: '08:00', timeZone: 'Europe/London', weekdaysOnly: true });
      expect(await store.get('discord', '42')).toEqual(s);
    });

    it.each([
      [{ time: '25:00' }, /HH:MM on a 24-hour clock.*"25:00"/],
      [{ time: '8am' }, /HH:MM.*"8am"/],
      [{ timeZone: 'Europe/Lndon' }, /"Europe\/Lndon" is not a time zone.*IANA/],
      [{ timeZone: '+05:00' }, /not a time zone/],
      [{ timeZone: '' }, /not a time zone/],
    ])('rejects %o with a clear message and stores nothing', async (bad, message) => {
      const { store } = await make();
      await expect(store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U1', ...bad })).rejects.toThrow(SubscriptionError);
      await expect(store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U1', ...bad })).rejects.toThrow(message);
      expect(await store.list()).toEqual([]);
    });

    it('a bad change leaves the existing subscription untouched', async () => {
      const { store } = await make();
      const before = await store.subscribe({ platform: 'slack', channelId: 'C1', time: '09:15', createdBy: 'U1' });
      await expect(store.subscribe({ platform: 'slack', channelId: 'C1', time: '9.15', createdBy: 'U2' })).rejects.toThrow(SubscriptionError);
      expect(await store.get('slack', 'C1')).toEqual(before);
    });

    it('re-subscribing changes the schedule and keeps the digest history', async () => {
      const { clock, store } = await make();
      await store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U1' });
      await store.recordDigest('slack', 'C1', '2026-03-10', { 'a.md': 'h1' });
      clock.advance(3_600_000);
      const s = await store.subscribe({ platform: 'slack', channelId: 'C1', time: '18:00', timeZone: 'UTC', createdBy: 'U2' });
      expect(s).toMatchObject({ time: '18:00', timeZone: 'UTC', createdBy: 'U2', lastDigestDate: '2026-03-10', lastHashes: { 'a.md': 'h1' } });
      expect(s.createdAt).toBe('2026-03-10T09:00:00.000Z');
      expect(s.updatedAt).toBe('2026-03-10T10:00:00.000Z');
    });

    it('unsubscribes and lists per platform, in code-point order', async () => {
      const { store } = await make();
      for (const channelId of ['C2', 'C1', 'c0', 'B9']) await store.subscribe({ platform: 'slack', channelId, createdBy: 'U' });
      await store.subscribe({ platform: 'discord', channelId: 'D1', createdBy: 'U' });
      expect((await store.list('slack')).map((s) => s.channelId)).toEqual(['B9', 'C1', 'C2', 'c0']);
      expect(await store.unsubscribe('slack', 'C1')).toBe(true);
      expect(await store.unsubscribe('slack', 'C1')).toBe(false);
      expect((await store.list()).map((s) => `${s.platform}:${s.channelId}`)).toEqual(['discord:D1', 'slack:B9', 'slack:C2', 'slack:c0']);
    });

    it('accepts every zone suggestTimeZones offers', async () => {
      const store = (await backend.open()).subscriptions;
      for (const zone of suggestTimeZones('tehran')) expect((await store.subscribe({ platform: 'p', channelId: zone, timeZone: zone, createdBy: 'u' })).timeZone).toBe(zone);
    });
  });

  describe('digest sends', () => {
    const key = { platform: 'slack', channelId: 'C1', localDate: '2026-03-10' };
    const t = (iso: string) => new Date(iso);
    const sends = async (claimant = 'me') => (await backend.open({ claimant })).digestSends;

    it('lets exactly one claimant win a day', async () => {
      const a = await sends('host:1');
      const b = await sends('host:2');
      const first = await a.claim(key, 'scheduled', t('2026-03-10T08:00:00Z'));
      const second = await b.claim(key, 'manual', t('2026-03-10T08:00:01Z'), { overSkipped: true });
      expect(first.ok).toBe(true);
      expect(second).toMatchObject({ ok: false, existing: { state: 'claimed', claimedBy: 'host:1', claimedAt: '2026-03-10T08:00:00.000Z' } });
      expect((await b.claim({ ...key, localDate: '2026-03-11' }, 'scheduled', t('2026-03-11T08:00:00Z'))).ok).toBe(true);
    });

    it('records attempts, then the message id; only the claim holder can mark the row', async () => {
      const store = await sends();
      const won = await store.claim(key, 'scheduled', t('2026-03-10T08:00:00Z'));
      if (!won.ok) throw new Error('claim lost');
      await store.markSent({ ...won.claim, token: 'forged' }, 'nope', t('2026-03-10T08:00:01Z'));
      expect(await store.get(key)).toMatchObject({ state: 'claimed', attempts: 0 });
      await store.attemptFailed(won.claim, 'HTTP 503', t('2026-03-10T08:00:02Z'));
      expect(await store.get(key)).toMatchObject({ state: 'claimed', attempts: 1, reason: 'HTTP 503' });
      await store.markSent(won.claim, '1710057600.000100', t('2026-03-10T08:00:32Z'));
      expect(await store.get(key)).toMatchObject({ state: 'sent', attempts: 2, messageId: '1710057600.000100', reason: undefined, updatedAt: '2026-03-10T08:00:32.000Z' });
      expect(await store.recent('slack', 'C1')).toHaveLength(1);
    });

    it('failed and unknown close the day with their reason', async () => {
      const store = await sends();
      const a = await store.claim(key, 'scheduled', t('2026-03-10T08:00:00Z'));
      const b = await store.claim({ ...key, localDate: '2026-03-11' }, 'scheduled', t('2026-03-11T08:00:00Z'));
      if (!a.ok || !b.ok) throw new Error('claim lost');
      await store.markFailed(a.claim, 'channel gone', t('2026-03-10T08:00:05Z'));
      await store.markUnknown(b.claim, 'no answer', t('2026-03-11T08:00:05Z'));
      expect((await store.recent('slack', 'C1')).map((s) => [s.localDate, s.state, s.reason])).toEqual([
        ['2026-03-11', 'unknown', 'no answer'],
        ['2026-03-10', 'failed', 'channel gone'],
      ]);
      expect(await store.recent('slack', 'C1', 1)).toHaveLength(1);
      expect(await store.recent('slack', 'C2')).toEqual([]);
    });

    it('a skipped day is recorded once and only a manual post may take it over', async () => {
      const store = await sends();
      expect(await store.recordSkip(key, 'bot was down', t('2026-03-10T15:00:00Z'))).toBe(true);
      expect(await store.recordSkip(key, 'bot was down', t('2026-03-10T15:01:00Z'))).toBe(false);
      expect((await store.claim(key, 'scheduled', t('2026-03-10T15:02:00Z'))).ok).toBe(false);
      const manual = await store.claim(key, 'manual', t('2026-03-10T15:03:00Z'), { overSkipped: true });
      expect(manual.ok).toBe(true);
      expect(await store.get(key)).toMatchObject({ state: 'claimed', trigger: 'manual', reason: undefined });
      expect((await store.claim(key, 'manual', t('2026-03-10T15:04:00Z'), { overSkipped: true })).ok).toBe(false);
    });

    it('expires stale claims to "unknown"; a late answer from the holder still records the truth', async () => {
      const store = await sends();
      const won = await store.claim(key, 'scheduled', t('2026-03-10T08:00:00Z'));
      if (!won.ok) throw new Error('claim lost');
      expect(await store.expireStaleClaims(t('2026-03-10T08:00:00Z'), t('2026-03-10T09:00:00Z'))).toEqual([]);
      const expired = await store.expireStaleClaims(t('2026-03-10T08:30:00Z'), t('2026-03-10T09:00:00Z'));
      expect(expired).toMatchObject([{ ...key, state: 'unknown', updatedAt: '2026-03-10T09:00:00.000Z' }]);
      expect(await store.expireStaleClaims(t('2026-03-10T08:30:00Z'), t('2026-03-10T09:00:00Z'))).toEqual([]);
      expect((await store.get(key))?.reason).toMatch(/not re-posted/);
      expect((await store.claim(key, 'manual', t('2026-03-10T09:01:00Z'), { overSkipped: true })).ok).toBe(false);
      await store.markSent(won.claim, 'late-1', t('2026-03-10T09:02:00Z'));
      expect(await store.get(key)).toMatchObject({ state: 'sent', messageId: 'late-1' });
    });
  });
});
