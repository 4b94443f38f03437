// Posts a day's digest to a Slack channel with one chat.postMessage over the Web API alone (no
// receiver, no socket), so the same poster serves `briefbot start` and `briefbot digest --post`.
// Its real job is to classify every failure the way the scheduler's contract asks
// (src/digest/poster.ts): certainly not posted (retry), never going to work (permanent), channel
// gone (unsubscribe), or maybe posted (never retried). Slack has no idempotency key for
// chat.postMessage, so anything that may have reached Slack's backend is "maybe posted".
import { webApi } from '@slack/bolt';
import { ChannelGoneError, DigestPostError, type DigestPoster } from '../../src/digest/poster.js';
import type { Digest } from '../../src/digest/types.js';
import type { Logger } from '../../src/log.js';
import { networkCode, transportError } from '../shared/network-errors.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackConfig } from './config.js';
import { DIGEST_EVENT_TYPE, renderDigest } from './digest-render.js';
import { describeError } from './replies.js';

/** Long enough for a slow Slack, short enough that a hung connection cannot hold the day's claim. */
export const DEFAULT_POST_TIMEOUT_MS = 30_000;

/**
 * The channel is gone for the digest: deleted or archived, or the bot was removed from it (a
 * private channel the bot left answers channel_not_found, a public one not_in_channel). Removing
 * the bot is a team's way of saying "stop", so it unsubscribes rather than fails every day.
 */
const GONE = new Set(['channel_not_found', 'is_archived', 'channel_is_archived', 'not_in_channel']);
/**
 * The token or the app, not the channel: wrong for every channel at once. Recorded as a permanent
 * failure and the subscriptions are KEPT, so fixing SLACK_BOT_TOKEN (or reinstalling the app)
 * brings every channel's digest back instead of silently leaving them all unsubscribed.
 */
const TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope', 'not_allowed_token_type', 'ekm_access_denied']);
/**
 * Slack documents these for chat.postMessage as "it's possible some aspect of the operation
 * succeeded before the error was raised": the message may be in the channel.
 */
const MAYBE_POSTED = new Set(['internal_error', 'fatal_error']);
/** Refused before anything happened: worth another try later. */
const TRANSIENT = new Set(['service_unavailable', 'ratelimited', 'request_timeout']);

export interface SlackPosterOptions {
  /** Per-request timeout (default 30 s). A timeout counts as "maybe posted". */
  timeoutMs?: number;
  /** web-api's `fetch` option (tests: a transport that sends, then never hears back). */
  fetch?: webApi.WebClientOptions['fetch'];
}

export interface SlackDigestPoster extends DigestPoster {
  readonly platform: 'slack';
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

export function createSlackPoster(config: SlackConfig, logger: Logger, options: SlackPosterOptions = {}): SlackDigestPoster {
  const log = logger.child({ component: 'slack-digest-poster' });
  // One attempt per post: the scheduler owns retries, so it can wait out a 429 with its own
  // (injectable) sleep, record every attempt, and never re-send something that may have landed.
  // web-api's defaults would retry network errors and 5xx on their own for up to 30 minutes
  // (tenRetriesInAboutThirtyMinutes) and wait out 429s inside the call (WebClient.makeRequest);
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
        const res = await client.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocks,
          // Marks the message as the digest of this date, for anyone (or any tool) reading the channel back.
          metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { date: digest.date } },
          unfurl_links: false,
          unfurl_media: false,
        });
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
