// Feeds end to end without the internet: documents parsed from fixtures, the store over an
// in-memory database, and the poller fetching with the real fetchUrl (allowPrivate) from an HTTP
// server on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CodedError } from '../../src/errors.js';
import { decodeFeedBody, MAX_FEED_ITEMS, parseFeedItems, type FeedItem } from '../../src/sources/feed-parse.js';
import { FIRST_POLL_ITEMS, pollFeeds, startFeedPoller, type AddArticleResult, type FeedPollerDeps } from '../../src/sources/feed-poller.js';
import { fetchUrl, type Fetched } from '../../src/sources/fetch.js';
import { openDatabase } from '../../src/store/db.js';
import { FEED_ITEM_RETRIES, SqliteFeedStore, type FeedStore } from '../../src/store/feeds.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const safe = (code: string, message: string) => new CodedError(code, message, { userSafe: true });

const feedError = (message: RegExp) =>
  expect.objectContaining({ name: 'FeedError', code: 'feed_malformed', userSafe: true, message: expect.stringMatching(message) });
const expectFeedError = (fn: () => unknown, message: RegExp) => expect(fn).toThrow(feedError(message));

function rss(items: { id: string; date?: string }[], title = 'Test feed'): string {
  const body = items
    .map((i) => `<item><title>Story ${i.id}</title><link>/a/${i.id}</link><guid>g-${i.id}</guid>${i.date ? `<pubDate>${i.date}</pubDate>` : ''}</item>`)
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>${body}</channel></rss>`;
}
/** Items 1..n, item n the newest. */
const numbered = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), date: new Date(Date.UTC(2026, 0, i + 1)).toUTCString() }));

describe('parseFeedItems', () => {
  it('reads RSS 2.0: links resolved against the feed URL, CDATA and entities as text, guid else link as key', () => {
    const feed = parseFeedItems(fixture('rss2.xml'), 'https://feeds.example/rss/feed.xml');
    expect(feed.title).toBe('Arms Control & Diplomacy');
    expect(feed.items).toEqual([
      { key: 'tag:analysis.example,2026:enrichment', url: 'https://feeds.example/2026/03/enrichment', title: "Iran's enrichment & the talks", published: '2026-03-03T10:00:00.000Z' },
      { key: 'https://feeds.example/rss/2026/02/sanctions?ref=rss&utm=1', url: 'https://feeds.example/rss/2026/02/sanctions?ref=rss&utm=1', title: 'Café diplomacy & sanctions relief', published: '2026-02-02T09:30:00.000Z' },
    ]);
    expect(feed.skipped).toBe(2); // the mailto: link and the item with none
  });

  it('reads Atom 1.0: the alternate link, html titles as text, updated when not published', () => {
    const feed = parseFeedItems(fixture('atom.xml'), 'https://notes.example/feeds/atom.xml');
    expect(feed.title).toBe('Nonproliferation Notes');
    expect(feed.items).toEqual([
      { key: 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a', url: 'https://notes.example/feeds/posts/iaea-access', title: 'IAEA access restored?', published: '2026-03-10T12:00:00.000Z' },
      { key: 'urn:uuid:2', url: 'https://notes.example/posts/snapback', title: 'Snapback, explained', published: '2026-03-01T07:00:00.000Z' },
    ]);
    expect(feed.skipped).toBe(1); // javascript:
  });

  it('reads RSS 1.0 (RDF), newest first by date, and honours xml:base', () => {
    const feed = parseFeedItems(fixture('rdf.xml'), 'https://old.example/rss');
    expect(feed.items.map((i) => [i.url, i.title])).toEqual([
      ['https://old.example/a/2', 'Centrifuge cascades'],
      ['https://old.example/a/1', 'Breakout time — a primer'],
    ]);
    const based = '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/"><entry xml:base="2026/"><id>1</id><link href="post"/></entry></feed>';
    expect(parseFeedItems(based, 'https://x.example/feeds/a.xml').items[0]?.url).toBe('https://x.example/blog/2026/post');
  });

  it('uses a permalink guid when an RSS item has no link, and keeps one item per key', () => {
    const xml = '<rss><channel><item><guid>https://x.example/p/1</guid></item><item><guid isPermaLink="false">p2</guid></item><item><link>https://x.example/p/1</link></item></channel></rss>';
    const feed = parseFeedItems(xml, 'https://x.example/feed');
    expect(feed.items).toEqual([{ key: 'https://x.example/p/1', url: 'https://x.example/p/1', title: '' }]);
    expect(feed.skipped).toBe(1);
  });

  it(`considers at most the newest ${MAX_FEED_ITEMS} items`, () => {
    const feed = parseFeedItems(rss(numbered(60)), 'http://x.example/feed');
    expect(feed.items).toHaveLength(MAX_FEED_ITEMS);
    expect(feed.items[0]?.key).toBe('g-60');
    expect(feed.omitted).toBe(10);
  });

  it('refuses malformed XML, web pages, other XML and entity declarations with a clear FeedError', () => {
    const truncated = rss(numbered(3)).slice(0, -30);
    expectFeedError(() => parseFeedItems(truncated, 'http://x.example/feed'), /^http:\/\/x\.example\/feed is not well-formed XML \(line 1, column/);
    expectFeedError(() => parseFeedItems('<rss><channel><item></channel></rss>', 'u'), /not well-formed XML.*closing tag/);
    expectFeedError(() => parseFeedItems('  \n', 'u'), /empty document/);
    expectFeedError(() => parseFeedItems('<!DOCTYPE html><html><body><p>Hi<br></p></body></html>', 'u'), /is a web page, not an RSS or Atom feed/);
    expectFeedError(() => parseFeedItems('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', 'u'), /web page/);
    expectFeedError(() => parseFeedItems('<svg xmlns="http://www.w3.org/2000/svg"><title>x</title></svg>', 'u'), /is XML but not an RSS or Atom feed/);
    const bomb = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel><title>&a;&a;</title></channel></rss>';
    expectFeedError(() => parseFeedItems(bomb, 'u'), /declares its own XML entities/);
  });

  it('tolerates a byte-order mark and whitespace before the declaration', () => {
    expect(parseFeedItems(`\uFEFF\n  ${rss(numbered(1))}`, 'http://x.example/').items).toHaveLength(1);
  });
});

describe('decodeFeedBody', () => {
  const latin = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>'), Buffer.from([0x43, 0x61, 0x66, 0xe9]), Buffer.from('</title></channel></rss>')]);
  it('follows the BOM, then the HTTP charset, then the XML declaration', () => {
    expect(parseFeedItems(decodeFeedBody(latin), 'u').title).toBe('Café');
    expect(decodeFeedBody(Buffer.from('<a>é</a>'), 'utf-8')).toBe('<a>é</a>');
    expect(decodeFeedBody(Buffer.from('\uFEFF<a>é</a>'), 'iso-8859-1')).toBe('<a>é</a>');
    expect(decodeFeedBody(Buffer.from('<a>é</a>'), 'no-such-charset')).toBe('<a>é</a>');
  });
});

type Route = { body: string; type?: string; etag?: string; lastModified?: string };

/** A feed site on 127.0.0.1 that honours If-None-Match / If-Modified-Since like a real server. */
class FeedSite {
  readonly routes = new Map<string, Route>();
  readonly requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  private server?: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.requests.push({ path, headers: req.headers });
      const route = this.routes.get(path);
      if (!route) return void res.writeHead(404).end();
      const headers: Record<string, string> = { 'content-type': route.type ?? 'application/rss+xml; charset=utf-8' };
      if (route.etag) headers.etag = route.etag;
      if (route.lastModified) headers['last-modified'] = route.lastModified;
      const match = req.headers['if-none-match'] ? req.headers['if-none-match'] === route.etag : route.lastModified !== undefined && req.headers['if-modified-since'] === route.lastModified;
      if (match) return void res.writeHead(304, headers).end();
      res.writeHead(200, headers).end(route.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop = (): Promise<void> => new Promise((resolve) => this.server?.close(() => resolve()));
}

/** Records every call; answers by URL from `outcomes` (default: added, id from the URL). */
function corpus(outcomes: Record<string, AddArticleResult | Error> = {}) {
  const calls: string[] = [];
  const addArticle = async (item: FeedItem): Promise<AddArticleResult> => {
    calls.push(item.url);
    const outcome = outcomes[new URL(item.url).pathname];
    if (outcome instanceof Error) throw outcome;
    return outcome ?? { id: `doc${new URL(item.url).pathname.replaceAll('/', '-')}.md` };
  };
  return { calls, addArticle };
}

describe('pollFeeds against a loopback feed site', () => {
  const site = new FeedSite();
  let store: FeedStore;
  beforeAll(() => site.start());
  afterAll(() => site.stop());
  beforeEach(() => {
    store = new SqliteFeedStore(openDatabase(':memory:'));
    site.routes.clear();
    site.requests.length = 0;
  });
  const deps = (addArticle: FeedPollerDeps['addArticle'], allowPrivate = true): FeedPollerDeps => ({ store, fetch: fetchUrl, allowPrivate, addArticle });

  it('sends the validators back, adds nothing on a 304, and adds only the item a feed gains, once', async () => {
    site.routes.set('/feed', { body: rss(numbered(2)), etag: '"v1"', lastModified: 'Mon, 02 Mar 2026 10:00:00 GMT' });
    const feed = (await store.add(`${site.base}/feed`, 'U1')).feed;
    const c = corpus();
    const first = await pollFeeds(deps(c.addArticle));
    expect(first.feeds).toEqual([{ feedId: feed.id, url: feed.url, status: 'ok', added: ['doc-a-1.md', 'doc-a-2.md'], duplicates: 0, failed: 0, skipped: 0 }]);
    expect(await store.get(feed.id)).toMatchObject({ title: 'Test feed', etag: '"v1"', lastModified: 'Mon, 02 Mar 2026 10:00:00 GMT' });
    expect(site.requests[0]?.headers.accept).toContain('application/atom+xml');

    const second = await pollFeeds(deps(c.addArticle));
    expect(site.requests[1]?.headers).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'Mon, 02 Mar 2026 10:00:00 GMT' });
    expect(second.feeds[0]).toMatchObject({ status: 'not_modified', added: [] });

    site.routes.set('/feed', { body: rss(numbered(3)), etag: '"v2"' });
    expect((await pollFeeds(deps(c.addArticle))).feeds[0]?.added).toEqual(['doc-a-3.md']);
    site.routes.set('/feed', { body: rss(numbered(3), 'Renamed'), etag: '"v3"' });
    expect((await pollFeeds(deps(c.addArticle))).feeds[0]).toMatchObject({ status: 'ok', added: [] });
    expect(c.calls).toEqual([1, 2, 3].map((n) => `${site.base}/a/${n}`));
    expect(await store.get(feed.id)).toMatchObject({ title: 'Renamed', etag: '"v3"' });
    expect((await store.get(feed.id))?.lastModified).toBeUndefined();
  });

  it('records a broken feed as its last error and still polls the others', async () => {
    site.routes.set('/broken', { body: rss(numbered(2)).slice(0, -20) });
    site.routes.set('/page', { body: '<!doctype html><html><body>Not a feed</body></html>', type: 'text/html; charset=utf-8' });
    site.routes.set('/page-as-xml', { body: '<!doctype html><html><body>Not a feed</body></html>', type: 'text/xml' });
    site.routes.set('/good', { body: rss(numbered(1)) });
    for (const p of ['/broken', '/page', '/page-as-xml', '/missing', '/good']) await store.add(`${site.base}${p}`, 'U1');
    const c = corpus();
    const report = await pollFeeds(deps(c.addArticle));
    expect(report.feeds.map((f) => [f.status, f.error])).toEqual([
      ['failed', expect.stringMatching(/\/broken is not well-formed XML/)],
      ['failed', expect.stringMatching(/sent text\/html, and only application\/rss\+xml/)],
      ['failed', expect.stringMatching(/\/page-as-xml is a web page/)],
      ['failed', expect.stringMatching(/answered 404/)],
      ['ok', undefined],
    ]);
    expect((await store.list()).map((f) => f.lastError === undefined)).toEqual([false, false, false, false, true]);
    expect(c.calls).toEqual([`${site.base}/a/1`]);
  });

  it('retries an item the corpus could not add on later polls, then gives up on it', async () => {
    site.routes.set('/feed', { body: rss(numbered(2)), etag: '"v1"' });
    const feed = (await store.add(`${site.base}/feed`, 'U1')).feed;
    const c = corpus({ '/a/2': { error: 'fetch_status: 503' } });
    for (let poll = 1; poll <= FEED_ITEM_RETRIES + 1; poll++) {
      const result = (await pollFeeds(deps(c.addArticle))).feeds[0];
      expect(result).toMatchObject({ status: 'ok', failed: 1, added: poll === 1 ? ['doc-a-1.md'] : [] });
      // Validators withheld while a retry is pending, or the 304 would hide the item.
      expect(site.requests.at(-1)?.headers['if-none-match']).toBeUndefined();
    }
    expect(await store.getItem(feed.id, 'g-2')).toMatchObject({ state: 'failed', error: 'fetch_status: 503', attempts: FEED_ITEM_RETRIES + 1 });
    // Given up: the validators are sent again, and a changed feed does not revive the item.
    expect((await pollFeeds(deps(c.addArticle))).feeds[0]?.status).toBe('not_modified');
    site.routes.set('/feed', { body: rss(numbered(2), 'Renamed'), etag: '"v2"' });
    expect((await pollFeeds(deps(c.addArticle))).feeds[0]).toMatchObject({ status: 'ok', failed: 0, added: [] });
    expect(c.calls.filter((u) => u.endsWith('/a/2'))).toHaveLength(FEED_ITEM_RETRIES + 1);
  });

  it('counts a throwing addArticle as a failure (message kept only when user-safe) and a duplicate as skipped', async () => {
    site.routes.set('/feed', { body: rss(numbered(3)) });
    const feed = (await store.add(`${site.base}/feed`, 'U1')).feed;
    const c = corpus({ '/a/1': new Error('db is locked at /secret/path'), '/a/2': safe('fetch_timeout', 'Timed out.'), '/a/3': { duplicate: 'old.md' } });
    expect((await pollFeeds(deps(c.addArticle))).feeds[0]).toMatchObject({ added: [], failed: 2, duplicates: 1 });
    expect((await store.getItem(feed.id, 'g-1'))?.error).toBe('Unexpected error (details are in the log).');
    expect((await store.getItem(feed.id, 'g-2'))?.error).toBe('Timed out.');
    expect(await store.getItem(feed.id, 'g-3')).toMatchObject({ state: 'skipped', addedDoc: 'old.md' });
  });

  it(`adds only the newest ${FIRST_POLL_ITEMS} items of a new feed's back-catalogue, oldest first`, async () => {
    site.routes.set('/feed', { body: rss(numbered(12)) });
    const feed = (await store.add(`${site.base}/feed`, 'U1')).feed;
    const c = corpus();
    const first = (await pollFeeds(deps(c.addArticle))).feeds[0];
    expect(first).toMatchObject({ added: ['8', '9', '10', '11', '12'].map((n) => `doc-a-${n}.md`), skipped: 12 - FIRST_POLL_ITEMS });
    expect(await store.getItem(feed.id, 'g-1')).toMatchObject({ state: 'skipped', error: expect.stringMatching(/back-catalogue/) });
    site.routes.set('/feed', { body: rss(numbered(13)) });
    expect((await pollFeeds(deps(c.addArticle))).feeds[0]).toMatchObject({ added: ['doc-a-13.md'], skipped: 0 });
    expect(c.calls).toHaveLength(FIRST_POLL_ITEMS + 1);
  });

  it('polls one feed when asked, refuses an unknown one, and fetches nothing private unless allowed', async () => {
    site.routes.set('/one', { body: rss(numbered(1)) });
    site.routes.set('/two', { body: rss(numbered(1)) });
    await store.add(`${site.base}/one`, 'U1');
    const two = (await store.add(`${site.base}/two`, 'U1')).feed;
    const c = corpus();
    expect((await pollFeeds(deps(c.addArticle), two.id)).feeds.map((f) => f.feedId)).toEqual([two.id]);
    await expect(pollFeeds(deps(c.addArticle), 99)).rejects.toMatchObject({ code: 'feed_unknown', userSafe: true });
    site.requests.length = 0;
    const refused = await pollFeeds(deps(c.addArticle, false));
    expect(refused.feeds.map((f) => f.status)).toEqual(['failed', 'failed']);
    expect(site.requests).toEqual([]);
  });
});

