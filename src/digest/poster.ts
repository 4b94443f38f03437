// The one thing a platform must do for digests: put a Digest in a channel. Adapters implement it
// (rendering is theirs); the scheduler only needs to know whether a failure is worth retrying.
import type { Digest } from './types.js';

export interface DigestPoster {
  /** The platform name stored with subscriptions, e.g. "slack" or "discord". */
  readonly platform: string;
  /**
   * Posts the digest and resolves with the platform's id for the message (Slack `ts`, Discord
   * message id). Throw `ChannelGoneError` when the channel no longer exists; `DigestPostError`
   * with `permanent: true` when retrying cannot help, or with `outcomeUnknown: true` when the
   * request may have reached the platform (a timeout after sending): that is never retried, since
   * a retry could post twice. Anything else thrown counts as transient (retried with backoff), so
   * throw it only when the platform certainly did not post (a 429, a refused connection...).
   */
  post(channelId: string, digest: Digest): Promise<{ messageId: string }>;
}

/** The channel was deleted (or never existed): the subscription is removed, nothing is retried. */
export class ChannelGoneError extends Error {
  override name = 'ChannelGoneError';
  constructor(
    message: string,
    readonly channelId?: string,
  ) {
    super(message);
  }
}

export interface DigestPostErrorOptions {
  /** Retrying will not help (say, the message is malformed): recorded as failed at once. */
  permanent?: boolean;
  /** The message may have been posted (no answer after sending): recorded "unknown", never retried. */
  outcomeUnknown?: boolean;
  /** The platform asked us to wait this long (a rate limit): used instead of the backoff step when longer. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A failed post the adapter has classified; the subscription is kept either way. */
export class DigestPostError extends Error {
  override name = 'DigestPostError';
  readonly permanent: boolean;
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs?: number;
  constructor(message: string, options: DigestPostErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.permanent = options.permanent ?? false;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}
