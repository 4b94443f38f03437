// Slack's settings from the environment (DESIGN.md "Configuration").
import { ConfigError, readVariables, wholeNumber } from '../../src/config.js';

export interface SlackConfig {
  botToken: string;
  signingSecret?: string;
  /** Socket Mode when set, even with signingSecret; else HTTP (Events API). */
  appToken?: string;
  port: number;
  apiUrl?: string;
}

export const DEFAULT_SLACK_PORT = 3000;

const VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_PORT', 'SLACK_API_URL'] as const;

/** Undefined when no Slack credential is set; a ConfigError naming what is missing when only some are. */
export function slackConfig(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  const e = readVariables(env, VARIABLES);
  if (!e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) return undefined;
  if (!e.SLACK_BOT_TOKEN) throw new ConfigError('SLACK_BOT_TOKEN is missing (SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set)');
  if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new ConfigError('Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) besides SLACK_BOT_TOKEN');
  }
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    port: wholeNumber('SLACK_PORT', e.SLACK_PORT, DEFAULT_SLACK_PORT),
    apiUrl: e.SLACK_API_URL,
  };
}
