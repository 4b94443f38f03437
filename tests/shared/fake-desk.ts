// A SourceDesk for the chat adapters' tests: records every call and answers the way the real desk
// (src/sources/desk.ts) does by contract: outcomes for what worked, user-safe CodedErrors for what the
// user can fix. A test overrides one method's answer (`answer`), makes the next calls fail (`failNext`),
// or holds adds until it lets them go (`hold`), to see what the person sees while one is slow.
import { CodedError } from '../../src/errors.js';
import type { AddOutcome, AddRequest, AddedBy, FeedInfo, FeedPollSummary, RemovedSource, SourceDesk } from '../../src/sources/types.js';

export type DeskCall =
  | { method: 'add'; request: AddRequest }
  | { method: 'remove'; id: string; by: AddedBy }
  | { method: 'addFeed'; url: string; by: AddedBy }
  | { method: 'feeds' }
  | { method: 'removeFeed'; idOrUrl: string }
  | { method: 'pollFeeds'; only?: number };

type Method = DeskCall['method'];

/** What the desk added for any request, unless a test says otherwise. */
export const ADDED = {
  id: 'added/2026-03-10-inspectors-return.md',
  title: 'Inspectors Return to Fordow',
  source: 'Tidewater Gulf Monitor',
  published: '2026-03-10',
  url: 'https://news.example/inspectors',
  sections: ['Inspectors Return to Fordow', 'What the IAEA found', 'Next steps'],
  bytes: 12_800,
};

export const userError = (code: string, message: string) => new CodedError(code, message, { userSafe: true });

export class FakeDesk implements SourceDesk {
  readonly calls: DeskCall[] = [];
  readonly feedList: FeedInfo[] = [];
  /** Documents `remove` knows, by id. */
  readonly documents = new Map<string, string>([[ADDED.id, ADDED.title]]);
  private readonly failures = new Map<Method, unknown[]>();
  private readonly overrides = new Map<Method, (...args: any[]) => unknown>();
  private held: Promise<void> | undefined;
  private waiting: Array<() => void> = [];
  private nextFeedId = 1;

  /** Replaces one method's answer until reset. */
  answer(method: Method, fn: (...args: any[]) => unknown): void {
    this.overrides.set(method, fn);
  }

  /** The next calls to `method` throw these, in order. */
  failNext(method: Method, ...errors: unknown[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  /** Holds every add until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }

  /** Resolves once `n` calls to `method` were made. */
  waitForCall(method: Method, n = 1): Promise<DeskCall> {
    const found = () => this.calls.filter((c) => c.method === method)[n - 1];
    return new Promise((resolve) => {
      const check = () => {
        const call = found();
        if (!call) return false;
        resolve(call);
        return true;
      };
      if (!check()) this.waiting.push(() => void check());
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.clear();
    this.overrides.clear();
  }

  private record(call: DeskCall): void {
    this.calls.push(call);
    for (const w of this.waiting.splice(0)) w();
  }

  private run<T>(method: Method, args: unknown[], fallback: () => T): T {
    const error = this.failures.get(method)?.shift();
    if (error !== undefined) throw error;
    const custom = this.overrides.get(method);
    return custom ? (custom(...args) as T) : fallback();
  }

  async add(request: AddRequest): Promise<AddOutcome> {
    this.record({ method: 'add', request });
    if (this.held) await this.held;
    return this.run('add', [request], () => ({ kind: 'added', added: { ...ADDED, ...('url' in request ? { url: request.url } : {}) }, live: true }));
  }

  async remove(id: string, by: AddedBy): Promise<RemovedSource> {
    this.record({ method: 'remove', id, by });
    return this.run('remove', [id, by], () => {
      const title = this.documents.get(id);
      if (!title) throw userError('source_unknown', `No document has the id “${id}”; \`sources\` lists them.`);
      return { id, title, live: true };
    });
  }

  async addFeed(url: string, by: AddedBy): Promise<{ feed: FeedInfo; created: boolean }> {
    this.record({ method: 'addFeed', url, by });
    return this.run('addFeed', [url, by], () => {
      const existing = this.feedList.find((f) => f.url === url);
      if (existing) return { feed: existing, created: false };
      const feed: FeedInfo = { id: this.nextFeedId++, url, title: '', addedBy: by, addedAt: '2026-03-10T09:00:00.000Z' };
      this.feedList.push(feed);
      return { feed, created: true };
    });
  }

  async feeds(): Promise<FeedInfo[]> {
    this.record({ method: 'feeds' });
    return this.run('feeds', [], () => [...this.feedList]);
  }

  async removeFeed(idOrUrl: string): Promise<FeedInfo | undefined> {
    this.record({ method: 'removeFeed', idOrUrl });
    return this.run('removeFeed', [idOrUrl], () => {
      const at = this.feedList.findIndex((f) => String(f.id) === idOrUrl || f.url === idOrUrl);
      return at < 0 ? undefined : this.feedList.splice(at, 1)[0];
    });
  }

  async pollFeeds(only?: number): Promise<FeedPollSummary[]> {
    this.record({ method: 'pollFeeds', only });
    return this.run('pollFeeds', [only], () =>
      this.feedList.map((f) => ({ feedId: f.id, url: f.url, status: 'ok' as const, added: [], duplicates: 0, failed: 0 })),
    );
  }
}
