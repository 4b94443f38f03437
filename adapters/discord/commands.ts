// The table of slash commands (what one is: slash-command.ts), each with its registration body and its
// handler; a new command is one more entry in COMMANDS. `/digest` runs the shared channel-digest use
// cases (adapters/shared/channel-digest.ts); Discord's are its options, dialect and who sees what.
// `/sources` (listing, and for editors adding and removing) is in sources-command.ts.
import { InteractionContextType, messageLink, PermissionFlagsBits, SlashCommandBuilder, time, TimestampStyles } from 'discord.js';
import type { ChatInputCommandInteraction, PermissionResolvable } from 'discord.js';
import type { DigestScheduler } from '../../src/digest/scheduler.js';
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import { SubscriptionError, suggestTimeZones } from '../../src/store/subscriptions.js';
import { answerCard, questionProblemText, topicCard, unknownTopicCard } from '../shared/card.js';
import {
  cannotPostYetText,
  ChannelDigest,
  NO_SCHEDULER,
  nothingToStopText,
  notSubscribedNowText,
  refusedText,
  sentNowText,
  statusText,
  subscribedText,
  todaysDigest,
  unsubscribedText,
  type ChannelDialect,
  type Subscribed,
} from '../shared/channel-digest.js';
import type { AdapterDeps } from '../types.js';
import { PLATFORM } from './config.js';
import { clip } from './limits.js';
import { cardMessages, DISCORD_DIALECT, renderDigest } from './render.js';
import { problem, say, type Reply, type SlashCommand } from './slash-command.js';
import { sources } from './sources-command.js';

export type { Reply, SlashCommand } from './slash-command.js';

/** Discord allows 25 choices per option, each name and value at most 100 characters. */
const MAX_CHOICES = 25;

/** /ask question:<text> [private:<bool>]: one answer, quoted from the sources. */
const ask: SlashCommand = {
  name: 'ask',
  definition: () =>
    new SlashCommandBuilder()
      .setName('ask')
      .setDescription('Ask about the US–Iran nuclear talks; answered with verbatim quotes from the sources')
      .addStringOption((o) =>
        o.setName('question').setDescription('Your question, in plain words').setRequired(true).setMinLength(1).setMaxLength(MAX_QUESTION_CHARS),
      )
      .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer (default: the whole channel does)'))
      .toJSON(),
  isPrivate: (interaction) => interaction.options.getBoolean('private') ?? false,
  async run(interaction, { briefing }) {
    const question = interaction.options.getString('question') ?? '';
    // A stale registration or another client may not enforce max_length: check, as the engine measures.
    const length = question.trim().length;
    if (length > MAX_QUESTION_CHARS) return problem(questionProblemText({ error: 'too_long', questionChars: length }, DISCORD_DIALECT));
    const answer = await briefing.ask(question);
    // A problem with the question concerns only the asker.
    return { messages: cardMessages(answerCard(answer, DISCORD_DIALECT)), ephemeral: answer.error ? true : undefined };
  },
};

/** /brief [topic:<choice>]: the passages on one topic, or, without one, today's digest as the channel's post shows it. */
const brief: SlashCommand = {
  name: 'brief',
  definition: ({ topics }) =>
    new SlashCommandBuilder()
      .setName('brief')
      .setDescription('A briefing on one topic of the talks, or today’s digest of all of them')
      .addStringOption((o) =>
        o
          .setName('topic')
          .setDescription('The topic (leave out for today’s digest)')
          .addChoices(...topics.slice(0, MAX_CHOICES).map((t) => ({ name: clip(t.label, 100), value: t.id.slice(0, 100) }))),
      )
      .toJSON(),
  async run(interaction, { briefing, config, scheduler }) {
    const id = interaction.options.getString('topic');
    if (!id) {
      const { digest } = await todaysDigest({ briefing, scheduler, platform: PLATFORM, channelId: interaction.channelId, timeZone: config.digest.tz });
      return { messages: [renderDigest(digest)] };
    }
    const topic = briefing.topic(id);
    // A choice can outlive the corpus that produced it (registered before a corpus change).
    if (!topic) return { messages: cardMessages(unknownTopicCard(id, briefing.topics())), ephemeral: true };
    return { messages: cardMessages(topicCard(topic)) };
  },
};

/** What the bot needs in a channel to post a digest there. */
const POST_PERMISSIONS: [PermissionResolvable, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

function digestDialect(interaction: ChatInputCommandInteraction): ChannelDialect {
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

async function subscribe(interaction: ChatInputCommandInteraction, ctx: AdapterDeps, channel: ChannelDigest, dialect: ChannelDialect): Promise<Reply> {
  let done: Subscribed;
  try {
    done = await channel.subscribe({
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
  const missing = POST_PERMISSIONS.filter(([flag]) => !interaction.appPermissions.has(flag)).map(([, name]) => name);
  return say([subscribedText(done, dialect), ...(missing.length ? [cannotPostYetText(missing)] : [])].join('\n'));
}

async function runDigest(interaction: ChatInputCommandInteraction, ctx: AdapterDeps, scheduler: DigestScheduler): Promise<Reply> {
  const channel = new ChannelDigest(scheduler, PLATFORM, interaction.channelId);
  const dialect = digestDialect(interaction);
  switch (interaction.options.getSubcommand(false)) {
    case 'subscribe':
      return subscribe(interaction, ctx, channel, dialect);
    case 'unsubscribe':
      if (!(await channel.unsubscribe())) return problem(nothingToStopText(dialect));
      ctx.logger.info({ channelId: channel.channelId, by: interaction.user.id }, 'discord channel unsubscribed from the daily digest');
      return say(unsubscribedText(dialect));
    case 'status':
      return say(statusText(await channel.status(), channel.defaults, dialect));
    case 'now': {
      const result = await channel.sendNow();
      return result ? say(sentNowText(result, dialect), true) : problem(notSubscribedNowText(dialect));
    }
    default:
      return problem('Use `/digest subscribe`, `/digest unsubscribe`, `/digest status` or `/digest now`.');
  }
}

/** /digest subscribe|unsubscribe|status|now: a channel's daily briefing. */
const digest: SlashCommand = {
  name: 'digest',
  definition: () =>
    new SlashCommandBuilder()
      .setName('digest')
      .setDescription('The daily briefing in this channel: subscribe, unsubscribe, status, or post today’s now')
      // Posting daily is the channel managers' call; server admins can widen it in Server Settings > Integrations.
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
    return runDigest(interaction, ctx, ctx.scheduler);
  },
  autocomplete(interaction) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== 'timezone') return [];
    return suggestTimeZones(String(focused.value)).map((zone) => ({ name: zone, value: zone }));
  },
};

export const COMMANDS: readonly SlashCommand[] = [ask, brief, sources, digest];
