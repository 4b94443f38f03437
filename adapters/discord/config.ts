// Discord's settings from the environment (DESIGN.md "Configuration"): a bot token and the
// application id; a guild id registers the commands to one server, where they show at once.
import { ConfigError, readVariables } from '../../src/config.js';

export const PLATFORM = 'discord';

export interface DiscordConfig {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
}

const VARIABLES = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL'] as const;

/** Undefined when no Discord id or token is set; a ConfigError naming what is missing when only some are. */
export function discordConfig(env: NodeJS.ProcessEnv): DiscordConfig | undefined {
  const e = readVariables(env, VARIABLES);
  if (!e.DISCORD_TOKEN && !e.DISCORD_APPLICATION_ID && !e.DISCORD_GUILD_ID) return undefined;
  const missing = [!e.DISCORD_TOKEN && 'DISCORD_TOKEN', !e.DISCORD_APPLICATION_ID && 'DISCORD_APPLICATION_ID'].filter(Boolean);
  if (missing.length) throw new ConfigError(`Discord is half-configured: ${missing.join(' and ')} missing`);
  return { token: e.DISCORD_TOKEN!, applicationId: e.DISCORD_APPLICATION_ID!, guildId: e.DISCORD_GUILD_ID, apiUrl: e.DISCORD_API_URL };
}

/** @discordjs/rest builds `${api}/v${version}${route}`: `api` is the base without a version or trailing slash. */
export function restOptions(config: DiscordConfig): { api?: string } {
  return config.apiUrl ? { api: config.apiUrl.replace(/\/+$/, '').replace(/\/v\d+$/, '') } : {};
}
