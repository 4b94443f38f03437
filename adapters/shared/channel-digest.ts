// A channel's daily briefing, the same on every platform: subscribe (the store fills in
// DIGEST_TIME / DIGEST_TZ for whatever the person left out), unsubscribe, status, post today's
// now, and today's digest as the channel sees it. Everything goes through the process's
// DigestScheduler, so a subscription made here is picked up by its next tick, "now" is bound by
// the same once-a-day claim as the scheduled post, and status shows the ledger that claim writes.
// Each platform parses its own arguments and lays out the outcomes (channel-digest-wording.ts).
import type { DeliveryResult } from '../../src/digest/deliver.js';
import { localDate } from '../../src/digest/schedule.js';
import type { ChannelDigestStatus, DigestScheduler } from '../../src/digest/scheduler.js';
import type { Digest } from '../../src/digest/types.js';
import type { BriefingService } from '../../src/service.js';
import type { SubscribeInput, Subscription } from '../../src/store/subscriptions.js';

/** What a person asked for; what they left out the store fills in. */
export type SubscribeRequest = Omit<SubscribeInput, 'platform' | 'channelId'>;

export interface Subscribed {
  subscription: Subscription;
  /** The channel was subscribed already: its schedule changed. */
  changed: boolean;
  nextRun?: Date;
}

export class ChannelDigest {
  constructor(
    private readonly scheduler: DigestScheduler,
    readonly platform: string,
    readonly channelId: string,
  ) {}

  /** The time and zone a subscription gets when the person gives none. */
  get defaults(): { time: string; tz: string } {
    return this.scheduler.subscriptions.defaults;
  }

  /** Subscribes the channel or changes its schedule; throws SubscriptionError, storing nothing, on bad input. */
  subscribe(request: SubscribeRequest): Subscribed {
    const changed = this.scheduler.subscriptions.get(this.platform, this.channelId) !== undefined;
    const subscription = this.scheduler.subscriptions.subscribe({ ...request, platform: this.platform, channelId: this.channelId });
    return { subscription, changed, nextRun: this.status().nextRun };
  }

  /** False when the channel was not subscribed. */
  unsubscribe(): boolean {
    return this.scheduler.subscriptions.unsubscribe(this.platform, this.channelId);
  }

  status(): ChannelDigestStatus {
    return this.scheduler.status(this.platform, this.channelId);
  }

  /** Posts today's digest in the channel now, unless the day's claim is taken; undefined when not subscribed. */
  async sendNow(): Promise<DeliveryResult | undefined> {
    const [result] = await this.scheduler.postNow(undefined, { platform: this.platform, channelId: this.channelId });
    return result;
  }
}

export interface TodayRequest {
  briefing: Pick<BriefingService, 'digest'>;
  /** Absent when the process runs without one: then every channel is "not subscribed". */
  scheduler?: DigestScheduler;
  platform: string;
  channelId: string;
  /** DIGEST_TZ: what an unsubscribed channel's "today" is dated in. */
  timeZone: string;
  now?: Date;
}

/**
 * Today's digest as the channel's own post would be: in a subscribed channel dated in its zone and
 * "new since" its last digest; elsewhere dated in DIGEST_TZ, with nothing "new".
 */
export async function todaysDigest(r: TodayRequest): Promise<{ digest: Digest; subscription?: Subscription }> {
  const subscription = r.scheduler?.subscriptions.get(r.platform, r.channelId);
  const date = localDate(r.now ?? new Date(), subscription?.timeZone ?? r.timeZone);
  return { digest: await r.briefing.digest({ date, previous: subscription?.lastHashes }), subscription };
}
