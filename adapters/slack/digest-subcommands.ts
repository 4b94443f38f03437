// `/brief subscribe [HH:MM] [Area/City] [weekdays]`, `/brief unsubscribe`, `/brief status`: a
// channel's daily briefing. Everything goes through the process's DigestScheduler, so a
// subscription made here is picked up by its next tick, and status shows the same ledger the
// once-a-day claim writes. Problems and status answer only whoever typed the command;
// (un)subscribing is news for the whole channel, posted by the bot there.
import type { SlashCommand, webApi } from '@slack/bolt';
import { localDate } from '../../src/digest/schedule.js';
import type { DigestScheduler } from '../../src/digest/scheduler.js';
import { ChannelGoneError } from '../../src/digest/poster.js';
import type { DigestSend } from '../../src/store/digest-sends.js';
import { normalizeTime, normalizeTimeZone, SubscriptionError, suggestTimeZones, type Subscription } from '../../src/store/subscriptions.js';
import { PLATFORM } from './context.js';
import { escapeMrkdwn, fitMrkdwn } from './mrkdwn.js';
import { classifySlackPostError } from './poster.js';
import { renderNotice, type SlackMessage } from './render.js';
import { describeError, postMessage } from './replies.js';
import { BRIEF_COMMAND, type BriefCommandContext, type BriefSubcommand } from './subcommands.js';

export const SUBSCRIBE_USAGE = `${BRIEF_COMMAND} subscribe [HH:MM] [Area/City] [weekdays]`;
const EXAMPLE = `${BRIEF_COMMAND} subscribe 08:00 Europe/London weekdays`;
/** Words that ask for Monday to Friday only; "daily" asks for every day (the default). */
const WEEKDAY_WORDS = new Set(['weekdays', 'weekday', 'weekdays-only', 'weekdays_only', 'mon-fri', 'monday-friday']);
const DAILY_WORDS = new Set(['daily', 'everyday', 'every-day']);
/** Error text echoes what the user typed: keep it short enough to read. */
const ECHO_MAX = 600;

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

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function wallClock(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

/**
 * "Wednesday 11 March 2026 at 08:00 (Europe/London)", then the same instant in each reader's own
 * zone through Slack's date token (https://api.slack.com/reference/surfaces/formatting#date-formatting),
 * whose fallback text is the first part for clients that cannot render it.
 */
export function describeRun(instant: Date | undefined, timeZone: string): string {
  if (!instant) return 'not scheduled';
  const date = localDate(instant, timeZone);
  const d = new Date(`${date}T00:00:00Z`);
  const inZone = `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} at ${wallClock(instant, timeZone)} (${timeZone})`;
  const seconds = Math.floor(instant.getTime() / 1000);
  return `${inZone}; your time: <!date^${seconds}^{date_short_pretty} at {time}|${inZone}>`;
}

function schedule(sub: Pick<Subscription, 'time' | 'timeZone' | 'weekdaysOnly'>): string {
  return `*${sub.time} ${sub.timeZone}*, ${sub.weekdaysOnly ? 'Monday to Friday' : 'every day'}`;
}

/** A user id Slack gave us, as a mention; anything else as plain escaped text. */
function who(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** Slack's archive link for a message; opens in the app or the browser. */
function messageLink(command: SlashCommand, ts: string | undefined): string {
  if (!ts || !/^\d+\.\d+$/.test(ts) || !/^[a-z0-9-]+$/i.test(command.team_domain ?? '')) return '';
  return ` <https://${command.team_domain}.slack.com/archives/${command.channel_id}/p${ts.replace('.', '')}|view>`;
}

function schedulerOf(ctx: BriefCommandContext): DigestScheduler | undefined {
  return ctx.deps.scheduler;
}

const NO_SCHEDULER = 'Daily briefings are not available here: this bot runs without its digest scheduler (`briefbot start` runs both).';

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
    const scheduler = schedulerOf(ctx);
    if (!scheduler) return ctx.reply(renderNotice(NO_SCHEDULER));
    const { command, client, logger } = ctx;
    const channel = command.channel_id;
    const before = scheduler.subscriptions.get(PLATFORM, channel);
    let sub: Subscription;
    try {
      const parsed = parseSubscribeArgs(ctx.args);
      sub = scheduler.subscriptions.subscribe({
        platform: PLATFORM,
        channelId: channel,
        time: parsed.time ?? ctx.deps.config.digest.time,
        timeZone: parsed.timeZone ?? ctx.deps.config.digest.tz,
        weekdaysOnly: parsed.weekdaysOnly,
        createdBy: command.user_id,
      });
    } catch (err) {
      if (!(err instanceof SubscriptionError)) throw err;
      logger.info({ args: ctx.args.slice(0, 200) }, 'slack: /brief subscribe refused bad input; nothing stored');
      return ctx.reply(renderNotice(`${fitMrkdwn(err.message, ECHO_MAX)} Nothing was changed.\nUsage: \`${SUBSCRIBE_USAGE}\`, for example \`${EXAMPLE}\`. Time and zone default to ${ctx.deps.config.digest.time} ${ctx.deps.config.digest.tz}.`));
    }
    const { nextRun } = scheduler.status(PLATFORM, channel);
    const text = [
      `${before ? 'Updated: this' : 'This'} channel gets the daily briefing at ${schedule(sub)}.`,
      `Next one: ${describeRun(nextRun, sub.timeZone)}.`,
      '`/brief status` shows it, `/brief unsubscribe` stops it, `/brief` shows you today’s now.',
    ].join('\n');
    // The announcement doubles as the check that the bot can post here: slash commands work in
    // channels the bot is not a member of, digests do not.
    const failed = await announce(client, channel, renderNotice(text));
    if (failed && classifySlackPostError(failed, channel) instanceof ChannelGoneError) {
      scheduler.subscriptions.unsubscribe(PLATFORM, channel);
      logger.info({ ...describeError(failed) }, 'slack: /brief subscribe in a channel the bot cannot post to; not subscribed');
      return ctx.reply(
        renderNotice(
          `I can’t post in this channel (${escapeMrkdwn(String(describeError(failed).slackError ?? 'not a member'))}), so it is *not* subscribed. Invite me first (\`/invite @briefbot\`), then \`${BRIEF_COMMAND} subscribe\` again.`,
        ),
      );
    }
    logger.info({ time: sub.time, timeZone: sub.timeZone, weekdaysOnly: sub.weekdaysOnly, changed: Boolean(before) }, 'slack: channel subscribed to the daily digest');
    if (failed) {
      logger.warn({ ...describeError(failed) }, 'slack: could not announce the subscription in the channel');
      await ctx.reply(renderNotice(`${text}\n(I could not announce this in the channel: ${escapeMrkdwn(String(describeError(failed).error))}.)`));
    }
  },
};

