// Discord's entry in the platform table (adapters/platforms.ts). Nothing here loads discord.js.
import { UsageError, type Command } from '../../src/cli.js';
import { TOPICS } from '../../src/answer/topics.js';
import type { Platform } from '../types.js';
import { discordConfig, PLATFORM, type DiscordConfig } from './config.js';

/** `briefbot discord register [--guild ID]`: slash commands only appear in Discord once registered. */
const discord: Command = async (ctx) => {
  if (ctx.args[0] !== 'register') throw new UsageError('usage: briefbot discord register [--guild ID]');
  const config = discordConfig(process.env);
  if (!config) throw new UsageError('discord register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  const guild = ctx.flags.get('guild');
  const { registerCommands, formatRegistration } = await import('./register.js');
  const result = await registerCommands(config, { guildId: typeof guild === 'string' ? guild : undefined, topics: TOPICS });
  ctx.stdout(`${formatRegistration(result)}\n`);
  return 0;
};

export const discordPlatform: Platform<DiscordConfig> = {
  name: PLATFORM,
  fromEnv: discordConfig,
  start: async (config, deps) => (await import('./index.js')).startDiscord(config, deps),
  poster: async (config, logger) => (await import('./poster.js')).createDiscordPoster(config, logger),
  commands: { discord },
};
