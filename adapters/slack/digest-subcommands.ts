// `/brief subscribe [HH:MM] [Area/City] [weekdays]`, `/brief unsubscribe`, `/brief status`: a
// channel's daily briefing in Slack. The use cases and their words are shared
// (adapters/shared/channel-digest*.ts); what is Slack's is reading the arguments, its dialect, and
// who hears what: problems and status answer only whoever typed the command, (un)subscribing is
// news for the whole channel, posted by the bot there.
import type { SlashCommand, webApi } from '@slack/bolt';
import { ChannelGoneError } from '../../src/digest/poster.js';
import { localDate } from '../../src/digest/schedule.js';
import { normalizeTime, normalizeTimeZone, SubscriptionError, suggestTimeZones } from '../../src/store/subscriptions.js';
import { ChannelDigest, type Subscribed } from '../shared/channel-digest.js';
import {
  cannotPostText,
  NO_SCHEDULER,
  NOT_SCHEDULED,
  nothingToStopText,
  notAnnouncedText,
  refusedText,
  statusText,
  subscribedText,
  unsubscribedText,
  usageText,
  type ChannelDialect,
} from '../shared/channel-digest-wording.js';
import { spelledDate } from '../shared/digest-wording.js';
import { PLATFORM } from './context.js';
import { escapeMrkdwn, fitMrkdwn } from './mrkdwn.js';
import { classifySlackPostError } from './poster.js';
import { renderNotice, type SlackMessage } from './render.js';
import { describeError, postMessage } from './replies.js';
import { BRIEF_COMMAND, type BriefCommandContext, type BriefSubcommand } from './subcommands.js';

export const SUBSCRIBE_USAGE = `${BRIEF_COMMAND} subscribe [HH:MM] [Area/City] [weekdays]`;
/** Words that ask for Monday to Friday only; "daily" asks for every day (the default). */
const WEEKDAY_WORDS = new Set(['weekdays', 'weekday', 'weekdays-only', 'weekdays_only', 'mon-fri', 'monday-friday']);
const DAILY_WORDS = new Set(['daily', 'everyday', 'every-day']);

export interface SubscribeArgs {
  /** Canonical HH:MM, when given. */
  time?: string;
  /** Canonical IANA zone, when given. */
  timeZone?: string;
  weekdaysOnly: boolean;
}

/**
 * Reads `[HH:MM] [Area/City] [weekdays]` in any order. A word with a "/" is a zone (Etc/GMT+5
 * included), one starting with a digit is a time, "weekdays" / "daily" set the days, anything
 * else is taken as a zone so "London" gets "not a time zone I know... did you mean Europe/London?".
 * Throws SubscriptionError (a message for the user) on anything it cannot use.
 */
export function parseSubscribeArgs(args: string): SubscribeArgs {
  const out: SubscribeArgs = { weekdaysOnly: false };
  let days: string | undefined;
  for (const word of args.split(/\s+/).filter(Boolean)) {
    const lower = word.toLowerCase();
    if (WEEKDAY_WORDS.has(lower) || DAILY_WORDS.has(lower)) {
      if (days && days !== lower) throw new SubscriptionError(`Give either "weekdays" or "daily", not both.`);
      days = lower;
      out.weekdaysOnly = WEEKDAY_WORDS.has(lower);
    } else if (!word.includes('/') && /^\d/.test(word)) {
      if (out.time) throw new SubscriptionError(`Give one time, not "${out.time}" and "${word}".`);
      out.time = normalizeTime(word);
    } else {
      if (out.timeZone) throw new SubscriptionError(`Give one time zone, not "${out.timeZone}" and "${word}".`);
      try {
        out.timeZone = normalizeTimeZone(word);
      } catch (err) {
        const guesses = word.includes('/') ? [] : suggestTimeZones(word, 3).filter((z) => z.includes('/'));
        if (err instanceof SubscriptionError && guesses.length) throw new SubscriptionError(`${err.message} Did you mean ${guesses.join(' or ')}?`);
        throw err;
      }
    }
  }
  return out;
}

function wallClock(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

/**
 * "Wednesday 11 March 2026 at 08:00 (Europe/London)", then the same instant in each reader's own
 * zone through Slack's date token (https://api.slack.com/reference/surfaces/formatting#date-formatting),
 * whose fallback text is the first part for clients that cannot render it.
 */
export function describeRun(instant: Date | undefined, timeZone: string): string {
  if (!instant) return NOT_SCHEDULED;
  const inZone = `${spelledDate(localDate(instant, timeZone))} at ${wallClock(instant, timeZone)} (${timeZone})`;
  const seconds = Math.floor(instant.getTime() / 1000);
  return `${inZone}; your time: <!date^${seconds}^{date_short_pretty} at {time}|${inZone}>`;
}

/** Slack's archive link for a message; opens in the app or the browser. */
function messageLink(command: SlashCommand, ts: string | undefined): string {
  if (!ts || !/^\d+\.\d+$/.test(ts) || !/^[a-z0-9-]+$/i.test(command.team_domain ?? '')) return '';
  return ` <https://${command.team_domain}.slack.com/archives/${command.channel_id}/p${ts.replace('.', '')}|view>`;
}

/** How the channel-digest sentences read in Slack, for the command being answered. */
function slackDialect(command: SlashCommand): ChannelDialect {
  return {
    platform: 'Slack',
    bold: (text) => `*${text}*`,
    plain: fitMrkdwn,
    when: describeRun,
    // A user id Slack gave us, as a mention; anything else as plain escaped text.
    mention: (userId) => (/^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId)),
    link: (ts) => messageLink(command, ts),
    commands: {
      subscribe: `${BRIEF_COMMAND} subscribe`,
      example: `${BRIEF_COMMAND} subscribe 08:00 Europe/London weekdays`,
      status: `${BRIEF_COMMAND} status`,
      unsubscribe: `${BRIEF_COMMAND} unsubscribe`,
      today: BRIEF_COMMAND,
    },
    access: 'Invite me first (`/invite @briefbot`)',
  };
}

