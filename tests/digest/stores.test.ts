import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { DigestSendStore } from '../../src/store/digest-sends.js';
import { SubscriptionError, SubscriptionStore, suggestTimeZones } from '../../src/store/subscriptions.js';
import { FakeClock } from './helpers.js';

describe('SubscriptionStore', () => {
  const make = () => {
    const clock = new FakeClock('2026-03-10T09:00:00Z');
    const store = new SubscriptionStore(openDatabase(':memory:'), { defaults: { time: '07:30', tz: 'Asia/Tehran' }, now: clock.now });
    return { clock, store };
  };

  it('stores a subscription with the configured defaults', () => {
    const { store } = make();
    const s = store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U1' });
    expect(s).toMatchObject({ platform: 'slack', channelId: 'C1', time: '07:30', timeZone: 'Asia/Tehran', weekdaysOnly: false, createdBy: 'U1' });
    expect(s.createdAt).toBe('2026-03-10T09:00:00.000Z');
    expect(s.lastHashes).toBeUndefined();
    expect(store.list()).toEqual([s]);
  });

  it('normalises "8:00" and a zone written in the wrong case', () => {
    const { store } = make();
    const s = store.subscribe({ platform: 'discord', channelId: '42', time: '8:00', timeZone: 'europe/london', weekdaysOnly: true, createdBy: 'u' });
    expect(s).toMatchObject({ time: '08:00', timeZone: 'Europe/London', weekdaysOnly: true });
  });

  it.each([
    [{ time: '25:00' }, /HH:MM on a 24-hour clock.*"25:00"/],
    [{ time: '8am' }, /HH:MM.*"8am"/],
    [{ timeZone: 'Europe/Lndon' }, /"Europe\/Lndon" is not a time zone.*IANA/],
    [{ timeZone: '+05:00' }, /not a time zone/],
    [{ timeZone: '' }, /not a time zone/],
  ])('rejects %o with a clear message and stores nothing', (bad, message) => {
    const { store } = make();
    expect(() => store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U1', ...bad })).toThrow(SubscriptionError);
    expect(() => store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U1', ...bad })).toThrow(message);
    expect(store.list()).toEqual([]);
  });

  it('a bad change leaves the existing subscription untouched', () => {
    const { store } = make();
    const before = store.subscribe({ platform: 'slack', channelId: 'C1', time: '09:15', createdBy: 'U1' });
    expect(() => store.subscribe({ platform: 'slack', channelId: 'C1', time: '9.15', createdBy: 'U2' })).toThrow(SubscriptionError);
    expect(store.get('slack', 'C1')).toEqual(before);
  });

  it('re-subscribing changes the schedule and keeps the digest history', () => {
    const { clock, store } = make();
    store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U1' });
    store.recordDigest('slack', 'C1', '2026-03-10', { 'a.md': 'h1' });
    clock.advance(3_600_000);
    const s = store.subscribe({ platform: 'slack', channelId: 'C1', time: '18:00', timeZone: 'UTC', createdBy: 'U2' });
    expect(s).toMatchObject({ time: '18:00', timeZone: 'UTC', createdBy: 'U2', lastDigestDate: '2026-03-10', lastHashes: { 'a.md': 'h1' } });
    expect(s.createdAt).toBe('2026-03-10T09:00:00.000Z');
    expect(s.updatedAt).toBe('2026-03-10T10:00:00.000Z');
  });

  it('unsubscribes and lists per platform', () => {
    const { store } = make();
    store.subscribe({ platform: 'slack', channelId: 'C2', createdBy: 'U' });
    store.subscribe({ platform: 'slack', channelId: 'C1', createdBy: 'U' });
    store.subscribe({ platform: 'discord', channelId: 'D1', createdBy: 'U' });
    expect(store.list('slack').map((s) => s.channelId)).toEqual(['C1', 'C2']);
    expect(store.unsubscribe('slack', 'C1')).toBe(true);
    expect(store.unsubscribe('slack', 'C1')).toBe(false);
    expect(store.list().map((s) => `${s.platform}:${s.channelId}`)).toEqual(['discord:D1', 'slack:C2']);
  });
});

describe('suggestTimeZones', () => {
  it('finds zones by any part of their name, within the limit, each one a zone subscribe accepts', () => {
    expect(suggestTimeZones('london')).toEqual(['Europe/London']);
    expect(suggestTimeZones('new y')).toEqual(['America/New_York']);
    expect(suggestTimeZones('utc')[0]).toBe('UTC');
    expect(suggestTimeZones('america/', 10)).toHaveLength(10);
    expect(suggestTimeZones('')).toHaveLength(25);
    expect(suggestTimeZones('nowhere-at-all')).toEqual([]);
    const store = new SubscriptionStore(openDatabase(':memory:'));
    for (const zone of suggestTimeZones('tehran')) expect(store.subscribe({ platform: 'p', channelId: zone, timeZone: zone, createdBy: 'u' }).timeZone).toBe(zone);
  });
});

describe('DigestSendStore', () => {
  const key = { platform: 'slack', channelId: 'C1', localDate: '2026-03-10' };
  const t = (iso: string) => new Date(iso);

  it('lets exactly one claimant win a day', () => {
    const db = openDatabase(':memory:');
    const a = new DigestSendStore(db, 'host:1');
    const b = new DigestSendStore(db, 'host:2');
    const first = a.claim(key, 'scheduled', t('2026-03-10T08:00:00Z'));
    const second = b.claim(key, 'manual', t('2026-03-10T08:00:01Z'), { overSkipped: true });
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, existing: { state: 'claimed', claimedBy: 'host:1' } });
    expect(b.claim({ ...key, localDate: '2026-03-11' }, 'scheduled', t('2026-03-11T08:00:00Z')).ok).toBe(true);
  });

  it('records attempts, then the message id; only the claim holder can mark the row', () => {
    const store = new DigestSendStore(openDatabase(':memory:'), 'me');
    const won = store.claim(key, 'scheduled', t('2026-03-10T08:00:00Z'));
    if (!won.ok) throw new Error('claim lost');
    store.markSent({ ...won.claim, token: 'forged' }, 'nope', t('2026-03-10T08:00:01Z'));
    expect(store.get(key)).toMatchObject({ state: 'claimed', attempts: 0 });
    store.attemptFailed(won.claim, 'HTTP 503', t('2026-03-10T08:00:02Z'));
    store.markSent(won.claim, '1710057600.000100', t('2026-03-10T08:00:32Z'));
    expect(store.get(key)).toMatchObject({ state: 'sent', attempts: 2, messageId: '1710057600.000100', reason: undefined });
    expect(store.recent('slack', 'C1')).toHaveLength(1);
  });

  it('a skipped day is recorded once and only a manual post may take it over', () => {
    const store = new DigestSendStore(openDatabase(':memory:'), 'me');
    expect(store.recordSkip(key, 'bot was down', t('2026-03-10T15:00:00Z'))).toBe(true);
    expect(store.recordSkip(key, 'bot was down', t('2026-03-10T15:01:00Z'))).toBe(false);
    expect(store.claim(key, 'scheduled', t('2026-03-10T15:02:00Z')).ok).toBe(false);
    const manual = store.claim(key, 'manual', t('2026-03-10T15:03:00Z'), { overSkipped: true });
    expect(manual.ok).toBe(true);
    expect(store.get(key)).toMatchObject({ state: 'claimed', trigger: 'manual', reason: undefined });
    expect(store.claim(key, 'manual', t('2026-03-10T15:04:00Z'), { overSkipped: true }).ok).toBe(false);
  });

  it('expires stale claims to "unknown"; a late answer from the holder still records the truth', () => {
    const store = new DigestSendStore(openDatabase(':memory:'), 'me');
    const won = store.claim(key, 'scheduled', t('2026-03-10T08:00:00Z'));
    if (!won.ok) throw new Error('claim lost');
    expect(store.expireStaleClaims(t('2026-03-10T08:00:00Z'), t('2026-03-10T09:00:00Z'))).toEqual([]);
    const expired = store.expireStaleClaims(t('2026-03-10T08:30:00Z'), t('2026-03-10T09:00:00Z'));
    expect(expired).toMatchObject([{ ...key, state: 'unknown' }]);
    expect(store.get(key)?.reason).toMatch(/not re-posted/);
    expect(store.claim(key, 'manual', t('2026-03-10T09:01:00Z'), { overSkipped: true }).ok).toBe(false);
    store.markSent(won.claim, 'late-1', t('2026-03-10T09:02:00Z'));
    expect(store.get(key)).toMatchObject({ state: 'sent', messageId: 'late-1' });
  });
});
