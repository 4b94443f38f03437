// Feeds and what was done with each of their items, in either database.
import { expect, it } from 'vitest';
import { FEED_ITEM_RETRIES } from '../../src/store/feeds.js';
import { eachBackend } from './backends.js';

eachBackend('feed store', (backend) => {
  const open = async () => (await backend.open()).feeds;

  it('adds a URL once, however it is spelled, and refuses what is not http(s)', async () => {
    const store = await open();
    const first = await store.add(' https://Feeds.Example/rss#top ', 'U1');
    expect(first).toMatchObject({ created: true, feed: { id: 1, url: 'https://feeds.example/rss', addedBy: 'U1' } });
    expect(await store.add('https://feeds.example/rss', 'U2')).toEqual({ created: false, feed: first.feed });
    expect(await store.list()).toHaveLength(1);
    await expect(store.add('ftp://x.example/feed', 'U1')).rejects.toThrow(expect.objectContaining({ code: 'feed_url', userSafe: true }));
    await expect(store.add('not a url', 'U1')).rejects.toThrow(/is not a URL/);
    expect((await store.add('https://feeds.example/other', 'U1')).feed.id).toBe(2);
  });

  it('finds a feed by id, by digits, or by any spelling of its URL', async () => {
    const store = await open();
    const { feed } = await store.add('https://feeds.example/rss', 'U1');
    expect(await store.find(feed.id)).toEqual(feed);
    expect(await store.find(` ${feed.id} `)).toEqual(feed);
    expect(await store.find('https://FEEDS.example/rss#x')).toEqual(feed);
    expect(await store.find('not a url')).toBeUndefined();
    expect(await store.find(99)).toBeUndefined();
    expect(await store.get(99)).toBeUndefined();
  });

  it('records polls and items, and removes a feed by id or URL with its items', async () => {
    const store = await open();
    const a = (await store.add('http://a.example/feed', 'U1')).feed;
    const b = (await store.add('http://b.example/feed', 'U1')).feed;
    await store.recordPoll(a.id, { etag: '"v1"', lastModified: 'Mon, 02 Mar 2026 10:00:00 GMT', title: 'A' });
    await store.recordPoll(a.id, { etag: '"v1"', error: 'down' });
    expect(await store.get(a.id)).toMatchObject({ title: 'A', etag: '"v1"', lastError: 'down', lastPolledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect((await store.get(a.id))?.lastModified).toBeUndefined();
    await store.recordPoll(a.id, {});
    expect((await store.get(a.id))?.lastError).toBeUndefined();

    expect(await store.hasItems(a.id)).toBe(false);
    await store.markItem(a.id, 'k1', { url: 'http://a.example/1', state: 'added', addedDoc: 'a-1.md' });
    expect(await store.hasItems(a.id)).toBe(true);
    expect(await store.isSeen(a.id, 'k1')).toBe(true);
    expect(await store.isSeen(b.id, 'k1')).toBe(false);
    expect(await store.getItem(a.id, 'k1')).toMatchObject({ state: 'added', addedDoc: 'a-1.md', attempts: 0 });

    for (let attempt = 1; attempt <= FEED_ITEM_RETRIES + 1; attempt++) {
      expect(await store.isSeen(a.id, 'k2')).toBe(false);
      await store.markItem(a.id, 'k2', { url: 'http://a.example/2', state: 'failed', error: 'fetch_status' });
      expect((await store.getItem(a.id, 'k2'))?.attempts).toBe(attempt);
    }
    expect(await store.isSeen(a.id, 'k2')).toBe(true); // given up
    expect((await store.items(a.id)).map((i) => i.key).sort()).toEqual(['k1', 'k2']);

    await store.markItem(b.id, 'k1', { url: 'http://b.example/1', state: 'skipped' });
    expect(await store.remove('http://A.example/feed')).toMatchObject({ id: a.id });
    expect(await store.items(a.id)).toEqual([]);
    expect(await store.remove(a.id)).toBeUndefined();
    expect(await store.items(b.id)).toHaveLength(1);
    expect((await store.remove(b.id))?.url).toBe('http://b.example/feed');
    expect(await store.list()).toEqual([]);
  });

  it('lists items most recently first seen first', async () => {
    let now = new Date('2026-03-02T10:00:00Z');
    const store = (await backend.open({ feeds: { now: () => now } })).feeds;
    const { feed } = await store.add('http://a.example/feed', 'U1');
    await store.markItem(feed.id, 'old', { url: 'http://a.example/old', state: 'added' });
    now = new Date('2026-03-02T11:00:00Z');
    await store.markItem(feed.id, 'b', { url: 'http://a.example/b', state: 'skipped' });
    await store.markItem(feed.id, 'a', { url: 'http://a.example/a', state: 'skipped' });
    expect((await store.items(feed.id)).map((i) => `${i.key}@${i.seenAt}`)).toEqual(['a@2026-03-02T11:00:00.000Z', 'b@2026-03-02T11:00:00.000Z', 'old@2026-03-02T10:00:00.000Z']);
  });
});
