// Posts a day's digest to a Discord channel over REST alone (no gateway login), for `briefbot start`
// and `briefbot digest --post` alike, and classifies every failure as src/digest/poster.ts asks: not
// posted (retry), never will be (permanent), channel gone, or maybe posted (never retried).
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, REST, RESTJSONErrorCodes, Routes, type RESTOptions, type RESTPostAPIChannelMessageJSONBody, type RESTPostAPIChannelMessageResult } from 'discord.js';
import { ChannelGoneError, DigestPostError, type DigestPoster } from '../../src/digest/poster.js';
import type { Digest } from '../../src/digest/types.js';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { networkCode, transportError } from '../shared/network-errors.js';
import { PLATFORM, restOptions, type DiscordConfig } from './config.js';
import { renderDigest } from './render.js';

/** How long we trust Discord to de-duplicate a retry by nonce: it says "the past few minutes" (create message, `enforce_nonce`). */
const NONCE_WINDOW_MS = 2 * 60_000;
/** Discord accepts a nonce of at most 25 characters. */
const NONCE_LENGTH = 25;

export interface DiscordPosterOptions {
  /** Extra @discordjs/rest options (tests: `makeRequest`, `timeout`, `retries`). */
  rest?: Partial<RESTOptions>;
  /** Default: the real clock. Only used to age the nonce window. */
  now?: () => Date;
}

export interface DiscordDigestPoster extends DigestPoster {
  /** Stops @discordjs/rest's sweep timers (they are unref'd; this is for tidy tests). */
  close(): void;
}

// The same for every attempt at a channel's digest of a date, from any process, so Discord answers a
// repeated create (ours, or @discordjs/rest's retry after a timeout or a 5xx) with the message it made.
export function digestNonce(channelId: string, date: string): string {
  return createHash('sha256').update(`briefbot-digest:${channelId}:${date}`).digest('base64url').slice(0, NONCE_LENGTH);
}

/** Maps whatever @discordjs/rest threw to the scheduler's error contract. */
function classifyPostError(err: unknown, channelId: string): Error {
  const cause = err;
  if (err instanceof RateLimitError) {
    // Only thrown because this poster sets `rejectOnRateLimit`: the request was refused (or never sent).
    const retryAfterMs = Math.max(err.retryAfter, err.timeToReset, 0);
    return new DigestPostError(`rate limited by Discord (${err.global ? 'global' : err.route}); retry after ${Math.ceil(retryAfterMs / 1000)} s`, { retryAfterMs, cause });
  }
  if (err instanceof DiscordAPIError) {
    if (err.code === RESTJSONErrorCodes.UnknownChannel) return new ChannelGoneError(`Discord says channel ${channelId} does not exist (10003 Unknown Channel)`, channelId);
    // The bot was removed from the server or can no longer see the channel: for the digest, gone.
    if (err.code === RESTJSONErrorCodes.MissingAccess) return new ChannelGoneError(`the bot has no access to channel ${channelId} (50001 Missing Access)`, channelId);
    if (err.code === RESTJSONErrorCodes.MissingPermissions) {
      return new DigestPostError(`the bot may not post in channel ${channelId} (50013 Missing Permissions: it needs View Channel, Send Messages and Embed Links)`, { permanent: true, cause });
    }
    if (err.status === 401) return new DigestPostError('Discord rejected the bot token (401); check DISCORD_TOKEN', { permanent: true, cause });
    // Any other 4xx: Discord read the request and refused it; sending it again changes nothing.
    return new DigestPostError(`Discord refused the digest: ${err.status} ${describeError(err).error}`, { permanent: true, cause });
  }
  if (err instanceof HTTPError) {
    // @discordjs/rest already retried it (same body and nonce); Discord says retry a 5xx, and the nonce
    // keeps our later retry safe while its window lasts (see `post`).
    return new DigestPostError(`Discord answered ${err.status} ${err.message}`, { cause });
  }
  // @discordjs/rest aborts a slow request with an AbortError.
  return transportError({ platform: 'Discord', code: networkCode(err), timedOut: err instanceof Error && err.name === 'AbortError', detail: describeError(err).error, cause });
}

export function createDiscordPoster(config: DiscordConfig, logger: Logger, options: DiscordPosterOptions = {}): DiscordDigestPoster {
  const log = logger.child({ component: 'discord-digest-poster' });
  // A 429 goes back to the scheduler, which waits it out and records the attempt, instead of
  // @discordjs/rest queueing the post for as long as it takes.
  const rest = new REST({ ...restOptions(config), rejectOnRateLimit: () => true, ...options.rest }).setToken(config.token);
  const now = options.now ?? (() => new Date());
  // Per channel: the nonce of an attempt that may have been posted, and when it was first sent.
  const uncertain = new Map<string, { nonce: string; since: number }>();

  return {
    platform: PLATFORM,
    close() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
    async post(channelId: string, digest: Digest): Promise<{ messageId: string }> {
      const nonce = digestNonce(channelId, digest.date);
      const started = now().getTime();
      const earlier = uncertain.get(channelId);
      if (earlier?.nonce === nonce && started - earlier.since > NONCE_WINDOW_MS) {
        throw new DigestPostError(
          `an earlier attempt ${Math.round((started - earlier.since) / 1000)} s ago may have been posted, and Discord only de-duplicates by nonce for a few minutes`,
          { outcomeUnknown: true },
        );
      }
      const body: RESTPostAPIChannelMessageJSONBody = { ...renderDigest(digest), allowed_mentions: { parse: [] }, nonce, enforce_nonce: true };
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body })) as RESTPostAPIChannelMessageResult;
        uncertain.delete(channelId);
        return { messageId: message.id };
      } catch (err) {
        const classified = classifyPostError(err, channelId);
        // A 5xx: Discord may have made the message, so the next attempt must fall in the nonce
        // window of the FIRST such attempt. Any other failure says nothing about earlier attempts.
        if (err instanceof HTTPError) uncertain.set(channelId, earlier?.nonce === nonce ? earlier : { nonce, since: started });
        else if (earlier && earlier.nonce !== nonce) uncertain.delete(channelId);
        log.warn({ channel: channelId, date: digest.date, error: describeError(err), classified: classified.name }, 'discord digest post failed');
        throw classified;
      }
    },
  };
}
