// `briefbot discord register [--guild ID]`: overwrites the application's slash commands in one guild
// (visible at once) or globally (Discord may take a while to show them everywhere).
import { REST, Routes, type APIApplicationCommand, type APIApplicationCommandOption } from 'discord.js';
import type { Topic } from '../../src/types.js';
import { COMMANDS } from './commands.js';
import { restOptions, type DiscordConfig } from './config.js';

export interface RegisterOptions {
  /** Register to this guild; defaults to DISCORD_GUILD_ID; global when neither is set. */
  guildId?: string;
  /** `briefing.topics()`: the choices of `/brief topic:`. */
  topics: readonly Topic[];
}

export interface RegistrationResult {
  scope: 'guild' | 'global';
  guildId?: string;
  /** `options`: the option names, a trailing "?" marking optional ones. */
  commands: { id: string; name: string; description: string; options: string[] }[];
}

/** Options as the CLI prints them: "question private?", or "subscribe|unsubscribe|status|now" for subcommands. */
function optionLabels(options: APIApplicationCommandOption[]): string[] {
  // Subcommands (type 1) and groups (type 2) are alternatives, not optional arguments.
  if (options.length && options.every((o) => o.type === 1 || o.type === 2)) return [options.map((o) => o.name).join('|')];
  return options.map((o) => ('required' in o && o.required ? o.name : `${o.name}?`));
}

export async function registerCommands(config: DiscordConfig, options: RegisterOptions): Promise<RegistrationResult> {
  const guildId = options.guildId ?? config.guildId;
  const rest = new REST(restOptions(config)).setToken(config.token);
  const body = COMMANDS.map((c) => c.definition({ topics: options.topics }));
  const route = guildId ? Routes.applicationGuildCommands(config.applicationId, guildId) : Routes.applicationCommands(config.applicationId);
  // PUT replaces the whole set, so commands removed from the table disappear from Discord too.
  const registered = (await rest.put(route, { body })) as APIApplicationCommand[];
  return {
    scope: guildId ? 'guild' : 'global',
    ...(guildId ? { guildId } : {}),
    commands: registered.map((c) => ({ id: c.id, name: c.name, description: c.description, options: optionLabels(c.options ?? []) })),
  };
}

export function formatRegistration(result: RegistrationResult): string {
  const where = result.scope === 'guild' ? `guild ${result.guildId} (available now)` : 'every guild the bot is in (global; Discord clients can take a while to show changes)';
  const lines = result.commands.map((c) => `  /${c.name}${c.options.length ? ' ' + c.options.join(' ') : ''}: ${c.description}`);
  return [`Registered ${result.commands.length} command${result.commands.length === 1 ? '' : 's'} to ${where}:`, ...lines].join('\n');
}
