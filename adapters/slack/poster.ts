// Posts a digest with one chat.postMessage over the Web API alone, so it serves `briefbot start` and
// `briefbot digest --post` alike, and classifies every failure for the scheduler (src/digest/poster.ts):
// not posted (retry), permanent, channel gone (unsubscribe), or maybe posted (never retried). Slack
// has no idempotency key for chat.postMessage: whatever may have reached its backend is "maybe posted".
import { webApi } from '@slack/bolt';
import { ChannelGoneError, DigestPostError, type DigestPoster } from '../../src/digest/poster.js';
import type { Digest } from '../../src/digest/types.js';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { networkCode, transportError } from '../shared/network-errors.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackConfig } from './config.js';
import { DIGEST_EVENT_TYPE, renderDigest } from './render.js';
import { postMessage } from './replies.js';

/** Long enough for a slow Slack, short enough that a hung connection cannot hold the day's claim. */
const DEFAULT_POST_TIMEOUT_MS = 30_000;

// Channel deleted, archived, or the bot removed (a private channel then answers channel_not_found, a
// public one not_in_channel). Removing the bot is a team's way of saying "stop": unsubscribe.
const GONE = new Set(['channel_not_found', 'is_archived', 'channel_is_archived', 'not_in_channel']);
// The token or the app, wrong for every channel at once: a permanent failure that KEEPS the
// subscriptions, so fixing SLACK_BOT_TOKEN (or reinstalling the app) brings every digest back.
const TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope', 'not_allowed_token_type', 'ekm_access_denied']);
/** Slack documents these for chat.postMessage as "it's possible some aspect of the operation succeeded". */
const MAYBE_POSTED = new Set(['internal_error', 'fatal_error']);
/** Refused before anything happened: worth another try later. */
const TRANSIENT = new Set(['service_unavailable', 'ratelimited', 'request_timeout']);

export interface SlackPosterOptions {
  /** Per-request timeout (default 30 s). A timeout counts as "maybe posted". */
  timeoutMs?: number;
  /** web-api's `fetch` option (tests: a transport that sends, then never hears back). */
  fetch?: webApi.WebClientOptions['fetch'];
}

/** Maps whatever @slack/web-api threw (with retries off, see createSlackPoster) to the scheduler's contract. */
export function classifySlackPostError(err: unknown, channelId: string): Error {
  const cause = err;
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number; original?: Error };
  if (e?.code === webApi.ErrorCode.RateLimitedError) {
    const retryAfterMs = Math.max(0, (e.retryAfter ?? 1) * 1000);
    return new DigestPostError(`rate limited by Slack; retry after ${Math.ceil(retryAfterMs / 1000)} s`, { retryAfterMs, cause });
  }
  if (e?.code === webApi.ErrorCode.PlatformError) {
    const error = e.data?.error ?? 'unknown_error';
    if (GONE.has(error)) return new ChannelGoneError(`Slack refused to post in channel ${channelId} (${error}): it was deleted or archived, or the bot is not a member`, channelId);
    if (TOKEN.has(error)) return new DigestPostError(`Slack rejected the bot token (${error}); check SLACK_BOT_TOKEN and that the app is still installed`, { permanent: true, cause });
    if (MAYBE_POSTED.has(error)) return new DigestPostError(`Slack answered ${error}, which may follow a successful post`, { outcomeUnknown: true, cause });
    if (TRANSIENT.has(error)) return new DigestPostError(`Slack answered ${error}`, { cause });
    // Slack read the request and refused it (invalid_blocks, msg_too_long, restricted_action...).
    return new DigestPostError(`Slack refused the digest (${error})`, { permanent: true, cause });
  }
  if (e?.code === webApi.ErrorCode.HTTPError) {
    // Slack's Web API answers 200 or 429 by design; any other status came from somewhere between
    // us and the backend after the request was sent, so the post may or may not have happened.
    return new DigestPostError(`Slack answered HTTP ${e.statusCode ?? '?'}`, { outcomeUnknown: true, cause });
  }
  // A 429 without a usable Retry-After (web-api throws a plain Error then): refused, not posted.
  if (err instanceof Error && err.message.startsWith('Retry header did not contain a valid timeout')) {
    return new DigestPostError('rate limited by Slack (no Retry-After)', { cause });
  }
  const original = e?.code === webApi.ErrorCode.RequestError ? e.original : err instanceof Error ? err : undefined;
  // web-api aborts a slow request with a TimeoutError.
  return transportError({
    platform: 'Slack',
    code: networkCode(err, (code) => code.startsWith('slack_webapi_')),
    timedOut: original?.name === 'TimeoutError' || original?.name === 'AbortError',
    detail: String(describeError(original ?? err).error),
    cause,
  });
}

export function createSlackPoster(config: SlackConfig, logger: Logger, options: SlackPosterOptions = {}): DigestPoster {
  const log = logger.child({ component: 'slack-digest-poster' });
  // One attempt per post: the scheduler owns retries, so it can wait out a 429 with its own sleep,
  // record every attempt, and never re-send what may have landed. web-api would retry network errors
  // and 5xx for up to 30 minutes and wait out 429s inside the call (WebClient.makeRequest);
  // rejectRateLimitedCalls makes a 429 throw WebAPIRateLimitedError with Slack's Retry-After.
  const client = new webApi.WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? DEFAULT_POST_TIMEOUT_MS,
    logger: boltLogger(log),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  return {
    platform: 'slack',
    async post(channelId: string, digest: Digest): Promise<{ messageId: string }> {
      let message;
      try {
        message = renderDigest(digest);
      } catch (err) {
        throw new DigestPostError(`could not render the digest for Slack: ${String(describeError(err).error)}`, { permanent: true, cause: err });
      }
      try {
        // Marks the message as the digest of this date, for anyone (or any tool) reading the channel back.
        const res = await postMessage(client, { channel: channelId }, message, { event_type: DIGEST_EVENT_TYPE, event_payload: { date: digest.date } });
        if (!res.ts) throw new DigestPostError('Slack accepted the digest but returned no message ts', { outcomeUnknown: true });
        return { messageId: res.ts };
      } catch (err) {
        if (err instanceof DigestPostError) throw err;
        const classified = classifySlackPostError(err, channelId);
        log.warn({ channel: channelId, date: digest.date, ...describeError(err), classified: classified.name, reason: classified.message }, 'slack digest post failed');
        throw classified;
      }
    },
  };
}
