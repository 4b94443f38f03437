// A failed request the platform never answered, for a post that must never go out twice: certainly
// not sent (it never left this machine: a retry is safe), or maybe sent (a timeout or reset after it
// went out: a retry could post it twice). Each poster maps the platform's own answers itself.
import { DigestPostError } from '../../src/digest/poster.js';

/** Network errors raised before a request left this machine: the post certainly did not happen. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Client libraries wrap the socket's error; its code is a few causes down. */
const MAX_CAUSES = 4;

/** The first system error code (ECONNREFUSED...) on `err` or its causes; `skip` passes over a library's own codes. */
export function networkCode(err: unknown, skip: (code: string) => boolean = () => false): string | undefined {
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < MAX_CAUSES; depth++, e = e.cause as typeof e) {
    if (typeof e.code === 'string' && !skip(e.code)) return e.code;
  }
  return undefined;
}

export interface TransportFailure {
  /** "Slack", as in "could not reach Slack". */
  platform: string;
  /** The system error code, when the library exposes one (see `networkCode`). */
  code?: string;
  /** The request was aborted for taking too long: it may have been received. */
  timedOut: boolean;
  /** A short, token-free description of the error, for the record. */
  detail: string;
  cause: unknown;
}

/** A failure with no answer from the platform, classified for the scheduler (src/digest/poster.ts). */
export function transportError(f: TransportFailure): DigestPostError {
  if (f.code && NOT_SENT_CODES.has(f.code)) return new DigestPostError(`could not reach ${f.platform} (${f.code})`, { cause: f.cause });
  const what = f.timedOut ? `no answer from ${f.platform} before the timeout` : `the request failed after it may have been sent: ${f.detail}`;
  return new DigestPostError(what, { outcomeUnknown: true, cause: f.cause });
}