/** The command's channel, or undefined when this process has no scheduler. */
function channelOf(ctx: BriefCommandContext): ChannelDigest | undefined {
  return ctx.deps.scheduler && new ChannelDigest(ctx.deps.scheduler, PLATFORM, ctx.command.channel_id);
}

/** Says `message` in the channel as the bot; returns the failure when Slack would not take it. */
async function announce(client: webApi.WebClient, channel: string, message: SlackMessage): Promise<unknown> {
  try {
    await postMessage(client, { channel }, message);
    return undefined;
  } catch (err) {
    return err;
  }
}

export const subscribeSubcommand: BriefSubcommand = {
  name: 'subscribe',
  usage: SUBSCRIBE_USAGE,
  description: 'post the daily briefing in this channel at a local time, every day or on weekdays (again to change it)',
  args: 'optional',
  async run(ctx) {
    const channel = channelOf(ctx);
    if (!channel) return ctx.reply(renderNotice(NO_SCHEDULER));
    const { command, client, logger } = ctx;
    const dialect = slackDialect(command);
    let done: Subscribed;
    try {
      done = channel.subscribe({ ...parseSubscribeArgs(ctx.args), createdBy: command.user_id });
    } catch (err) {
      if (!(err instanceof SubscriptionError)) throw err;
      logger.info({ args: ctx.args.slice(0, 200) }, 'slack: /brief subscribe refused bad input; nothing stored');
      return ctx.reply(renderNotice(`${refusedText(err.message, dialect)}\n${usageText(SUBSCRIBE_USAGE, channel.defaults, dialect)}`));
    }
    const text = subscribedText(done, dialect);
    // The announcement doubles as the check that the bot can post here: slash commands work in
    // channels the bot is not a member of, digests do not.
    const failed = await announce(client, channel.channelId, renderNotice(text));
    const why = failed === undefined ? undefined : describeError(failed);
    if (why && classifySlackPostError(failed, channel.channelId) instanceof ChannelGoneError) {
      channel.unsubscribe();
      logger.info({ ...why }, 'slack: /brief subscribe in a channel the bot cannot post to; not subscribed');
      return ctx.reply(renderNotice(cannotPostText(String(why.slackError ?? 'not a member'), dialect)));
    }
    const sub = done.subscription;
    logger.info({ time: sub.time, timeZone: sub.timeZone, weekdaysOnly: sub.weekdaysOnly, changed: done.changed }, 'slack: channel subscribed to the daily digest');
    if (why) {
      logger.warn({ ...why }, 'slack: could not announce the subscription in the channel');
      await ctx.reply(renderNotice(notAnnouncedText(text, String(why.error), dialect)));
    }
  },
};

export const unsubscribeSubcommand: BriefSubcommand = {
  name: 'unsubscribe',
  usage: `${BRIEF_COMMAND} unsubscribe`,
  description: 'stop the daily briefing in this channel',
  args: 'none',
  async run(ctx) {
    const channel = channelOf(ctx);
    if (!channel) return ctx.reply(renderNotice(NO_SCHEDULER));
    const dialect = slackDialect(ctx.command);
    if (!channel.unsubscribe()) return ctx.reply(renderNotice(nothingToStopText(dialect)));
    ctx.logger.info('slack: channel unsubscribed from the daily digest');
    const text = unsubscribedText(dialect);
    // Removed from the channel already? Then only the one who asked hears it.
    if (await announce(ctx.client, channel.channelId, renderNotice(text))) await ctx.reply(renderNotice(text));
  },
};

export const statusSubcommand: BriefSubcommand = {
  name: 'status',
  usage: `${BRIEF_COMMAND} status`,
  description: 'this channel’s daily briefing: schedule, next one, recent posts',
  args: 'none',
  async run(ctx) {
    const channel = channelOf(ctx);
    if (!channel) return ctx.reply(renderNotice(NO_SCHEDULER));
    await ctx.reply(renderNotice(statusText(channel.status(), channel.defaults, slackDialect(ctx.command))));
  },
};

/** The digest rows of the `/brief` table; startSlack adds them when it has a scheduler. */
export function digestSubcommands(): BriefSubcommand[] {
  return [subscribeSubcommand, unsubscribeSubcommand, statusSubcommand];
}
