// What a slash command is and what it is handed. Its own file so that the command files and the
// table that lists them (commands.ts) both name it without importing each other.
import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Topic } from '../../src/types.js';
import type { AdapterDeps } from '../types.js';
import type { DiscordMessage } from './card.js';

/** What a command handler may use: the same dependencies every adapter gets. */
export type CommandContext = AdapterDeps;

/** What registration needs to know to build command bodies (choices come from the corpus). */
export interface DefinitionContext {
  topics: Topic[];
}

export interface Reply {
  /** The first is the interaction reply, the rest are follow-ups. */
  messages: DiscordMessage[];
  /** Overrides the command's `isPrivate` when the reply is sent directly (not after a defer). */
  ephemeral?: boolean;
}

export interface SlashCommand {
  name: string;
  definition(defs: DefinitionContext): RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Known before the work starts, so a deferred reply already carries the right visibility. */
  isPrivate?(interaction: ChatInputCommandInteraction): boolean;
  run(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<Reply> | Reply;
  /** Choices for an option being typed (interaction type 4). */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<ApplicationCommandOptionChoiceData[]> | ApplicationCommandOptionChoiceData[];
}
