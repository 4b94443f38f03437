// A channel's daily briefing on every platform (subscribe, unsubscribe, status, post today's now,
// today's digest as the channel sees it) and every sentence it says. All of it goes through the
// process's DigestScheduler, so a new subscription is picked up by its next tick, "now" is bound by
// the same once-a-day claim as the scheduled post, and status shows the ledger that claim writes.
import type { DeliveryResult } from '../../src/digest/deliver.js';
import { localDate } from '../../src/digest/schedule.js';
import type { ChannelDigestStatus, DigestScheduler } from '../../src/digest/scheduler.js';
import type { Digest } from '../../src/digest/types.js';
import type { BriefingService } from '../../src/service.js';
import type { DigestSend } from '../../src/store/digest-sends.js';
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
  async subscribe(request: SubscribeRequest): Promise<Subscribed> {
    const changed = (await this.scheduler.subscriptions.get(this.platform, this.channelId)) !== undefined;
    const subscription = await this.scheduler.subscriptions.subscribe({ ...request, platform: this.platform, channelId: this.channelId });
    return { subscription, changed, nextRun: (await this.status()).nextRun };
  }

  /** False when the channel was not subscribed. */
  unsubscribe(): Promise<boolean> {
    return this.scheduler.subscriptions.unsubscribe(this.platform, this.channelId);
  }

  status(): Promise<ChannelDigestStatus> {
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

/** Today's digest as the channel's post would be: in its zone, new since its last; unsubscribed, in DIGEST_TZ, none new. */
export async function todaysDigest(r: TodayRequest): Promise<{ digest: Digest; subscription?: Subscription }> {
  const subscription = await r.scheduler?.subscriptions.get(r.platform, r.channelId);
  const date = localDate(r.now ?? new Date(), subscription?.timeZone ?? r.timeZone);
  return { digest: await r.briefing.digest({ date, previous: subscription?.lastHashes }), subscription };
}

export interface ChannelDialect {
  /** "Slack", as in "Slack never confirmed it". */
  platform: string;
  bold(text: string): string;
  /** Text we did not write (a reason, an echo of the input), made safe and at most `max` long. */
  plain(text: string, max: number): string;
  /** A scheduled instant as the platform can show it, the subscription's zone named. */
  when(instant: Date, timeZone: string): string;
  mention(userId: string): string;
  /** " <link>" to a posted message, or "" when there is none to give. */
  link(messageId: string | undefined): string;
  commands: {
    subscribe: string;
    /** A full subscribe command, as the platform's users type it. */
    example: string;
    status: string;
    unsubscribe: string;
    now?: string;
    /** Shows the asker today's digest. */
    today?: string;
  };
  /** What lets the bot post in a channel: "Invite me first (`/invite @briefbot`)". */
  access: string;
}

export const NO_SCHEDULER = 'Daily briefings are not available here: this bot runs without its digest scheduler (`briefbot start` runs both).';
/** A reason from the ledger is a line, not a report. */
const REASON_MAX = 300;

const NOT_SUBSCRIBED = 'This channel is not subscribed to the daily briefing.';

function schedule(sub: Pick<Subscription, 'time' | 'timeZone' | 'weekdaysOnly'>, d: ChannelDialect): string {
  return `${d.bold(`${sub.time} ${d.plain(sub.timeZone, 100)}`)}, ${sub.weekdaysOnly ? 'Monday to Friday' : 'every day'}`;
}

function nextLine(nextRun: Date | undefined, timeZone: string, d: ChannelDialect): string {
  return `Next one: ${nextRun ? d.when(nextRun, timeZone) : 'not scheduled'}.`;
}

export function subscribedText({ subscription: sub, changed, nextRun }: Subscribed, d: ChannelDialect): string {
  const c = d.commands;
  // One way to see today's: post it now where the platform has that, else show it to the asker.
  const hints = [`\`${c.status}\` shows it`, c.now && `\`${c.now}\` posts today’s now`, `\`${c.unsubscribe}\` stops it`, !c.now && c.today && `\`${c.today}\` shows you today’s now`];
  return [`${changed ? 'Updated: this' : 'This'} channel gets the daily briefing at ${schedule(sub, d)}.`, nextLine(nextRun, sub.timeZone, d), `${hints.filter(Boolean).join(', ')}.`].join('\n');
}

/** Bad subscribe input: the store's message is already written for people. */
export const refusedText = (message: string, d: ChannelDialect) => `${d.plain(message, 600)} Nothing was changed.`;
export const usageText = (usage: string, defaults: { time: string; tz: string }, d: ChannelDialect) =>
  `Usage: \`${usage}\`, for example \`${d.commands.example}\`. Time and zone default to ${defaults.time} ${d.plain(defaults.tz, 100)}.`;
export const unsubscribedText = (d: ChannelDialect) => `This channel will no longer get the daily briefing. \`${d.commands.subscribe}\` starts it again.`;
export const nothingToStopText = (d: ChannelDialect) => `This channel is not subscribed to the daily briefing, so there was nothing to stop. \`${d.commands.subscribe}\` starts it.`;

/** The bot may not post where someone subscribed: not subscribed after all. */
export function cannotPostText(why: string, d: ChannelDialect): string {
  return `I can’t post in this channel (${d.plain(why, REASON_MAX)}), so it is ${d.bold('not')} subscribed. ${d.access}, then \`${d.commands.subscribe}\` again.`;
}

/** Subscribed, but the bot lacks what posting needs (named in the platform's words). */
export const cannotPostYetText = (missing: string[]) => `⚠️ I can’t post here yet: please give me ${missing.join(', ')} in this channel.`;
export const notAnnouncedText = (text: string, why: string, d: ChannelDialect) => `${text}\n(I could not announce this in the channel: ${d.plain(why, REASON_MAX)}.)`;

function sendLine(s: DigestSend, d: ChannelDialect): string {
  const state: Record<DigestSend['state'], string> = {
    sent: 'posted',
    claimed: 'being posted',
    failed: 'failed',
    unknown: `may or may not have been posted (${d.platform} never confirmed it)`,
    skipped: 'skipped',
  };
  const reason = s.reason && s.state !== 'sent' ? `: ${d.plain(s.reason, REASON_MAX)}` : '';
  return `• ${s.localDate} — ${state[s.state]} (${s.trigger})${reason}${s.state === 'sent' ? d.link(s.messageId) : ''}`;
}

/** `status`: the schedule, the next run, who subscribed, the latest sends. */
export function statusText({ subscription: sub, nextRun, recent }: ChannelDigestStatus, defaults: { time: string; tz: string }, d: ChannelDialect): string {
  const lines = sub
    ? [
        `This channel gets the daily briefing at ${schedule(sub, d)}.`,
        nextLine(nextRun, sub.timeZone, d),
        `Subscribed by ${d.mention(sub.createdBy)}${sub.lastDigestDate ? `; last digest ${sub.lastDigestDate}` : ''}.`,
      ]
    : [`${NOT_SUBSCRIBED} \`${d.commands.subscribe}\` subscribes it (at ${defaults.time} ${d.plain(defaults.tz, 100)} unless you give a time and zone, e.g. \`${d.commands.example}\`).`];
  if (recent.length) lines.push('', d.bold('Recent digests'), ...recent.map((s) => sendLine(s, d)));
  return lines.join('\n');
}

/** "Post today's now" in a channel that is not subscribed. */
export const notSubscribedNowText = (d: ChannelDialect) =>
  `${NOT_SUBSCRIBED} \`${d.commands.subscribe}\` subscribes it${d.commands.today ? `; \`${d.commands.today}\` shows today’s briefing to you now` : ''}.`;

export function sentNowText(r: DeliveryResult, d: ChannelDialect): string {
  const o = r.outcome;
  const today = `Today’s briefing (${r.localDate})`;
  switch (o.status) {
    case 'sent':
      return `Posted today’s briefing (${r.localDate}) in this channel.${d.link(o.messageId)}`;
    case 'already': {
      const e = o.existing;
      if (e.state === 'sent') return `${today} was already posted here; a channel gets one a day.${d.link(e.messageId)}`;
      if (e.state === 'claimed') return `${today} is being posted right now.`;
      if (e.state === 'unknown') return `${today} may already have been posted (${d.platform} never confirmed it), so I won’t risk posting it twice.`;
      return `${today} could not be posted earlier${e.reason ? `: ${d.plain(e.reason, REASON_MAX)}` : ''}. It is not retried today${d.commands.today ? `; \`${d.commands.today}\` shows it to you` : ''}.`;
    }
    case 'failed':
      return `I could not post today’s briefing: ${d.plain(o.reason, REASON_MAX)}`;
    case 'unknown':
      return `${d.platform} did not confirm the post (${d.plain(o.reason, REASON_MAX)}). Check the channel; I won’t post again today so it cannot appear twice.`;
    case 'gone':
      return `I can’t reach this channel (${d.plain(o.reason, REASON_MAX)}), so I unsubscribed it. ${d.access}, then \`${d.commands.subscribe}\` again.`;
    case 'no-poster':
      return 'Daily briefings are not being posted by this bot process.';
  }
}
