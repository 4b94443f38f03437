// briefbot in Slack. `briefbot start` calls startSlack when SLACK_BOT_TOKEN and either
// SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) are set (platform.ts).
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { FeedbackStore } from '../../src/store/feedback.js';
import { SeenEvents } from '../../src/store/seen-events.js';
import type { AdapterDeps, RunningAdapter } from '../types.js';
import { AnswerQueue } from './answer-queue.js';
import { createSlackApp, identify, startError } from './app.js';
import type { SlackConfig } from './config.js';
import { PLATFORM, type SlackContext } from './context.js';
import { digestSubcommands } from './digest-subcommands.js';
import { createSlackPoster, type SlackDigestPoster, type SlackPosterOptions } from './poster.js';
import { slackMode } from './receiver.js';
import { defaultSubcommands, type BriefSubcommand } from './subcommands.js';

export interface StartSlackOptions {
  /**
   * The full `/brief` subcommand table; defaults to today's digest (""), help, and, when
   * `deps.scheduler` is set, subscribe / unsubscribe / status.
   */
  subcommands?: BriefSubcommand[];
  /** Options for the digest poster `startSlack` returns (tests: a timeout, a transport). */
  poster?: SlackPosterOptions;
  /** Questions answered at once (default 4); the rest wait, so acks stay fast under load. */
  answerConcurrency?: number;
  /** Delay before a slow answer gets a "Looking through the sources…" placeholder (default 1,500 ms). */
  placeholderAfterMs?: number;
}

export interface RunningSlack extends RunningAdapter {
  app: App;
  /** HTTP mode: the port actually listened on (SLACK_PORT, or the one picked for port 0). */
  port?: number;
  poster: SlackDigestPoster;
}

export async function startSlack(config: SlackConfig, deps: AdapterDeps, options: StartSlackOptions = {}): Promise<RunningSlack> {
  const logger = deps.logger.child({ platform: PLATFORM });
  const ctx: SlackContext = {
    deps,
    briefing: deps.briefing,
    logger,
    seen: new SeenEvents(deps.db),
    feedback: new FeedbackStore(deps.db),
    subcommands: options.subcommands ?? [...defaultSubcommands(), ...(deps.scheduler ? digestSubcommands() : [])],
    answers: new AnswerQueue(options.answerConcurrency),
    placeholderAfterMs: options.placeholderAfterMs,
  };
  const identity = await identify(config);
  const app = createSlackApp(config, identity, ctx, logger);
  const mode = slackMode(config);
  let port: number | undefined;
  if (mode === 'socket') {
    try {
      await app.start();
    } catch (err) {
      throw startError('SLACK_APP_TOKEN', 'apps.connections.open', err);
    }
  } else {
    const server = await app.start(config.port);
    port = (server.address() as AddressInfo).port;
  }
  logger.info({ mode, port, botUserId: identity.botUserId }, mode === 'socket' ? 'slack: connected over Socket Mode' : `slack: listening for events on port ${port} at /slack/events`);
  // Digests go out over the Web API alone, like `briefbot digest --post`: one code path for both.
  const poster = createSlackPoster(config, logger, options.poster);
  let stopped = false;
  return {
    platform: PLATFORM,
    app,
    port,
    poster,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      logger.info('slack: stopped');
    },
  };
}

export { renderAnswer, renderHelp, renderNotice, type AnswerRenderOptions, type SlackMessage } from './render.js';
export { escapeMrkdwn, slackToPlain } from './mrkdwn.js';
export { slackConfig, type SlackConfig } from './config.js';
export { BRIEF_COMMAND, defaultSubcommands, helpSubcommand, sourcesSubcommand, todayDigestSubcommand, type BriefCommandContext, type BriefSubcommand } from './subcommands.js';
export { digestSubcommands, parseSubscribeArgs, subscribeSubcommand, unsubscribeSubcommand, statusSubcommand, SUBSCRIBE_USAGE } from './digest-subcommands.js';
export { createSlackPoster, classifySlackPostError, DEFAULT_POST_TIMEOUT_MS, type SlackDigestPoster, type SlackPosterOptions } from './poster.js';
export { renderDigest, DIGEST_EVENT_TYPE, NEW_SINCE_HEADING, POINTS_HEADING, INDICATORS_HEADING } from './digest-render.js';
