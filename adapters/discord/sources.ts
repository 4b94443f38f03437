// /sources: the documents the answers quote from.
import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from './slash-command.js';
import { renderSources } from './render.js';

export const sources: SlashCommand = {
  name: 'sources',
  definition: () => new SlashCommandBuilder().setName('sources').setDescription('The documents briefbot quotes from: title, source and date').toJSON(),
  run: (_interaction, { briefing }) => ({ messages: renderSources(briefing.sources()) }),
};
