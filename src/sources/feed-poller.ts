// Polls every feed (one at a time, so a slow site delays the others but a poll never opens dozens
// of connections at once) and hands each new item to `addArticle`, which puts the article in the
// corpus. What was done with every item is recorded, so a restart or a second process on the same
// DATA_DIR does not add an item twice (and if two processes race on one item, the corpus's own
// duplicate check answers the second).
import { Cron } from 'croner';
import { DEFAULT_FEED_SCHEDULE } from '../config.js';
import { describeError, isUserSafe } from '../errors.js';
import type { Logger } from '../log.js';
import type { FeedRecord, FeedStore } from '../store/feeds.js';
import { decodeFeedBody, FeedError, parseFeedItems, type FeedItem } from './feed-parse.js';
import type { fetchUrl } from './fetch.js';
import type { FeedPollSummary } from './types.js';

/**
 * Items added from a feed's first poll. A feed's document lists its whole recent back-catalogue
 * (often 20 to 50 articles); adding it all would bury the corpus's current analyses under old
 * ones the moment someone adds a feed. So the first poll adds only this many of the newest and
 * records the rest as skipped; from then on every new item is added.
 */
export const FIRST_POLL_ITEMS = 5;

/** What feeds are served as; an HTML page in their place is refused by the fetch. */
export const FEED_CONTENT_TYPES = [
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/xml',
  'text/xml',
] as const;

export type AddArticleResult = { id: string } | { duplicate: string } | { error: string };

export interface FeedPollerDeps {
  store: FeedStore;
  fetch: typeof fetchUrl;
  /** BRIEFBOT_ALLOW_PRIVATE_URLS: lets feeds on loopback and private addresses be fetched. */
  allowPrivate: boolean;
  /** Adds the item's article to the corpus. A throw counts as `{ error }`. */
  addArticle: (item: FeedItem, feed: FeedRecord) => Promise<AddArticleResult>;
  logger?: Logger;
  now?: () => Date;
  /** Aborting stops a poll between requests; what was not finished is picked up next time. */
  signal?: AbortSignal;
}

export interface FeedPollResult extends FeedPollSummary {
  /** Items recorded as skipped without trying: the back-catalogue of a first poll. */
  skipped: number;
}

export interface PollReport {
  startedAt: Date;
  finishedAt: Date;
  feeds: FeedPollResult[];
}

/**
 * Polls every feed, or only the one with id `only` (a user-safe `FeedError` `feed_unknown` when
 * there is none). One feed failing is recorded as its `lastError` and never stops the others.
 */
export async function pollFeeds(deps: FeedPollerDeps, only?: number): Promise<PollReport> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  let feeds: FeedRecord[];
  if (only === undefined) {
    feeds = await deps.store.list();
  } else {
    const feed = await deps.store.get(only);
    if (!feed) throw new FeedError('feed_unknown', `There is no feed ${only}.`);
    feeds = [feed];
  }
  const results: FeedPollResult[] = [];
  for (const feed of feeds) {
    if (deps.signal?.aborted) break;
    const result = await pollFeed(deps, feed);
    if (result) results.push(result);
  }
  return { startedAt, finishedAt: now(), feeds: results };
}