export const unsubscribeSubcommand: BriefSubcommand = {
  name: 'unsubscribe',
  usage: `${BRIEF_COMMAND} unsubscribe`,
  description: 'stop the daily briefing in this channel',
  args: 'none',
  async run(ctx) {
    const scheduler = schedulerOf(ctx);
    if (!scheduler) return ctx.reply(renderNotice(NO_SCHEDULER));
    const channel = ctx.command.channel_id;
    if (!scheduler.subscriptions.unsubscribe(PLATFORM, channel)) {
      return ctx.reply(renderNotice(`This channel is not subscribed to the daily briefing, so there was nothing to stop. \`${BRIEF_COMMAND} subscribe\` starts it.`));
    }
    ctx.logger.info('slack: channel unsubscribed from the daily digest');
    const text = `This channel will no longer get the daily briefing. \`${BRIEF_COMMAND} subscribe\` starts it again.`;
    // Removed from the channel already? Then only the one who asked hears it.
    if (await announce(ctx.client, channel, renderNotice(text))) await ctx.reply(renderNotice(text));
  },
};

function sendLine(command: SlashCommand, s: DigestSend): string {
  const state: Record<DigestSend['state'], string> = {
    sent: 'posted',
    claimed: 'being posted',
    failed: 'failed',
    unknown: 'may or may not have been posted (Slack never confirmed it)',
    skipped: 'skipped',
  };
  const reason = s.reason && s.state !== 'sent' ? `: ${fitMrkdwn(s.reason, 300)}` : '';
  return `• ${s.localDate} — ${state[s.state]} (${s.trigger})${reason}${s.state === 'sent' ? messageLink(command, s.messageId) : ''}`;
}

export const statusSubcommand: BriefSubcommand = {
  name: 'status',
  usage: `${BRIEF_COMMAND} status`,
  description: 'this channel’s daily briefing: schedule, next one, recent posts',
  args: 'none',
  async run(ctx) {
    const scheduler = schedulerOf(ctx);
    if (!scheduler) return ctx.reply(renderNotice(NO_SCHEDULER));
    const { command } = ctx;
    const { subscription: sub, nextRun, recent } = scheduler.status(PLATFORM, command.channel_id);
    const defaults = ctx.deps.config.digest;
    const lines = sub
      ? [
          `This channel gets the daily briefing at ${schedule(sub)}.`,
          `Next one: ${describeRun(nextRun, sub.timeZone)}.`,
          `Subscribed by ${who(sub.createdBy)}${sub.lastDigestDate ? `; last digest ${sub.lastDigestDate}` : ''}.`,
        ]
      : [`This channel is not subscribed to the daily briefing. \`${BRIEF_COMMAND} subscribe\` subscribes it (at ${defaults.time} ${escapeMrkdwn(defaults.tz)} unless you give a time and zone, e.g. \`${EXAMPLE}\`).`];
    if (recent.length) lines.push('', '*Recent digests*', ...recent.map((s) => sendLine(command, s)));
    await ctx.reply(renderNotice(lines.join('\n')));
  },
};

/** The digest rows of the `/brief` table; startSlack adds them when it has a scheduler. */
export function digestSubcommands(): BriefSubcommand[] {
  return [subscribeSubcommand, unsubscribeSubcommand, statusSubcommand];
}
