// The editable corpus as every edge uses it (SourceDesk): additions and removals through the
// Library, feeds through their store and poller, and after each change the running index told to
// take the folder in (`refresh`, the pool's reload), so the editor's reply can say the new analysis
// is answerable now. Feed items are added through the same Library, so a feed never adds what an
// editor already did, and the other way round.
import type { Logger } from '../log.js';
import type { FeedRecord, FeedStore } from '../store/feeds.js';
import { decodeFeedBody, parseFeedItems } from './feed-parse.js';
import { FEED_CONTENT_TYPES, pollFeeds, startFeedPoller, type AddArticleResult, type FeedPoller, type FeedPollerDeps } from './feed-poller.js';
import { fetchUrl } from './fetch.js';
import type { Library } from './library.js';
import type { AddOutcome, AddRequest, AddedBy, FeedInfo, FeedPollSummary, RemovedSource, SourceDesk } from './types.js';

export interface CorpusDeskOptions {
  library: Library;
  feeds: FeedStore;
  /** BRIEFBOT_ALLOW_PRIVATE_URLS. */
  allowPrivate: boolean;
  fetch?: typeof fetchUrl;
  /** Takes the corpus folder in now (the running bot's reload); absent in a one-shot command, where the next start does. */
  refresh?: () => Promise<unknown>;
  /** Told of each document written or removed, before `refresh` (PostgreSQL mode shares it with the other replicas). */
  changed?: (id: string) => Promise<void>;
  logger?: Logger;
}

function feedInfo(f: FeedRecord): FeedInfo {
  return { id: f.id, url: f.url, title: f.title ?? '', addedBy: f.addedBy, addedAt: f.addedAt, ...(f.lastPolledAt ? { lastPolledAt: f.lastPolledAt } : {}), ...(f.lastError ? { lastError: f.lastError } : {}) };
}

export class CorpusDesk implements SourceDesk {
  private readonly fetch: typeof fetchUrl;
  private poller?: FeedPoller;

  constructor(private readonly options: CorpusDeskOptions) {
    this.fetch = options.fetch ?? fetchUrl;
  }

  /** True once the running index answers from the folder as it is now; false with no index to tell, or when it failed (logged). */
  private async refreshed(): Promise<boolean> {
    if (!this.options.refresh) return false;
    try {
      await this.options.refresh();
      return true;
    } catch (err) {
      this.options.logger?.error({ err: String(err) }, 'sources: the corpus changed but could not be re-indexed; answers still come from the previous state');
      return false;
    }
  }

  async add(request: AddRequest): Promise<AddOutcome> {
    const out = await this.options.library.add(request);
    if (out.kind === 'duplicate') return out;
    this.options.logger?.info({ id: out.added.id, by: request.by, url: out.added.url }, 'sources: analysis added');
    await this.options.changed?.(out.added.id);
    return { ...out, live: await this.refreshed() };
  }

  async remove(id: string, by: AddedBy): Promise<RemovedSource> {
    const removed = this.options.library.remove(id);
    this.options.logger?.info({ id: removed.id, by }, 'sources: analysis removed');
    await this.options.changed?.(removed.id);
    return { ...removed, live: await this.refreshed() };
  }

  /** Follows a feed once it has been fetched and read as RSS or Atom: a wrong link is refused now, not found out at the next poll. */
  async addFeed(url: string, by: AddedBy): Promise<{ feed: FeedInfo; created: boolean }> {
    const known = await this.options.feeds.find(url);
    if (known) return { feed: feedInfo(known), created: false };
    const page = await this.fetch(url, { allowPrivate: this.options.allowPrivate, accept: FEED_CONTENT_TYPES });
    const parsed = parseFeedItems(decodeFeedBody(page.body, page.charset), page.url);
    const { feed, created } = await this.options.feeds.add(url, by);
    if (created) {
      await this.options.feeds.recordPoll(feed.id, { title: parsed.title });
      // Its newest articles are added in the background; the reply need not wait for them.
      void this.pollFeeds(feed.id).catch((err) => this.options.logger?.warn({ err: String(err), feed: feed.url }, 'sources: first poll of a new feed failed'));
    }
    return { feed: feedInfo((await this.options.feeds.get(feed.id)) ?? feed), created };
  }

  async feeds(): Promise<FeedInfo[]> {
    return (await this.options.feeds.list()).map(feedInfo);
  }

  async removeFeed(idOrUrl: string): Promise<FeedInfo | undefined> {
    const key = /^\d+$/.test(idOrUrl.trim()) ? Number(idOrUrl.trim()) : idOrUrl;
    const removed = await this.options.feeds.remove(key);
    return removed ? feedInfo(removed) : undefined;
  }

  private pollerDeps(): FeedPollerDeps {
    return {
      store: this.options.feeds,
      fetch: this.fetch,
      allowPrivate: this.options.allowPrivate,
      logger: this.options.logger,
      addArticle: async (item, feed): Promise<AddArticleResult> => {
        const out = await this.options.library.add({ url: item.url, by: `feed:${feed.url}` });
        if (out.kind === 'duplicate') return { duplicate: out.id };
        await this.options.changed?.(out.added.id);
        return { id: out.added.id };
      },
    };
  }

  async pollFeeds(only?: number): Promise<FeedPollSummary[]> {
    const report = only === undefined && this.poller ? await this.poller.pollNow() : await pollFeeds(this.pollerDeps(), only);
    if (report.feeds.some((f) => f.added.length)) await this.refreshed();
    return report.feeds;
  }

  /** Polls every feed on a schedule (a cron pattern) until `stop()`; the corpus watcher takes in what each poll adds. */
  startPolling(schedule: string, timezone?: string): FeedPoller {
    this.poller = startFeedPoller(this.pollerDeps(), { schedule, timezone });
    return this.poller;
  }
}
