// What a slash command is to the handler: its registration body, its visibility and its work. In a
// file of its own so that commands.ts (the table) and the commands kept in their own files
// (sources-command.ts) both name it without an import circle.
import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Topic } from '../../src/types.js';
import type { AdapterDeps } from '../types.js';
import { textMessage, type DiscordMessage } from './render.js';

export interface Reply {
  /** The first is the interaction reply, the rest are follow-ups. */
  messages: DiscordMessage[];
  /** Overrides the command's `isPrivate` when the reply is sent directly (not after a defer). */
  ephemeral?: boolean;
}

export interface SlashCommand {
  name: string;
  /** The registration body; `topics` (from the corpus) are the choices of `/brief topic:`. */
  definition(defs: { topics: readonly Topic[] }): RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Known before the work starts, so a deferred reply already carries the right visibility. */
  isPrivate?(interaction: ChatInputCommandInteraction): boolean;
  run(interaction: ChatInputCommandInteraction, ctx: AdapterDeps): Promise<Reply> | Reply;
  /** Choices for an option being typed (interaction type 4). */
  autocomplete?(interaction: AutocompleteInteraction, ctx: AdapterDeps): Promise<ApplicationCommandOptionChoiceData[]> | ApplicationCommandOptionChoiceData[];
}

export const say = (text: string, ephemeral?: boolean): Reply => ({ messages: [textMessage(text)], ephemeral });
/** Problems concern only whoever typed the command: the channel does not see them. */
export const problem = (text: string): Reply => say(text, true);
