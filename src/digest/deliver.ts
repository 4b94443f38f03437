// One channel's digest for one local date: claim, compose, post (with retries), record. Both the
// scheduler and `briefbot digest --post` go through here, so both are bound by the same claim.
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../log.js';
import { redactSecrets } from '../log.js';
import type { Claim, DigestSend, DigestSendStore, SendKey, SendTrigger } from '../store/digest-sends.js';
import type { Subscription, SubscriptionStore } from '../store/subscriptions.js';
import type { Digest, DigestOptions } from './types.js';
import { ChannelGoneError, DigestPostError, type DigestPoster } from './poster.js';

/** The slice of `BriefingService` a digest needs (Briefing implements it). */
export interface DigestProducer {
  digest(options: DigestOptions): Promise<Digest>;
  documentHashes(): Record<string, string>;
}

/** Waits `ms`, rejecting early when `signal` aborts. Tests pass one that only advances a fake clock. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** Waits before the 2nd, 3rd and 4th attempt: about 10.5 minutes in all. */
export const DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 480_000];
/** A platform's "retry after" is honoured up to this; beyond it we try earlier and may fail again. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 15 * 60_000;

/** The longest a sender can hold a claim between attempts: stale-claim sweeps must wait longer. */
export function worstCaseRetryMs(retryDelaysMs: readonly number[], maxRetryAfterMs: number): number {
  return retryDelaysMs.reduce((sum, d) => sum + Math.max(d, maxRetryAfterMs), 0);
}

export interface DeliveryDeps {
  producer: DigestProducer;
  posters: ReadonlyMap<string, DigestPoster>;
  subscriptions: SubscriptionStore;
  sends: DigestSendStore;
  logger: Logger;
  now: () => Date;
  sleep: Sleep;
  retryDelaysMs: readonly number[];
  maxRetryAfterMs: number;
  /** Aborted when the process is stopping: a pending retry gives up instead of holding shutdown. */
  signal?: AbortSignal;
}

export type DeliveryOutcome =
  | { status: 'sent'; messageId: string; attempts: number }
  /** Another sender (or an earlier run) owns the day: nothing was posted. */
  | { status: 'already'; existing: DigestSend }
  | { status: 'failed'; reason: string; attempts: number }
  /** The platform may have posted it (no answer after sending); not retried. */
  | { status: 'unknown'; reason: string; attempts: number }
  /** The channel no longer exists; the subscription was removed. */
  | { status: 'gone'; reason: string }
  /** This process has no poster for the subscription's platform: nothing was claimed. */
  | { status: 'no-poster' };

export interface DeliveryResult {
  platform: string;
  channelId: string;
  localDate: string;
  trigger: SendTrigger;
  outcome: DeliveryOutcome;
}

function describe(err: unknown): string {
  return redactSecrets(err instanceof Error ? err.message || err.name : String(err)).slice(0, 500);
}

export async function deliverDigest(deps: DeliveryDeps, sub: Subscription, localDate: string, trigger: SendTrigger): Promise<DeliveryResult> {
  const key: SendKey = { platform: sub.platform, channelId: sub.channelId, localDate };
  const result = (outcome: DeliveryOutcome): DeliveryResult => ({ ...key, trigger, outcome });
  const log = deps.logger.child({ platform: sub.platform, channel: sub.channelId, date: localDate, trigger });

  const poster = deps.posters.get(sub.platform);
  if (!poster) return result({ status: 'no-poster' });

  // A manual post may take a day the scheduler skipped: nothing reached the channel that day.
  const won = await deps.sends.claim(key, trigger, deps.now(), { overSkipped: trigger === 'manual' });
  if (!won.ok) return result({ status: 'already', existing: won.existing });
  const claim = won.claim;

  let digest: Digest;
  let hashes: Record<string, string>;
  try {
    // Re-read after the claim: the channel may have unsubscribed, or `lastHashes` moved, since
    // the caller listed subscriptions.
    const current = await deps.subscriptions.get(sub.platform, sub.channelId);
    if (!current) {
      const reason = 'unsubscribed before the digest was posted';
      await deps.sends.markFailed(claim, reason, deps.now());
      return result({ status: 'failed', reason, attempts: 0 });
    }
    hashes = deps.producer.documentHashes();
    digest = await deps.producer.digest({ date: localDate, previous: current.lastHashes });
  } catch (err) {
    const reason = `could not compose the digest: ${describe(err)}`;
    await deps.sends.attemptFailed(claim, reason, deps.now());
    await deps.sends.markFailed(claim, reason, deps.now());
    log.error({ err }, 'digest not posted: composition failed');
    return result({ status: 'failed', reason, attempts: 1 });
  }

  const attempts = deps.retryDelaysMs.length + 1;
  for (let attempt = 1; ; attempt++) {
    let messageId: string;
    try {
      ({ messageId } = await poster.post(sub.channelId, digest));
    } catch (err) {
      const stop = await handleFailure(deps, claim, sub, err, attempt, attempts, log);
      if (stop) return result(stop);
      continue;
    }
    // Outside the try: should recording fail (say, the database is locked), the error must not
    // look like a failed post and be retried into a second message.
    await deps.sends.markSent(claim, messageId, deps.now());
    await deps.subscriptions.recordDigest(sub.platform, sub.channelId, localDate, hashes);
    log.info({ messageId, attempt }, 'digest posted');
    return result({ status: 'sent', messageId, attempts: attempt });
  }
}

/** Records a failed attempt; returns the final outcome, or undefined after waiting to retry. */
async function handleFailure(
  deps: DeliveryDeps,
  claim: Claim,
  sub: Subscription,
  err: unknown,
  attempt: number,
  attempts: number,
  log: Logger,
): Promise<DeliveryOutcome | undefined> {
  const reason = describe(err);
  await deps.sends.attemptFailed(claim, reason, deps.now());
  if (err instanceof ChannelGoneError) {
    const why = `channel gone: ${reason}`;
    await deps.sends.markFailed(claim, why, deps.now());
    await deps.subscriptions.unsubscribe(sub.platform, sub.channelId);
    log.warn({ reason }, 'channel no longer exists: unsubscribed it from the daily digest');
    return { status: 'gone', reason: why };
  }
  if (err instanceof DigestPostError && err.outcomeUnknown) {
    const why = `outcome unknown, not retried so as never to post twice: ${reason}`;
    await deps.sends.markUnknown(claim, why, deps.now());
    log.error({ reason, attempt }, 'digest may or may not have been posted: recorded as unknown');
    return { status: 'unknown', reason: why, attempts: attempt };
  }
  const permanent = err instanceof DigestPostError && err.permanent;
  if (permanent || attempt >= attempts) {
    const why = permanent ? reason : `gave up after ${attempt} attempts; last error: ${reason}`;
    await deps.sends.markFailed(claim, why, deps.now());
    log.error({ reason, attempt }, 'digest not posted: recorded as failed');
    return { status: 'failed', reason: why, attempts: attempt };
  }
  const retryAfter = err instanceof DigestPostError ? Math.min(err.retryAfterMs ?? 0, deps.maxRetryAfterMs) : 0;
  const backoff = Math.max(deps.retryDelaysMs[attempt - 1], retryAfter);
  log.warn({ reason, attempt, retryInMs: backoff }, 'digest post failed; will retry');
  try {
    await deps.sleep(backoff, deps.signal);
    return undefined;
  } catch {
    const why = `stopped before retry ${attempt + 1}; last error: ${reason}`;
    await deps.sends.markFailed(claim, why, deps.now());
    log.warn({ reason }, 'digest not posted: process stopping');
    return { status: 'failed', reason: why, attempts: attempt };
  }
}
