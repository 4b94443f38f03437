// Builds the Bolt App: transport, Web API client settings, identity, and every listener.
import { App, webApi } from '@slack/bolt';
import { ConfigError } from '../../src/config.js';
import { CodedError, describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { registerActions } from './actions.js';
import { boltLogger } from './bolt-logger.js';
import { registerBriefCommand } from './brief-command.js';
import type { SlackContext } from './context.js';
import type { SlackConfig } from './config.js';
import { registerConversation } from './conversation.js';
import { createReceiver, webClientOptions } from './receiver.js';

export interface BotIdentity {
  botUserId: string;
  botId: string;
  teamId?: string;
}

// Slack errors that mean the token itself is wrong: a setup mistake, reported like one.
const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/**
 * auth.test once at startup, so a wrong token or an unreachable SLACK_API_URL stops `briefbot start`
 * with a clear line instead of failing every event later; the ids it returns are handed to Bolt,
 * which then skips its own auth.test (runAuthTestForBotToken in bolt/dist/App.js).
 */
export async function identify(config: SlackConfig): Promise<BotIdentity> {
  const client = new webApi.WebClient(config.botToken, { ...webClientOptions(config), retryConfig: { retries: 1, minTimeout: 200 } });
  try {
    const res = await client.auth.test();
    if (!res.user_id || !res.bot_id) throw new ConfigError('SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot id); use the xoxb- token from "OAuth & Permissions"');
    return { botUserId: res.user_id, botId: res.bot_id, teamId: res.team_id };
  } catch (err) {
    throw startError('SLACK_BOT_TOKEN', 'auth.test', err, config.apiUrl);
  }
}

/**
 * A start-up failure as one clear line: a rejected token is the user's to fix (ConfigError); an
 * unreachable Slack is not, so it keeps its cause for the log.
 */
export function startError(variable: string, method: string, err: unknown, apiUrl?: string): Error {
  if (err instanceof ConfigError) return err;
  const info = describeError(err);
  if (info.slackError && TOKEN_ERRORS.has(info.slackError)) {
    return new ConfigError(`Slack rejected ${variable} (${info.slackError})`, { cause: err });
  }
  return new CodedError('platform_start', `Slack ${method} failed${apiUrl ? ` at ${apiUrl}` : ''}: ${info.error}`, { cause: err });
}

export function createSlackApp(config: SlackConfig, identity: BotIdentity, ctx: SlackContext, logger: Logger): App {
  const bolt = boltLogger(logger);
  const app = new App({
    token: config.botToken,
    botId: identity.botId,
    botUserId: identity.botUserId,
    receiver: createReceiver(config, bolt),
    logger: bolt,
    clientOptions: webClientOptions(config),
    // conversation.ts drops our own messages together with every other bot's, with a log line;
    // Bolt's ignoreSelf would drop ours earlier and silently.
    ignoreSelf: false,
  });
  app.error(async (error) => {
    // Our listeners catch their own failures; this is what escaped them (or Bolt's own dispatch).
    logger.error(describeError(error), 'slack: unhandled error in Bolt');
  });
  registerConversation(app, ctx);
  registerBriefCommand(app, ctx);
  registerActions(app, ctx);
  return app;
}
