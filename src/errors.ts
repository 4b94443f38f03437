// The one error type briefbot throws on purpose, and the one way any thrown value reaches a log.
// Modelled on bolt-js's CodedError: a stable `code` for whoever handles or counts the failure, and,
// ours, `userSafe`: whether the message was written for the person who caused it (their typo, their
// missing variable) and may be shown to them as it is. Everything else gets a generic apology, and
// its description goes to the log.
import { redactSecrets } from './log.js';

export interface CodedErrorOptions {
  /** The message names the user's own mistake and nothing internal (default false). */
  userSafe?: boolean;
  cause?: unknown;
}

export class CodedError extends Error {
  override name = 'CodedError';
  /** snake_case, stable across releases (e.g. "config", "usage", "corpus", "platform_start"). */
  readonly code: string;
  readonly userSafe: boolean;

  constructor(code: string, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.userSafe = options.userSafe ?? false;
  }
}

/** True for an error whose message may be shown to the user as it is. */
export function isUserSafe(err: unknown): err is CodedError {
  return err instanceof CodedError && err.userSafe;
}

/**
 * What a log line says about a failure. The fields are the ones the libraries we use put on their
 * errors: `code` (ours, Node's ECONNRESET, @slack/web-api's slack_webapi_platform_error, a Discord
 * JSON error code), `status` (an HTTP answer), `slackError` (Slack's `error` string), `method` and
 * `url` (@discordjs/rest).
 */
export interface ErrorDescription {
  name: string;
  /** The message. */
  error: string;
  code?: string | number;
  status?: number;
  slackError?: string;
  method?: string;
  url?: string;
  /** Only for a failure with neither an HTTP status nor a code: a bug, worth its trace. */
  stack?: string;
}

type Described = Error & { code?: unknown; status?: unknown; statusCode?: unknown; data?: { error?: unknown }; method?: unknown; url?: unknown };

/** A plain, token-free object for a log line, from any thrown value; never the request or its headers. */
export function describeError(err: unknown): ErrorDescription {
  if (!(err instanceof Error)) return { name: 'NonError', error: redactSecrets(String(err)) };
  const e = err as Described;
  const described: ErrorDescription = { name: e.name, error: redactSecrets(e.message) };
  if (typeof e.code === 'string' || typeof e.code === 'number') described.code = e.code;
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status === 'number') described.status = status;
  if (typeof e.data?.error === 'string') described.slackError = e.data.error;
  if (typeof e.method === 'string') described.method = e.method.toUpperCase();
  if (typeof e.url === 'string') described.url = redactSecrets(e.url);
  if (described.status === undefined && described.code === undefined && e.stack) described.stack = redactSecrets(e.stack);
  return described;
}
