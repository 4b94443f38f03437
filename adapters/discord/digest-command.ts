// /digest subscribe|unsubscribe|status|now: a channel's daily briefing in Discord. The use cases
// and their words are shared (adapters/shared/channel-digest*.ts); what is Discord's is reading the
// options, its dialect (timestamps in each reader's zone, message links, permission names) and who
// sees what: (un)subscribing is news for the channel, the rest answers only the one who asked.
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
import type { DigestScheduler } from '../../src/digest/scheduler.js';
import { SubscriptionError, suggestTimeZones } from '../../src/store/subscriptions.js';
import { ChannelDigest, type Subscribed } from '../shared/channel-digest.js';
import {
  cannotPostYetText,
  NO_SCHEDULER,
  nothingToStopText,
  notSubscribedNowText,
  refusedText,
  sentNowText,
  statusText,
  subscribedText,
  unsubscribedText,
  type ChannelDialect,
} from '../shared/channel-digest-wording.js';
import { textMessage } from './card.js';
import { PLATFORM } from './config.js';
import { clip } from './limits.js';
import type { CommandContext, Reply, SlashCommand } from './slash-command.js';

/** What the bot needs in a channel to post a digest there. */
const POST_PERMISSIONS: [PermissionResolvable, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

const say = (text: string, ephemeral?: boolean): Reply => ({ messages: [textMessage(text)], ephemeral });
/** Problems concern only whoever typed the command: the channel does not see them. */
const problem = (text: string): Reply => say(text, true);

/** How the channel-digest sentences read in Discord, for the interaction being answered. */
function discordDialect(interaction: ChatInputCommandInteraction): ChannelDialect {
  return {
    platform: 'Discord',
    bold: (text) => `**${text}**`,
    plain: clip,
    // Discord shows `<t:…>` in each reader's own time zone; the subscription's zone is named beside it.
    when: (instant) => `${time(instant, TimestampStyles.LongDateTime)} (${time(instant, TimestampStyles.RelativeTime)})`,
    mention: (userId) => `<@${userId}>`,
    link: (messageId) => (messageId && interaction.guildId ? ` ${messageLink(interaction.channelId, messageId, interaction.guildId)}` : ''),
    commands: {
      subscribe: '/digest subscribe',
      example: '/digest subscribe time:08:00 timezone:Europe/London',
      status: '/digest status',
      unsubscribe: '/digest unsubscribe',
      now: '/digest now',
      today: '/brief',
    },
    access: 'Give me View Channel, Send Messages and Embed Links',
  };
}

function missingPermissions(interaction: ChatInputCommandInteraction): string[] {
  const granted = interaction.appPermissions;
  return POST_PERMISSIONS.filter(([flag]) => !granted.has(flag)).map(([, name]) => name);
}

function subscribe(interaction: ChatInputCommandInteraction, ctx: CommandContext, channel: ChannelDigest, dialect: ChannelDialect): Reply {
  let done: Subscribed;
  try {
    done = channel.subscribe({
      time: interaction.options.getString('time') ?? undefined,
      timeZone: interaction.options.getString('timezone') ?? undefined,
      weekdaysOnly: interaction.options.getBoolean('weekdays_only') ?? false,
      createdBy: interaction.user.id,
    });
  } catch (err) {
    if (err instanceof SubscriptionError) return problem(refusedText(err.message, dialect));
    throw err;
  }
  const sub = done.subscription;
  ctx.logger.info({ channelId: channel.channelId, time: sub.time, timeZone: sub.timeZone, weekdaysOnly: sub.weekdaysOnly, by: interaction.user.id, changed: done.changed }, 'discord channel subscribed to the daily digest');
  const missing = missingPermissions(interaction);
  return say([subscribedText(done, dialect), ...(missing.length ? [cannotPostYetText(missing)] : [])].join('\n'));
}

function unsubscribe(interaction: ChatInputCommandInteraction, ctx: CommandContext, channel: ChannelDigest, dialect: ChannelDialect): Reply {
  if (!channel.unsubscribe()) return problem(nothingToStopText(dialect));
  ctx.logger.info({ channelId: channel.channelId, by: interaction.user.id }, 'discord channel unsubscribed from the daily digest');
  return say(unsubscribedText(dialect));
}

async function now(channel: ChannelDigest, dialect: ChannelDialect): Promise<Reply> {
  const result = await channel.sendNow();
  return result ? say(sentNowText(result, dialect), true) : problem(notSubscribedNowText(dialect));
}

function runSubcommand(interaction: ChatInputCommandInteraction, ctx: CommandContext, scheduler: DigestScheduler): Promise<Reply> | Reply {
  const channel = new ChannelDigest(scheduler, PLATFORM, interaction.channelId);
  const dialect = discordDialect(interaction);
  switch (interaction.options.getSubcommand(false)) {
    case 'subscribe':
      return subscribe(interaction, ctx, channel, dialect);
    case 'unsubscribe':
      return unsubscribe(interaction, ctx, channel, dialect);
    case 'status':
      return say(statusText(channel.status(), channel.defaults, dialect));
    case 'now':
      return now(channel, dialect);
    default:
      return problem('Use `/digest subscribe`, `/digest unsubscribe`, `/digest status` or `/digest now`.');
  }
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
  run(interaction, ctx) {
    if (!ctx.scheduler) return problem(NO_SCHEDULER);
    if (!interaction.inGuild()) return problem('Daily briefings are for server channels: use `/digest` in a channel of your server.');
    return runSubcommand(interaction, ctx, ctx.scheduler);
  },
  autocomplete(interaction) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== 'timezone') return [];
    return suggestTimeZones(String(focused.value)).map((zone) => ({ name: zone, value: zone }));
  },
};
