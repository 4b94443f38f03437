// Errors from @discordjs/rest carry the request URL, and interaction and webhook URLs embed a token
// that lets anyone post as the bot for 15 minutes; only a token-free summary reaches the logs.
const TOKEN_IN_PATH = /\/(interactions\/\d+|webhooks\/\d+)\/[^/?\s]+/g;

export function redactPath(url: string): string {
  return url.replace(TOKEN_IN_PATH, '/$1/[token]');
}

export interface ErrorSummary {
  name: string;
  message: string;
  status?: number;
  code?: number | string;
  method?: string;
  url?: string;
  /** Only for errors that are not an HTTP answer from Discord: those are bugs worth a trace. */
  stack?: string;
}

/** A loggable, token-free summary of any thrown value (DiscordAPIError, HTTPError, network errors). */
export function summarizeError(err: unknown): ErrorSummary {
  if (!(err instanceof Error)) return { name: 'NonError', message: redactPath(String(err)) };
  const e = err as Error & { status?: number; code?: number | string; method?: string; url?: string };
  const summary: ErrorSummary = { name: e.name, message: redactPath(e.message) };
  if (typeof e.status === 'number') summary.status = e.status;
  if (e.code !== undefined) summary.code = e.code;
  if (typeof e.method === 'string') summary.method = e.method.toUpperCase();
  if (typeof e.url === 'string') summary.url = redactPath(e.url);
  if (summary.status === undefined && e.stack) summary.stack = redactPath(e.stack);
  return summary;
}
