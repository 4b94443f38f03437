// The slash-command table. Each command is one entry: its registration body and its handler. A new
// command (the digest issue's `/digest`) is a new file and one more entry in COMMANDS, nothing else.
import type {
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Topic } from '../../src/types.js';
import type { AdapterDeps } from '../types.js';
import { ask } from './ask.js';
import { brief } from './brief.js';
import type { DiscordMessage } from './card.js';
import { digest } from './digest-command.js';
import { sources } from './sources.js';

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

export const COMMANDS: readonly SlashCommand[] = [ask, brief, sources, digest];

export function findCommand(name: string, commands: readonly SlashCommand[] = COMMANDS): SlashCommand | undefined {
  return commands.find((c) => c.name === name);
}

/** The bodies `briefbot discord register` sends (bulk overwrite). */
export function commandDefinitions(defs: DefinitionContext, commands: readonly SlashCommand[] = COMMANDS): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => c.definition(defs));
}
