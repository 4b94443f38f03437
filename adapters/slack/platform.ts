// Slack's entry in the platform table (adapters/platforms.ts). Nothing here loads Bolt: reading the
// environment is enough to know whether Slack runs, and the adapter loads when it does.
import type { Platform } from '../types.js';
import { slackConfig, type SlackConfig } from './config.js';
import { PLATFORM } from './context.js';

export const slackPlatform: Platform<SlackConfig> = {
  name: PLATFORM,
  fromEnv: slackConfig,
  start: async (config, deps) => (await import('./index.js')).startSlack(config, deps),
  poster: async (config, logger) => (await import('./poster.js')).createSlackPoster(config, logger),
};
