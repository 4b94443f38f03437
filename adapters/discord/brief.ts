// /brief [topic:<choice>]: the passages on one topic, or an overview with one quote per topic.
import { SlashCommandBuilder } from 'discord.js';
import { clip } from './limits.js';
import type { SlashCommand } from './commands.js';
import { renderOverview, renderTopic, renderUnknownTopic } from './render.js';

/** Discord allows 25 choices per option, each name and value at most 100 characters. */
const MAX_CHOICES = 25;

export const brief: SlashCommand = {
  name: 'brief',
  definition: ({ topics }) =>
    new SlashCommandBuilder()
      .setName('brief')
      .setDescription('A briefing on one topic of the talks, or an overview of all of them')
      .addStringOption((o) =>
        o
          .setName('topic')
          .setDescription('The topic (leave out for an overview)')
          .addChoices(...topics.slice(0, MAX_CHOICES).map((t) => ({ name: clip(t.label, 100), value: t.id.slice(0, 100) }))),
      )
      .toJSON(),
  run(interaction, { briefing }) {
    const id = interaction.options.getString('topic');
    if (!id) return { messages: renderOverview(briefing.overview()) };
    const topic = briefing.topic(id);
    // A choice can outlive the corpus that produced it (registered before a corpus change).
    if (!topic) return { messages: renderUnknownTopic(id, briefing.topics()), ephemeral: true };
    return { messages: renderTopic(topic) };
  },
};
