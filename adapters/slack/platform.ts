// Slack's entry in adapters/platforms.ts. It loads no Bolt: the adapter loads once Slack runs.
import type { Platform } from '../types.js';
import { slackConfig, type SlackConfig } from './config.js';
import { PLATFORM } from './context.js';

export const slackPlatform: Platform<SlackConfig> = {
  name: PLATFORM,
  fromEnv: slackConfig,
  start: async (config, deps) => (await import('./index.js')).startSlack(config, deps),
  poster: async (config, logger) => (await import('./poster.js')).createSlackPoster(config, logger),
};