/** Undefined when the poll was aborted part-way: nothing is recorded, so it is simply redone. */
async function pollFeed(deps: FeedPollerDeps, feed: FeedRecord): Promise<FeedPollResult | undefined> {
  const result: FeedPollResult = { feedId: feed.id, url: feed.url, status: 'ok', added: [], duplicates: 0, failed: 0, skipped: 0 };
  const log = deps.logger?.child({ feed: feed.id, url: feed.url });
  let fetched: Awaited<ReturnType<typeof fetchUrl>>;
  let items: FeedItem[];
  let title: string;
  try {
    fetched = await deps.fetch(feed.url, {
      allowPrivate: deps.allowPrivate,
      accept: FEED_CONTENT_TYPES,
      etag: feed.etag,
      lastModified: feed.lastModified,
      signal: deps.signal,
    });
    if (fetched.status === 304) {
      // Some servers send the validators again with a 304, some do not; the old ones still hold.
      await deps.store.recordPoll(feed.id, { etag: fetched.etag ?? feed.etag, lastModified: fetched.lastModified ?? feed.lastModified });
      return { ...result, status: 'not_modified' };
    }
    ({ title, items } = parseFeedItems(decodeFeedBody(fetched.body, fetched.charset), fetched.url));
  } catch (err) {
    if (deps.signal?.aborted) return undefined;
    const error = failureText(err, log);
    // The validators still describe the last document read in full, so a 304 stays truthful.
    await deps.store.recordPoll(feed.id, { etag: feed.etag, lastModified: feed.lastModified, error });
    if (isUserSafe(err)) log?.warn({ err: describeError(err) }, 'feed poll failed');
    return { ...result, status: 'failed', error };
  }

  const seen = await Promise.all(items.map((item) => deps.store.isSeen(feed.id, item.key)));
  const fresh = items.filter((_, i) => !seen[i]);
  const firstPoll = !(await deps.store.hasItems(feed.id));
  // Items come newest first; the back-catalogue is everything past the newest few.
  const backCatalogue = firstPoll ? fresh.slice(FIRST_POLL_ITEMS) : [];
  for (const item of backCatalogue) {
    await deps.store.markItem(feed.id, item.key, { url: item.url, state: 'skipped', error: 'back-catalogue: older than the newest items of the first poll' });
    result.skipped++;
  }
  let retryLater = false;
  // Oldest first, so the corpus receives the articles in the order they were published.
  for (const item of fresh.slice(0, firstPoll ? FIRST_POLL_ITEMS : undefined).reverse()) {
    if (deps.signal?.aborted) return undefined;
    const outcome = await addOne(deps, item, feed, log);
    if ('id' in outcome) {
      await deps.store.markItem(feed.id, item.key, { url: item.url, state: 'added', addedDoc: outcome.id });
      result.added.push(outcome.id);
    } else if ('duplicate' in outcome) {
      await deps.store.markItem(feed.id, item.key, { url: item.url, state: 'skipped', addedDoc: outcome.duplicate, error: 'duplicate' });
      result.duplicates++;
    } else {
      await deps.store.markItem(feed.id, item.key, { url: item.url, state: 'failed', error: outcome.error });
      result.failed++;
      if (!(await deps.store.isSeen(feed.id, item.key))) retryLater = true;
      log?.warn({ item: item.url, error: outcome.error }, 'feed item not added');
    }
  }
  // With validators stored, the next poll would get a 304 and never retry a failed item until the
  // feed changed; without them it fetches the document in full and finds the item again.
  await deps.store.recordPoll(
    feed.id,
    retryLater ? { title } : { etag: fetched.etag, lastModified: fetched.lastModified, title },
  );
  if (result.added.length || result.failed) {
    log?.info({ added: result.added.length, duplicates: result.duplicates, failed: result.failed }, 'feed polled');
  }
  return result;
}

async function addOne(deps: FeedPollerDeps, item: FeedItem, feed: FeedRecord, log: Logger | undefined): Promise<AddArticleResult> {
  try {
    return await deps.addArticle(item, feed);
  } catch (err) {
    return { error: failureText(err, log) };
  }
}

// A user-safe message (a FetchError, a FeedError) is what editors see in `feeds list`; anything
// else is a bug, whose details belong in the log rather than in a chat reply.
function failureText(err: unknown, log: Logger | undefined): string {
  if (isUserSafe(err)) return err.message;
  log?.error({ err: describeError(err) }, 'unexpected error while polling a feed');
  return 'Unexpected error (details are in the log).';
}

export interface FeedPollerOptions {
  /** Cron pattern; default every 30 minutes. */
  schedule?: string;
  /** IANA zone the pattern is read in; default the process's. */
  timezone?: string;
}

export interface FeedPoller {
  /** Stops the schedule and abandons a poll in progress between requests. */
  stop(): void;
  /** Polls every feed now; while a poll is already running, resolves with that one's report. */
  pollNow(): Promise<PollReport>;
}

/** Polls on a croner schedule. Polls never overlap, whether scheduled or asked for. */
export function startFeedPoller(deps: FeedPollerDeps, options: FeedPollerOptions = {}): FeedPoller {
  const stopping = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, stopping.signal]) : stopping.signal;
  const pollDeps: FeedPollerDeps = { ...deps, signal };
  let running: Promise<PollReport> | undefined;
  const pollNow = (): Promise<PollReport> => {
    // croner's `protect` covers scheduled runs only (trigger() bypasses it), hence this guard too.
    running ??= pollFeeds(pollDeps).finally(() => {
      running = undefined;
    });
    return running;
  };
  // Returning the promise is what lets `protect` skip a run while the previous one is unfinished.
  const cron = new Cron(
    options.schedule ?? DEFAULT_FEED_SCHEDULE,
    {
      protect: true,
      timezone: options.timezone,
      catch: (err) => deps.logger?.error({ err: describeError(err) }, 'feed poll failed'),
    },
    () => pollNow().then(() => undefined),
  );
  return {
    stop() {
      cron.stop();
      stopping.abort();
    },
    pollNow,
  };
}