describe('startFeedPoller', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls on its schedule, never two polls at once, and stops', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T09:59:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const store = new SqliteFeedStore(openDatabase(':memory:'));
    await store.add('https://feeds.example/rss', 'U1');
    let release!: () => void;
    const fetches: Date[] = [];
    const fetch = async (url: string): Promise<Fetched> => {
      fetches.push(new Date());
      await new Promise<void>((resolve) => (release = resolve));
      return { url, status: 200, contentType: 'application/rss+xml', body: Buffer.from(rss(numbered(1))) };
    };
    const c = corpus();
    const poller = startFeedPoller({ store, fetch, allowPrivate: false, addArticle: c.addArticle }, { schedule: '*/30 * * * *', timezone: 'UTC' });
    await vi.advanceTimersByTimeAsync(60_000); // 10:00: the first poll starts and hangs in its fetch
    expect(fetches.map((d) => d.toISOString())).toEqual(['2026-03-02T10:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(30 * 60_000); // 10:30: still running, so skipped
    const joined = poller.pollNow(); // joins the running poll rather than starting another
    expect(fetches).toHaveLength(1);
    release();
    expect((await joined).feeds[0]?.added).toEqual(['doc-a-1.md']);
    await vi.advanceTimersByTimeAsync(30 * 60_000); // 11:00
    expect(fetches).toHaveLength(2);
    release();
    await vi.advanceTimersByTimeAsync(0);
    poller.stop();
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000);
    expect(fetches).toHaveLength(2);
    expect(c.calls).toHaveLength(1);
  });

  it('abandons a poll stopped mid-fetch and records nothing, so the next start redoes it', async () => {
    const store = new SqliteFeedStore(openDatabase(':memory:'));
    const feed = (await store.add('https://feeds.example/rss', 'U1')).feed;
    const hang = (_url: string, o: { signal?: AbortSignal }) => new Promise<Fetched>((_, reject) => o.signal?.addEventListener('abort', () => reject(o.signal?.reason)));
    const poller = startFeedPoller({ store, fetch: hang, allowPrivate: false, addArticle: corpus().addArticle });
    const poll = poller.pollNow();
    poller.stop();
    expect((await poll).feeds).toEqual([]);
    expect(await store.get(feed.id)).toEqual(feed);
  });
});
