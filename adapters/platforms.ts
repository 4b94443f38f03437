// The platforms briefbot runs on. A new platform is a folder under adapters/ with its `Platform`
// entry, and one line in this table; nothing else names a platform.
import type { Command } from '../src/cli.js';
import type { DigestPoster } from '../src/digest/poster.js';
import type { Logger } from '../src/log.js';
import { discordPlatform } from './discord/platform.js';
import { slackPlatform } from './slack/platform.js';
import type { Platform } from './types.js';

export const PLATFORMS: readonly Platform[] = [
  slackPlatform,
  discordPlatform,
];

export interface ConfiguredPlatform {
  platform: Platform;
  config: unknown;
}

/** The platforms whose variables are set, with their settings; a half-set one throws its ConfigError. */
export function configuredPlatforms(env: NodeJS.ProcessEnv = process.env, platforms: readonly Platform[] = PLATFORMS): ConfiguredPlatform[] {
  return platforms.flatMap((platform) => {
    const config = platform.fromEnv(env);
    return config === undefined ? [] : [{ platform, config }];
  });
}

/** A digest poster for each configured platform, over its HTTP API alone (`briefbot digest --post`). */
export function configuredPosters(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<DigestPoster[]> {
  return Promise.all(configuredPlatforms(env).map(({ platform, config }) => platform.poster(config, logger)));
}

/** The `briefbot` commands the platforms add, such as `briefbot discord register`. */
export function platformCommands(platforms: readonly Platform[] = PLATFORMS): Record<string, Command> {
  return Object.assign({}, ...platforms.map((p) => p.commands ?? {}));
}
