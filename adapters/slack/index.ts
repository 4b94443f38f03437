// briefbot in Slack (started through platform.ts): checks the token, builds the Bolt App with every
// listener over its transport, Socket Mode (no public URL needed) or HTTP (Events API, commands and
// interactivity all on /slack/events), and starts it. Only the receiver differs between the two.
import { App, SocketModeReceiver, webApi, type Logger as BoltLogger } from '@slack/bolt';
import { ConfigError } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { CodedError, describeError } from '../../src/errors.js';
import { AnswerQueue } from './answer-queue.js';
import type { AdapterDeps, RunningAdapter } from '../types.js';
import { registerActions } from './actions.js';
import { boltLogger } from './bolt-logger.js';
import { defaultSubcommands, registerBriefCommand } from './brief-command.js';
import type { SlackConfig } from './config.js';
import { PLATFORM, type BriefSubcommand, type SlackContext } from './context.js';
import { registerConversation } from './conversation.js';
import { digestSubcommands } from './digest-subcommands.js';
import { registerFileShares } from './file-share.js';
import { createSlackPoster } from './poster.js';
import { SlackEventsReceiver } from './receiver.js';
import { sourceSubcommands } from './source-subcommands.js';

export interface StartSlackOptions {
  /** The whole `/brief` table; defaults to today's digest (""), sources, help, with a scheduler the digest rows, with a SourceDesk the source rows. */
  subcommands?: BriefSubcommand[];
  /** Delay before a slow answer gets a "Looking through the sources…" placeholder (default 1,500 ms). */
  placeholderAfterMs?: number;
}

export interface RunningSlack extends RunningAdapter {
  /** HTTP mode: the port actually listened on (SLACK_PORT, or the one picked for port 0). */
  port?: number;
}

// Slack errors that mean the token itself is wrong: a setup mistake, reported like one.
const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

function slackMode(config: SlackConfig): 'http' | 'socket' {
  return config.appToken ? 'socket' : 'http';
}

// web-api's default retries (ten over about thirty minutes) for 429s and network errors, none for
// other HTTP statuses: else a Slack 500 on chat.postMessage keeps the asker waiting half an hour.
// web-api hands retryConfig to p-retry 4 unchanged (WebClient.makeRequest), where a throw from
// `onFailedAttempt` rejects without retrying (node_modules/p-retry/index.js).
const webApiRetryPolicy = {
  ...webApi.retryPolicies.tenRetriesInAboutThirtyMinutes,
  onFailedAttempt(error: Error & { code?: string }) {
    if (error.code === webApi.ErrorCode.HTTPError) throw error;
  },
} as webApi.RetryOptions;

function webClientOptions(config: SlackConfig): webApi.WebClientOptions {
  return { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), retryConfig: webApiRetryPolicy };
}

function createReceiver(config: SlackConfig, logger: Logger, bolt: BoltLogger): SocketModeReceiver | SlackEventsReceiver {
  if (slackMode(config) === 'socket') {
    return new SocketModeReceiver({
      appToken: config.appToken!,
      logger: bolt,
      // The Socket Mode client makes its own WebClient (apps.connections.open) from these options,
      // not the App's (bolt/dist/receivers/SocketModeReceiver.js), and writes its reconnect retry
      // policy into them (socket-mode/dist/src/SocketModeClient.js), so it gets its own copy.
      installerOptions: { clientOptions: config.apiUrl ? { slackApiUrl: config.apiUrl } : {} },
    });
  }
  // Our own receiver and server (receiver.ts, http-server.ts): Bolt's HTTPReceiver would listen
  // with no timeouts or caps, check signatures loosely, and ack events only after its middleware.
  return new SlackEventsReceiver({ signingSecret: config.signingSecret!, logger });
}

export async function startSlack(config: SlackConfig, deps: AdapterDeps, options: StartSlackOptions = {}): Promise<RunningSlack> {
  const logger = deps.logger.child({ platform: PLATFORM });
  const ctx: SlackContext = {
    deps,
    briefing: deps.briefing,
    logger,
    deliveries: deps.stores.deliveries,
    feedback: deps.stores.feedback,
    answers: new AnswerQueue(),
    subcommands: options.subcommands ?? [...defaultSubcommands(), ...(deps.scheduler ? digestSubcommands() : []), ...(deps.sources ? sourceSubcommands() : [])],
    placeholderAfterMs: options.placeholderAfterMs,
  };
  const identity = await identify(config);
  const bolt = boltLogger(logger);
  const receiver = createReceiver(config, logger, bolt);
  const app = new App({
    token: config.botToken,
    ...identity,
    receiver,
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
  if (deps.sources) registerFileShares(app, ctx);
  registerBriefCommand(app, ctx);
  registerActions(app, ctx);

  const mode = slackMode(config);
  let port: number | undefined;
  if (receiver instanceof SlackEventsReceiver) port = await receiver.start(config.port);
  else {
    try {
      await app.start();
    } catch (err) {
      throw startError('SLACK_APP_TOKEN', 'apps.connections.open', err);
    }
  }
  logger.info({ mode, port, botUserId: identity.botUserId }, mode === 'socket' ? 'slack: connected over Socket Mode' : `slack: listening for events on port ${port} at /slack/events`);
  let stopped = false;
  return {
    platform: PLATFORM,
    port,
    // Digests go out over the Web API alone, like `briefbot digest --post`: one code path for both.
    poster: createSlackPoster(config, logger),
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      logger.info('slack: stopped');
    },
  };
}

// auth.test at startup: a wrong token or an unreachable SLACK_API_URL stops `briefbot start` with a
// clear line, not failing events later. Given its ids, Bolt skips its own (bolt/dist/App.js).
async function identify(config: SlackConfig): Promise<{ botUserId: string; botId: string }> {
  const client = new webApi.WebClient(config.botToken, { ...webClientOptions(config), retryConfig: { retries: 1, minTimeout: 200 } });
  try {
    const res = await client.auth.test();
    if (!res.user_id || !res.bot_id) throw new ConfigError('SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot id); use the xoxb- token from "OAuth & Permissions"');
    return { botUserId: res.user_id, botId: res.bot_id };
  } catch (err) {
    throw startError('SLACK_BOT_TOKEN', 'auth.test', err, config.apiUrl);
  }
}

/** A start-up failure as one line: a rejected token is the user's to fix (ConfigError), an unreachable Slack keeps its cause. */
function startError(variable: string, method: string, err: unknown, apiUrl?: string): Error {
  if (err instanceof ConfigError) return err;
  const info = describeError(err);
  if (info.slackError && TOKEN_ERRORS.has(info.slackError)) {
    return new ConfigError(`Slack rejected ${variable} (${info.slackError})`, { cause: err });
  }
  return new CodedError('platform_start', `Slack ${method} failed${apiUrl ? ` at ${apiUrl}` : ''}: ${info.error}`, { cause: err });
}
