// /brief [topic:<choice>]: the passages on one topic, or, without a topic, today's digest (the
// same one the channel's daily post shows, in the channel's own time zone when it is subscribed).
import { SlashCommandBuilder } from 'discord.js';
import { localDate } from '../../src/digest/schedule.js';
import { PLATFORM } from './config.js';
import { renderDigest } from './digest-render.js';
import { clip } from './limits.js';
import { renderTopic, renderUnknownTopic } from './render.js';
import type { SlashCommand } from './slash-command.js';

/** Discord allows 25 choices per option, each name and value at most 100 characters. */
const MAX_CHOICES = 25;

export const brief: SlashCommand = {
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
      // A subscribed channel sees what is new since its own last digest, dated in its own zone.
      const sub = scheduler?.subscriptions.get(PLATFORM, interaction.channelId);
      const digest = await briefing.digest({ date: localDate(new Date(), sub?.timeZone ?? config.digest.tz), previous: sub?.lastHashes });
      return { messages: [renderDigest(digest)] };
    }
    const topic = briefing.topic(id);
    // A choice can outlive the corpus that produced it (registered before a corpus change).
    if (!topic) return { messages: renderUnknownTopic(id, briefing.topics()), ephemeral: true };
    return { messages: renderTopic(topic) };
  },
};
