// Posts each subscribed channel's digest at its local time, once a day.
//
// All the work is in `tick(now)`: for every subscription it finds the latest scheduled instant
// (croner, in the subscription's zone), and if that day has no row in digest_sends yet it posts
// (less than `catchUpMs` late) or records the day as skipped (later than that). In production a
// croner job calls `tick` at the top of every minute; tests call `tick` with whatever instant they
// like. Ticking every minute rather than arming one timer per subscription means a subscription
// made by another process on the same DATA_DIR (or another replica on the same PostgreSQL) is
// picked up without any signalling, and a tick that runs late or twice, or on every replica, is
// harmless: the claim in digest_sends decides who posts.
import { Cron } from 'croner';
import type { Logger } from '../log.js';
import type { DigestSend, DigestSendStore } from '../store/digest-sends.js';
import type { Stores } from '../store/stores.js';
import type { Subscription, SubscriptionStore } from '../store/subscriptions.js';
import {
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_DELAYS_MS,
  deliverDigest,
  realSleep,
  worstCaseRetryMs,
  type DeliveryDeps,
  type DeliveryResult,
  type DigestProducer,
  type Sleep,
} from './deliver.js';
import type { DigestPoster } from './poster.js';
import { localDate, nextSlot, SlotCache } from './schedule.js';

export const DEFAULT_CATCH_UP_MS = 6 * 60 * 60_000;
export const DEFAULT_STALE_CLAIM_MS = 60 * 60_000;
/** A post this close to its scheduled time is "scheduled"; later ones are logged as catch-up. */
const ON_TIME_MS = 5 * 60_000;

export interface DigestSchedulerOptions {
  /** Where subscriptions and the once-a-day claims are kept (openStores; DIGEST_TIME / DIGEST_TZ are its subscription defaults). */
  stores: Pick<Stores, 'subscriptions' | 'digestSends'>;
  /** `Briefing` (or anything with its `digest` and `documentHashes`). */
  producer: DigestProducer;
  /** One per platform running in this process; subscriptions of other platforms are left alone. */
  posters: DigestPoster[];
  logger: Logger;
  /** Default: the real clock. */
  now?: () => Date;
  /** Default: a real timer. Tests pass one that advances their fake clock instead. */
  sleep?: Sleep;
  /** Waits between attempts; its length + 1 is the number of attempts. Default 30 s, 2 min, 8 min. */
  retryDelaysMs?: readonly number[];
  /** Cap on a platform's "retry after". Default 15 min. */
  maxRetryAfterMs?: number;
  /** How late a day's digest may still go out (bot was down at the time). Default 6 h. */
  catchUpMs?: number;
  /** A claim older than this with no outcome is recorded "unknown" (never re-posted). Default 1 h. */
  staleClaimMs?: number;
}

export interface TickReport {
  at: Date;
  deliveries: DeliveryResult[];
  /** Days recorded as skipped by this tick (too late to catch up). */
  skipped: { platform: string; channelId: string; localDate: string; lateMs: number }[];
  /** Claims this tick found abandoned and recorded as "unknown". */
  abandoned: DigestSend[];
}

export interface ChannelDigestStatus {
  subscription?: Subscription;
  nextRun?: Date;
  recent: DigestSend[];
}

export class DigestScheduler {
  readonly subscriptions: SubscriptionStore;
  readonly sends: DigestSendStore;
  private readonly now: () => Date;
  private readonly deliveryDeps: DeliveryDeps;
  private readonly catchUpMs: number;
  private readonly staleClaimMs: number;
  private readonly logger: Logger;
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly slots = new SlotCache();
  private cron?: Cron;

  constructor(options: DigestSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger.child({ component: 'digest-scheduler' });
    this.catchUpMs = options.catchUpMs ?? DEFAULT_CATCH_UP_MS;
    this.staleClaimMs = options.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS;
    const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    // A live sender must never look abandoned, or its claim would be swept while it still posts.
    if (this.staleClaimMs <= worstCaseRetryMs(retryDelaysMs, maxRetryAfterMs)) {
      throw new RangeError('staleClaimMs must exceed the longest possible retry schedule');
    }
    this.subscriptions = options.stores.subscriptions;
    this.sends = options.stores.digestSends;
    const posters = new Map<string, DigestPoster>();
    for (const p of options.posters) {
      if (posters.has(p.platform)) throw new Error(`two digest posters for platform "${p.platform}"`);
      posters.set(p.platform, p);
    }
    this.deliveryDeps = {
      producer: options.producer,
      posters,
      subscriptions: this.subscriptions,
      sends: this.sends,
      logger: this.logger,
      now: this.now,
      sleep: options.sleep ?? realSleep,
      retryDelaysMs,
      maxRetryAfterMs,
      signal: this.stopping.signal,
    };
  }

