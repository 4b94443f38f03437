// Which transport carries Slack's events: Socket Mode when an app token is set (no public URL
// needed), else HTTP (Events API, commands and interactivity all on Bolt's default /slack/events).
// Everything above this file is the same for both, the way Bolt's receivers are meant to be used.
import { HTTPReceiver, SocketModeReceiver, webApi, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { SlackConfig } from './config.js';

export type SlackMode = 'http' | 'socket';

export function slackMode(config: SlackConfig): SlackMode {
  return config.appToken ? 'socket' : 'http';
}

/**
 * Web API retry policy: web-api's default (ten retries over about thirty minutes) for rate limits
 * (429, where web-api waits out Retry-After itself) and network errors, but no retry for any other
 * HTTP status. Without this a Slack 500 on chat.postMessage keeps the asker waiting for half an hour;
 * with it, the failure surfaces at once, is logged, and the user gets a short error reply.
 * `onFailedAttempt` is p-retry 4's hook (node_modules/p-retry/index.js: a throw from it rejects
 * without retrying); web-api hands retryConfig to p-retry unchanged (WebClient.makeRequest).
 */
export const webApiRetryPolicy = {
  ...webApi.retryPolicies.tenRetriesInAboutThirtyMinutes,
  onFailedAttempt(error: Error & { code?: string }) {
    if (error.code === webApi.ErrorCode.HTTPError) throw error;
  },
} as webApi.RetryOptions;

export function webClientOptions(config: SlackConfig): webApi.WebClientOptions {
  return { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), retryConfig: webApiRetryPolicy };
}

export function createReceiver(config: SlackConfig, logger: BoltLogger): Receiver {
  if (slackMode(config) === 'socket') {
    return new SocketModeReceiver({
      appToken: config.appToken!,
      logger,
      // The Socket Mode client makes its own WebClient (for apps.connections.open) from
      // installerOptions.clientOptions, not from the App's clientOptions
      // (bolt/dist/receivers/SocketModeReceiver.js). It also writes its reconnect retry policy into
      // the object it is given (socket-mode/dist/src/SocketModeClient.js), so it gets its own copy.
      installerOptions: { clientOptions: config.apiUrl ? { slackApiUrl: config.apiUrl } : {} },
    });
  }
  return new HTTPReceiver({
    signingSecret: config.signingSecret!,
    logger,
    // Respond to Slack as soon as a listener acks, then keep working: answers can take longer than
    // Slack's 3-second budget, so nothing slow may happen before ack().
    processBeforeResponse: false,
  });
}
