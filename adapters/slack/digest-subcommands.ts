// `/brief subscribe|unsubscribe|status`: a channel's daily briefing. The use cases and their words are
// shared (adapters/shared/channel-digest.ts); Slack's part is the arguments, the dialect, and who hears
// what: problems and status only whoever typed the command, (un)subscribing the whole channel.
import type { SlashCommand } from '@slack/bolt';
import { ChannelGoneError } from '../../src/digest/poster.js';
import { localDate } from '../../src/digest/schedule.js';
import { describeError } from '../../src/errors.js';
import { normalizeTime, normalizeTimeZone, SubscriptionError, suggestTimeZones } from '../../src/store/subscriptions.js';
import {
  cannotPostText,
  ChannelDigest,
  NO_SCHEDULER,
  nothingToStopText,
  notAnnouncedText,
  refusedText,
  statusText,
  subscribedText,
  unsubscribedText,
  usageText,
  type ChannelDialect,
  type SubscribeRequest,
  type Subscribed,
} from '../shared/channel-digest.js';
import { spelledDate } from '../shared/digest-card.js';
import { BRIEF_COMMAND, PLATFORM, type BriefCommandContext, type BriefSubcommand } from './context.js';
import { escapeMrkdwn, fitMrkdwn } from './mrkdwn.js';
import { classifySlackPostError } from './poster.js';
import { renderNotice } from './render.js';
import { postMessage } from './replies.js';

const SUBSCRIBE_USAGE = `${BRIEF_COMMAND} subscribe [HH:MM] [Area/City] [weekdays]`;
/** Words that ask for Monday to Friday only; "daily" asks for every day (the default). */
const WEEKDAY_WORDS = new Set(['weekdays', 'weekday', 'weekdays-only', 'weekdays_only', 'mon-fri', 'monday-friday']);
const DAILY_WORDS = new Set(['daily', 'everyday', 'every-day']);

/**
 * Reads `[HH:MM] [Area/City] [weekdays]` in any order: a word starting with a digit and no "/" is a
 * time, any other a zone, so "London" gets "did you mean Europe/London?". Throws SubscriptionError (for the user).
 */
export function parseSubscribeArgs(args: string): Omit<SubscribeRequest, 'createdBy'> {
  const out: Omit<SubscribeRequest, 'createdBy'> = { weekdaysOnly: false };
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

/** "Wednesday 11 March 2026 at 08:00 (Europe/London)", then Slack's date token for the reader's zone (api.slack.com/reference/surfaces/formatting#date-formatting). */
export function describeRun(instant: Date, timeZone: string): string {
  const wallClock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
  const inZone = `${spelledDate(localDate(instant, timeZone))} at ${wallClock} (${timeZone})`;
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

type ChannelRun = (ctx: BriefCommandContext, channel: ChannelDigest, dialect: ChannelDialect) => Promise<unknown>;

/** A row about the command's channel; without a scheduler in this process, every row says so. */
function channelSubcommand(row: Omit<BriefSubcommand, 'run'>, run: ChannelRun): BriefSubcommand {
  return {
    ...row,
    async run(ctx) {
      const scheduler = ctx.deps.scheduler;
      if (!scheduler) return say(ctx, NO_SCHEDULER);
      await run(ctx, new ChannelDigest(scheduler, PLATFORM, ctx.command.channel_id), slackDialect(ctx.command));
    },
  };
}

/** Tells only whoever typed the command. */
const say = (ctx: BriefCommandContext, text: string) => ctx.reply(renderNotice(text));

/** Says `text` in the channel as the bot; resolves to the failure when Slack would not take it. */
const announce = (ctx: BriefCommandContext, channel: ChannelDigest, text: string): Promise<unknown> =>
  postMessage(ctx.client, { channel: channel.channelId }, renderNotice(text)).then(() => undefined, (err: unknown) => err);

const subscribe: ChannelRun = async (ctx, channel, dialect) => {
  const { command, logger } = ctx;
  let done: Subscribed;
  try {
    done = await channel.subscribe({ ...parseSubscribeArgs(ctx.args), createdBy: command.user_id });
  } catch (err) {
    if (!(err instanceof SubscriptionError)) throw err;
    logger.info({ args: ctx.args.slice(0, 200) }, 'slack: /brief subscribe refused bad input; nothing stored');
    return say(ctx, `${refusedText(err.message, dialect)}\n${usageText(SUBSCRIBE_USAGE, channel.defaults, dialect)}`);
  }
  const text = subscribedText(done, dialect);
  // The announcement doubles as the check that the bot can post here: slash commands work in
  // channels the bot is not a member of, digests do not.
  const failed = await announce(ctx, channel, text);
  const why = failed === undefined ? undefined : describeError(failed);
  if (why && classifySlackPostError(failed, channel.channelId) instanceof ChannelGoneError) {
    await channel.unsubscribe();
    logger.info({ ...why }, 'slack: /brief subscribe in a channel the bot cannot post to; not subscribed');
    return say(ctx, cannotPostText(String(why.slackError ?? 'not a member'), dialect));
  }
  const sub = done.subscription;
  logger.info({ time: sub.time, timeZone: sub.timeZone, weekdaysOnly: sub.weekdaysOnly, changed: done.changed }, 'slack: channel subscribed to the daily digest');
  if (why) {
    logger.warn({ ...why }, 'slack: could not announce the subscription in the channel');
    await say(ctx, notAnnouncedText(text, String(why.error), dialect));
  }
};

const unsubscribe: ChannelRun = async (ctx, channel, dialect) => {
  if (!(await channel.unsubscribe())) return say(ctx, nothingToStopText(dialect));
  ctx.logger.info('slack: channel unsubscribed from the daily digest');
  const text = unsubscribedText(dialect);
  // Removed from the channel already? Then only the one who asked hears it.
  if (await announce(ctx, channel, text)) await say(ctx, text);
};

const status: ChannelRun = async (ctx, channel, dialect) => say(ctx, statusText(await channel.status(), channel.defaults, dialect));

/** The digest rows of the `/brief` table; startSlack adds them when it has a scheduler. */
export function digestSubcommands(): BriefSubcommand[] {
  const subscribeHelp = 'post the daily briefing in this channel at a local time, every day or on weekdays (again to change it)';
  return [
    channelSubcommand({ name: 'subscribe', usage: SUBSCRIBE_USAGE, description: subscribeHelp, args: 'optional' }, subscribe),
    channelSubcommand({ name: 'unsubscribe', usage: `${BRIEF_COMMAND} unsubscribe`, description: 'stop the daily briefing in this channel', args: 'none' }, unsubscribe),
    channelSubcommand({ name: 'status', usage: `${BRIEF_COMMAND} status`, description: 'this channel’s daily briefing: schedule, next one, recent posts', args: 'none' }, status),
  ];
}
