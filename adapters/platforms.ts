// The platforms briefbot runs on. A new platform is a folder under adapters/ with its `Platform`
// entry, and one line in this table; nothing else names a platform.
import type { Command } from '../src/cli.js';
import { discordPlatform } from './discord/platform.js';
import { slackPlatform } from './slack/platform.js';
import type { Platform } from './types.js';

export const PLATFORMS: readonly Platform[] = [
  slackPlatform,
  discordPlatform,
];

/** The platforms whose variables are set, with their settings; a half-set one throws its ConfigError. */
export function configuredPlatforms(): { platform: Platform; config: unknown }[] {
  return PLATFORMS.flatMap((platform) => {
    const config = platform.fromEnv(process.env);
    return config === undefined ? [] : [{ platform, config }];
  });
}

/** The `briefbot` commands the platforms add, such as `briefbot discord register`. */
export const PLATFORM_COMMANDS: Record<string, Command> = Object.assign({}, ...PLATFORMS.map((p) => p.commands ?? {}));
