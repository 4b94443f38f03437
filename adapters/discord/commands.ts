// The slash-command table. Each command is one entry: its registration body and its handler. A new
// command (the digest issue's `/digest`) is a new file and one more entry in COMMANDS, nothing else.
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { ask } from './ask.js';
import { brief } from './brief.js';
import { digest } from './digest-command.js';
import type { DefinitionContext, SlashCommand } from './slash-command.js';
import { sources } from './sources.js';

export const COMMANDS: readonly SlashCommand[] = [ask, brief, sources, digest];

export function findCommand(name: string, commands: readonly SlashCommand[] = COMMANDS): SlashCommand | undefined {
  return commands.find((c) => c.name === name);
}

/** The bodies `briefbot discord register` sends (bulk overwrite). */
export function commandDefinitions(defs: DefinitionContext, commands: readonly SlashCommand[] = COMMANDS): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((c) => c.definition(defs));
}
