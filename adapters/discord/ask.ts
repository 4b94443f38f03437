// /ask question:<text> [private:<bool>]: one answer, quoted from the sources.
import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import { textMessage } from './card.js';
import type { SlashCommand } from './slash-command.js';
import { questionProblem, renderAnswer } from './render.js';

export const ask: SlashCommand = {
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
    // Discord enforces max_length, but a stale registration or another client may not: check again
    // (on the trimmed text, as the engine measures it).
    const length = question.trim().length;
    if (length > MAX_QUESTION_CHARS) {
      return { messages: [textMessage(questionProblem('too_long', length)!)], ephemeral: true };
    }
    const answer = await briefing.ask(question);
    // A problem with the question concerns only the asker, so it is not shown to the channel.
    return { messages: renderAnswer(answer), ephemeral: answer.error ? true : undefined };
  },
};