  /**
   * Does everything due at `now`: records abandoned claims, posts digests that are due (including
   * catch-up after downtime), records days too late to post. Resolves when every post it started
   * has been sent or recorded as failed.
   */
  async tick(now: Date = this.now()): Promise<TickReport> {
    const report: TickReport = { at: now, deliveries: [], skipped: [], abandoned: [] };
    report.abandoned = await this.sends.expireStaleClaims(new Date(now.getTime() - this.staleClaimMs), now);
    for (const a of report.abandoned) {
      this.logger.warn(
        { platform: a.platform, channel: a.channelId, date: a.localDate, claimedBy: a.claimedBy, claimedAt: a.claimedAt },
        'digest claim abandoned between claim and post; recorded as unknown and not re-posted',
      );
    }

    const sends: Promise<DeliveryResult>[] = [];
    for (const sub of await this.subscriptions.list()) {
      if (!this.deliveryDeps.posters.has(sub.platform)) continue;
      const slot = this.slots.latest(sub, now);
      // A time that passed before the channel subscribed (or changed its time) is not owed.
      if (!slot || slot.getTime() < Date.parse(sub.updatedAt)) continue;
      const key = { platform: sub.platform, channelId: sub.channelId, localDate: localDate(slot, sub.timeZone) };
      if (await this.sends.get(key)) continue; // cheap pre-check; the claim below is what decides
      const lateMs = now.getTime() - slot.getTime();
      if (lateMs >= this.catchUpMs) {
        const reason = `not posted: ${formatDuration(lateMs)} after its ${sub.time} ${sub.timeZone} time (catch-up limit ${formatDuration(this.catchUpMs)})`;
        if (await this.sends.recordSkip(key, reason, now)) {
          report.skipped.push({ ...key, lateMs });
          this.logger.warn({ platform: key.platform, channel: key.channelId, date: key.localDate, lateMs }, `digest skipped: ${reason}`);
        }
        continue;
      }
      sends.push(deliverDigest(this.deliveryDeps, sub, key.localDate, lateMs < ON_TIME_MS ? 'scheduled' : 'catch-up'));
    }
    report.deliveries = await Promise.all(sends);
    return report;
  }

  /**
   * Posts today's digest (each channel's own local date) to every subscribed channel, or to the
   * one channel `only` names, through the same claim: a channel that already has today's digest
   * gets nothing. Channels of platforms without a poster here are reported as "no-poster".
   */
  async postNow(now: Date = this.now(), only?: { platform: string; channelId: string }): Promise<DeliveryResult[]> {
    const run = async () => {
      const subs = only
        ? [await this.subscriptions.get(only.platform, only.channelId)].filter((s): s is Subscription => s !== undefined)
        : await this.subscriptions.list();
      return Promise.all(subs.map((sub) => deliverDigest(this.deliveryDeps, sub, localDate(now, sub.timeZone), 'manual')));
    };
    return this.track(run());
  }

  /** What a `status` command shows: the subscription, its next run, its latest sends (newest first). */
  async status(platform: string, channelId: string, now: Date = this.now()): Promise<ChannelDigestStatus> {
    const [subscription, recent] = await Promise.all([this.subscriptions.get(platform, channelId), this.sends.recent(platform, channelId)]);
    return { subscription, nextRun: subscription && nextSlot(subscription, now), recent };
  }

  /**
   * Catches up at once (anything less than `catchUpMs` late), then ticks at the top of every
   * minute. Resolves with the catch-up tick's report; ticking goes on until `stop()`.
   */
  start(): Promise<TickReport | undefined> {
    if (this.stopping.signal.aborted) throw new Error('a stopped DigestScheduler cannot be restarted; make a new one');
    if (this.cron) return Promise.resolve(undefined);
    const run = (): Promise<TickReport | undefined> =>
      this.track(this.tick(this.now())).catch((err: unknown) => {
        this.logger.error({ err }, 'digest tick failed');
        return undefined;
      });
    // croner calls the job without awaiting it (Cron._checkTrigger in croner.js), so a rejection
    // would be unhandled: `run` handles its own errors, and `catch` covers anything synchronous.
    this.cron = new Cron('* * * * *', { mode: '5-part', catch: (err) => this.logger.error({ err }, 'digest tick failed') }, () => {
      void run();
    });
    this.logger.info('digest scheduler started');
    return run();
  }

  /** Stops ticking; a post in its backoff wait gives up (recorded failed); waits for the rest. */
  async stop(): Promise<void> {
    this.cron?.stop();
    this.cron = undefined;
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
