// /digest subscribe|unsubscribe|status|now: a channel's daily briefing. Everything goes through the
// process's DigestScheduler, so `/digest now` is bound by the same once-a-day claim as the
// scheduled post, and a subscription made here is picked up by the scheduler's next tick.
import {
  InteractionContextType,
  messageLink,
  PermissionFlagsBits,
  SlashCommandBuilder,
  time,
  TimestampStyles,
  type ChatInputCommandInteraction,
  type PermissionResolvable,
} from 'discord.js';
import type { DeliveryResult } from '../../src/digest/deliver.js';
import type { DigestScheduler } from '../../src/digest/scheduler.js';
import type { DigestSend } from '../../src/store/digest-sends.js';
import { SubscriptionError, suggestTimeZones, type Subscription } from '../../src/store/subscriptions.js';
import { textMessage } from './card.js';
import type { CommandContext, Reply, SlashCommand } from './commands.js';

export const PLATFORM = 'discord';
/** What the bot needs in a channel to post a digest there. */
const POST_PERMISSIONS: [PermissionResolvable, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

const say = (text: string, ephemeral?: boolean): Reply => ({ messages: [textMessage(text)], ephemeral });
/** Problems concern only whoever typed the command: the channel does not see them. */
const problem = (text: string): Reply => say(text, true);

function schedule(sub: Subscription): string {
  return `**${sub.time} ${sub.timeZone}**, ${sub.weekdaysOnly ? 'Monday to Friday' : 'every day'}`;
}

/** Discord shows `<t:…>` in each reader's own time zone; the subscription's zone is named beside it. */
function when(date: Date | undefined): string {
  return date ? `${time(date, TimestampStyles.LongDateTime)} (${time(date, TimestampStyles.RelativeTime)})` : 'not scheduled';
}

function link(interaction: ChatInputCommandInteraction, messageId: string | undefined): string {
  return messageId && interaction.guildId ? ` ${messageLink(interaction.channelId, messageId, interaction.guildId)}` : '';
}

function missingPermissions(interaction: ChatInputCommandInteraction): string[] {
  const granted = interaction.appPermissions;
  return POST_PERMISSIONS.filter(([flag]) => !granted.has(flag)).map(([, name]) => name);
}

function subscribe(interaction: ChatInputCommandInteraction, ctx: CommandContext, scheduler: DigestScheduler): Reply {
  const channelId = interaction.channelId;
  const before = scheduler.subscriptions.get(PLATFORM, channelId);
  let sub: Subscription;
  try {
    sub = scheduler.subscriptions.subscribe({
      platform: PLATFORM,
      channelId,
      time: interaction.options.getString('time') ?? ctx.config.digest.time,
      timeZone: interaction.options.getString('timezone') ?? ctx.config.digest.tz,
      weekdaysOnly: interaction.options.getBoolean('weekdays_only') ?? false,
      createdBy: interaction.user.id,
    });
  } catch (err) {
    if (err instanceof SubscriptionError) return problem(`${err.message} Nothing was changed.`);
    throw err;
  }
  ctx.logger.info({ channelId, time: sub.time, timeZone: sub.timeZone, weekdaysOnly: sub.weekdaysOnly, by: interaction.user.id, changed: Boolean(before) }, 'discord channel subscribed to the daily digest');
  const lines = [
    `${before ? 'Updated: this' : 'This'} channel gets the daily briefing at ${schedule(sub)}.`,
    `Next one: ${when(scheduler.status(PLATFORM, channelId).nextRun)}.`,
    '`/digest status` shows it, `/digest now` posts today’s now, `/digest unsubscribe` stops it.',
  ];
  const missing = missingPermissions(interaction);
  if (missing.length) lines.push(`⚠️ I can’t post here yet: please give me ${missing.join(', ')} in this channel.`);
  return say(lines.join('\n'));
}

function unsubscribe(interaction: ChatInputCommandInteraction, ctx: CommandContext, scheduler: DigestScheduler): Reply {
  if (!scheduler.subscriptions.unsubscribe(PLATFORM, interaction.channelId)) return problem('This channel is not subscribed to the daily briefing, so there was nothing to stop.');
  ctx.logger.info({ channelId: interaction.channelId, by: interaction.user.id }, 'discord channel unsubscribed from the daily digest');
  return say('This channel will no longer get the daily briefing. `/digest subscribe` starts it again.');
}

function sendLine(interaction: ChatInputCommandInteraction, s: DigestSend): string {
  const state: Record<DigestSend['state'], string> = {
    sent: 'posted',
    claimed: 'being posted',
    failed: 'failed',
    unknown: 'may or may not have been posted (Discord never confirmed it)',
    skipped: 'skipped',
  };
  const reason = s.reason && s.state !== 'sent' ? `: ${s.reason}` : '';
  return `• ${s.localDate} — ${state[s.state]} (${s.trigger})${reason}${s.state === 'sent' ? link(interaction, s.messageId) : ''}`;
}

function status(interaction: ChatInputCommandInteraction, scheduler: DigestScheduler): Reply {
  const { subscription: sub, nextRun, recent } = scheduler.status(PLATFORM, interaction.channelId);
  const lines = sub
    ? [
        `This channel gets the daily briefing at ${schedule(sub)}.`,
        `Next one: ${when(nextRun)}.`,
        `Subscribed by <@${sub.createdBy}>${sub.lastDigestDate ? `; last digest ${sub.lastDigestDate}` : ''}.`,
      ]
    : ['This channel is not subscribed to the daily briefing. `/digest subscribe time:08:00 timezone:Europe/London` subscribes it.'];
  if (recent.length) lines.push('', 'Recent digests:', ...recent.map((s) => sendLine(interaction, s)));
  return say(lines.join('\n'));
}

function describeDelivery(interaction: ChatInputCommandInteraction, r: DeliveryResult): string {
  const o = r.outcome;
  switch (o.status) {
    case 'sent':
      return `Posted today’s briefing (${r.localDate}) in this channel.${link(interaction, o.messageId)}`;
    case 'already': {
      const e = o.existing;
      if (e.state === 'sent') return `Today’s briefing (${r.localDate}) was already posted here; a channel gets one a day.${link(interaction, e.messageId)}`;
      if (e.state === 'claimed') return `Today’s briefing (${r.localDate}) is being posted right now.`;
      if (e.state === 'unknown') return `Today’s briefing (${r.localDate}) may already have been posted (Discord never confirmed it), so I won’t risk posting it twice.`;
      return `Today’s briefing (${r.localDate}) could not be posted earlier${e.reason ? `: ${e.reason}` : ''}. It is not retried today; \`/brief\` shows it to you.`;
    }
    case 'failed':
      return `I could not post today’s briefing: ${o.reason}`;
    case 'unknown':
      return `Discord did not confirm the post (${o.reason}). Check the channel; I won’t post again today so it cannot appear twice.`;
    case 'gone':
      return `I can’t reach this channel (${o.reason}), so I unsubscribed it. Give me View Channel, Send Messages and Embed Links, then \`/digest subscribe\` again.`;
    case 'no-poster':
      return 'Daily briefings are not being posted by this bot process.';
  }
}

async function now(interaction: ChatInputCommandInteraction, scheduler: DigestScheduler): Promise<Reply> {
  const [result] = await scheduler.postNow(undefined, { platform: PLATFORM, channelId: interaction.channelId });
  if (!result) return problem('This channel is not subscribed to the daily briefing. `/digest subscribe` subscribes it; `/brief` shows today’s briefing to you now.');
  return say(describeDelivery(interaction, result), true);
}

export const digest: SlashCommand = {
  name: 'digest',
  definition: () =>
    new SlashCommandBuilder()
      .setName('digest')
      .setDescription('The daily briefing in this channel: subscribe, unsubscribe, status, or post today’s now')
      // Posting to a channel every day is the channel managers' call; server admins can widen
      // this under Server Settings > Integrations.
      .setDefaultMemberPermissions(PermissionFlagsBits.ManageChannels)
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((s) =>
        s
          .setName('subscribe')
          .setDescription('Post the daily briefing in this channel at a local time (or change its time)')
          .addStringOption((o) => o.setName('time').setDescription('Local time, 24-hour HH:MM (default from DIGEST_TIME, e.g. 08:00)').setMaxLength(16))
          .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/London (default from DIGEST_TZ)').setAutocomplete(true).setMaxLength(64))
          .addBooleanOption((o) => o.setName('weekdays_only').setDescription('Only Monday to Friday (default: every day)')),
      )
      .addSubcommand((s) => s.setName('unsubscribe').setDescription('Stop the daily briefing in this channel'))
      .addSubcommand((s) => s.setName('status').setDescription('This channel’s schedule, next briefing and recent posts'))
      .addSubcommand((s) => s.setName('now').setDescription('Post today’s briefing in this channel now (once a day, like the scheduled one)'))
      .toJSON(),
  // Status and "now" answer the one who asked; (un)subscribing is news for the whole channel.
  isPrivate: (interaction) => ['status', 'now'].includes(interaction.options.getSubcommand(false) ?? ''),
  async run(interaction, ctx) {
    const scheduler = ctx.scheduler;
    if (!scheduler) return problem('Daily briefings are not available here: the bot runs without its digest scheduler (`briefbot start` runs both).');
    if (!interaction.inGuild()) return problem('Daily briefings are for server channels: use `/digest` in a channel of your server.');
    switch (interaction.options.getSubcommand(false)) {
      case 'subscribe':
        return subscribe(interaction, ctx, scheduler);
      case 'unsubscribe':
        return unsubscribe(interaction, ctx, scheduler);
      case 'status':
        return status(interaction, scheduler);
      case 'now':
        return now(interaction, scheduler);
      default:
        return problem('Use `/digest subscribe`, `/digest unsubscribe`, `/digest status` or `/digest now`.');
    }
  },
  autocomplete(interaction) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== 'timezone') return [];
    return suggestTimeZones(String(focused.value)).map((zone) => ({ name: zone, value: zone }));
  },
};
