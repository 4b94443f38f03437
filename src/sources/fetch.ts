// The one way briefbot fetches a link a person or a feed gave it (R2.5 "Fetching safely"). Whoever
// can post a link can make the bot send a request, so every hop's host is resolved, every address
// it resolves to must be public, and the socket connects to exactly the addresses that were checked
// (a pinned `lookup`), so a second DNS answer between check and connect (rebinding) is never used.
// Time, size, redirects and content types are bounded, so a hostile server costs at most one
// timeout and one size cap. node:http directly: undici's current releases need Node 22.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { CodedError } from '../errors.js';
import { redactSecrets } from '../log.js';
import { firstBlocked, pinnedLookup, resolveHost, type ResolvedAddress } from './addresses.js';

export type { ResolvedAddress } from './addresses.js';

export const FETCH_TIMEOUT_MS = 15_000;
export const MAX_FETCH_BYTES = 10 * 1024 * 1024;
export const MAX_REDIRECTS = 5;
export const USER_AGENT = 'briefbot/0.1 (+https://github.com/briefbot; analyses for team briefings)';

export type FetchErrorCode = 'url_invalid' | 'url_scheme' | 'url_private' | 'fetch_redirects' | 'fetch_timeout' | 'fetch_too_large' | 'fetch_status' | 'fetch_type' | 'fetch_network';

/** A refused or failed fetch; the message is one sentence for the person who gave the link, naming the host. */
export class FetchError extends CodedError {
  override name = 'FetchError';
  declare readonly code: FetchErrorCode;

  constructor(code: FetchErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { userSafe: true, ...options });
  }
}

export interface FetchOptions {
  /** BRIEFBOT_ALLOW_PRIVATE_URLS=true: private/loopback addresses allowed (tests only). Default false. */
  allowPrivate?: boolean;
  /** Content types accepted (lower-case, no parameters), e.g. ['text/html', 'application/pdf']. A response of another type is refused before its body is read. */
  accept: readonly string[];
  /** Conditional GET: sent as If-None-Match / If-Modified-Since; a 304 resolves with status 304 and an empty body. */
  etag?: string;
  lastModified?: string;
  /** Extra request headers (e.g. Authorization for Slack's url_private), sent only to the origin of the first URL: once a redirect leaves it they are dropped for good. They cannot replace Host, framing headers or briefbot's own (User-Agent, Accept, Accept-Encoding, conditionals). */
  headers?: Record<string, string>;
  /** The whole fetch, redirects and body included. Default FETCH_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Cap on the decoded body (and on the bytes on the wire). Default MAX_FETCH_BYTES. */
  maxBytes?: number;
  /** Default MAX_REDIRECTS. */
  maxRedirects?: number;
  /** Aborting rejects with the signal's reason, not a FetchError: the caller gave up, nobody needs telling. */
  signal?: AbortSignal;
  /** Tests only: resolves host names instead of dns.promises.lookup (e.g. "news.test" -> 10.0.0.1, without a DNS server). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Tests only: addresses checked as if public (the loopback test server), so a test can start a redirect chain "outside" without allowPrivate. */
  treatAsPublic?: readonly string[];
}

export interface Fetched {
  /** The final URL, after redirects. */
  url: string;
  /** 200 for any 2xx answer; 304 only for a conditional request. */
  status: 200 | 304;
  /** Lower-case, without parameters; '' for a 304 that did not repeat it. */
  contentType: string;
  /** From the Content-Type header only; a page's own <meta charset> is for whoever parses it. */
  charset?: string;
  body: Buffer;
  etag?: string;
  lastModified?: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const UNSETTABLE_HEADERS = new Set(['host', 'accept-encoding', 'connection', 'content-length', 'transfer-encoding', 'te', 'upgrade']);
const TIMED_OUT = Symbol('fetch timed out');

/** GETs `url` under the rules above; rejects with a FetchError (or, aborted by the caller, the signal's reason). */
export async function fetchUrl(url: string, options: FetchOptions): Promise<Fetched> {
  options.signal?.throwIfAborted();
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  const state = { url: parseTarget(url) };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await follow(state, options, controller.signal);
  } catch (err) {
    if (controller.signal.aborted) {
      if (controller.signal.reason !== TIMED_OUT) throw controller.signal.reason;
      throw new FetchError('fetch_timeout', `gave up on ${state.url.host}: no complete answer within ${duration(timeoutMs)}`);
    }
    throw err instanceof FetchError ? err : networkError(state.url.host, err);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function follow(state: { url: URL }, options: FetchOptions, signal: AbortSignal): Promise<Fetched> {
  const origin = state.url.origin;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  let extras = extraHeaders(options.headers);
  for (let redirects = 0; ; redirects++) {
    const url = state.url;
    const addresses = await checkedAddresses(url, options, signal);
    const res = await send(url, addresses, { ...extras, ...requestHeaders(options) }, signal);
    const location = res.headers.location;
    try {
      if (!REDIRECT_STATUSES.has(res.statusCode ?? 0) || location === undefined) return await settle(res, url, options, signal);
    } finally {
      // Whatever was not read is not wanted: closes the connection unless the body is complete.
      res.destroy();
    }
    if (redirects >= maxRedirects) throw new FetchError('fetch_redirects', `refused: ${url.host} redirected more than ${maxRedirects} times`);
    state.url = parseTarget(location, url);
    // A credential handed to one site must not follow a redirect to another, nor come back with
    // one: the other site chose where the bounce lands.
    if (state.url.origin !== origin) extras = {};
  }
}

/** A URL briefbot may try: http or https, without credentials; `base` is the URL that redirected here. */
function parseTarget(input: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch (cause) {
    const what = base ? `${base.host} redirected to an address that is not a valid URL` : `"${shorten(input)}" is not a valid web address`;
    throw new FetchError('url_invalid', `refused: ${what}`, { cause });
  }
  const via = base ? ` (${base.host} redirected to one)` : '';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('url_scheme', `refused: only http and https links are fetched, not ${url.protocol}${via}`);
  }
  if (url.username || url.password) {
    throw new FetchError('url_invalid', `refused: links with a user name or password in them are not fetched (${url.hostname}${via})`);
  }
  return url;
}

/** The addresses of `url`'s host, every one of them public unless allowPrivate. */
async function checkedAddresses(url: URL, options: FetchOptions, signal: AbortSignal): Promise<ResolvedAddress[]> {
  const host = bareHost(url);
  let addresses: ResolvedAddress[] = [];
  try {
    addresses = await resolveHost(host, signal, options.resolve);
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw new FetchError('fetch_network', `could not fetch ${url.host}: its name does not resolve`, { cause });
  }
  if (addresses.length === 0) throw new FetchError('fetch_network', `could not fetch ${url.host}: its name does not resolve`);
  const blocked = options.allowPrivate ? undefined : firstBlocked(addresses, options.treatAsPublic);
  if (!blocked) return addresses;
  const kind = `${/^[aeiou]/.test(blocked.range) ? 'an' : 'a'} ${blocked.range} address`;
  throw new FetchError('url_private', host === blocked.address ? `refused: ${host} is ${kind}` : `refused: ${host} resolves to ${kind} (${blocked.address})`);
}

/** The hostname without IPv6 brackets, as net and http want it. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

function send(url: URL, addresses: ResolvedAddress[], headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      {
        // The name, not the address, so the Host header, SNI and certificate check all name the site.
        hostname: bareHost(url),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers,
        // A pooled socket could have been opened for another check; a fresh one per hop is cheap here.
        agent: false,
        lookup: pinnedLookup(addresses),
        signal,
      },
      resolve,
    );
    // Stays attached after the response, so a late socket error is never an unhandled 'error'.
    request.on('error', reject);
    request.end();
  });
}

function extraHeaders(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .map(([name, value]) => [name.toLowerCase(), value] as const)
      .filter(([name]) => !UNSETTABLE_HEADERS.has(name)),
  );
}

function requestHeaders(options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: options.accept.join(', '), 'accept-encoding': 'gzip, deflate, br' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  return headers;
}

/** Turns a final (non-redirect) answer into a Fetched, or refuses it before reading what it need not. */
async function settle(res: IncomingMessage, url: URL, options: FetchOptions, signal: AbortSignal): Promise<Fetched> {
  const status = res.statusCode ?? 0;
  const { type, charset } = parseContentType(res.headers['content-type']);
  const etag = header(res, 'etag');
  const lastModified = header(res, 'last-modified');
  if (status === 304 && (options.etag !== undefined || options.lastModified !== undefined)) {
    return withDefined({ url: url.href, status: 304, contentType: type, charset, body: Buffer.alloc(0), etag: etag ?? options.etag, lastModified: lastModified ?? options.lastModified });
  }
  if (status < 200 || status > 299) {
    throw new FetchError('fetch_status', `could not fetch ${url.host}: it answered ${status} ${http.STATUS_CODES[status] ?? ''}`.trimEnd());
  }
  const accepted = options.accept.map((t) => t.toLowerCase());
  if (!accepted.includes(type)) {
    const sent = type ? `sent ${type}` : 'did not say what type of content it sent';
    throw new FetchError('fetch_type', `refused: ${url.host} ${sent}, and only ${accepted.join(', ')} can be read`);
  }
  const maxBytes = options.maxBytes ?? MAX_FETCH_BYTES;
  const tooLarge = () => new FetchError('fetch_too_large', `refused: ${url.host} sent more than ${size(maxBytes)}`);
  const declared = Number(res.headers['content-length']);
  if (declared > maxBytes) throw new FetchError('fetch_too_large', `refused: ${url.host} offered ${size(declared)}, more than the ${size(maxBytes)} limit`);
  const body = await readCapped(res, decoders(res.headers['content-encoding'], url), maxBytes, tooLarge, signal);
  return withDefined({ url: url.href, status: 200, contentType: type, charset, body, etag, lastModified });
}

/** Reads the body through its decoders, failing as soon as the wire bytes or the decoded bytes pass the cap. */
async function readCapped(res: IncomingMessage, decoding: Transform[], maxBytes: number, tooLarge: () => FetchError, signal: AbortSignal): Promise<Buffer> {
  let wire = 0;
  let decoded = 0;
  const chunks: Buffer[] = [];
  // The wire count matters only when compressed: a stream of empty gzip members decodes to nothing.
  const wireCap = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      wire += chunk.length;
      done(wire > maxBytes ? tooLarge() : null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      decoded += chunk.length;
      if (decoded > maxBytes) return done(tooLarge());
      chunks.push(chunk);
      done();
    },
  });
  // An error anywhere destroys every stream, the response too, so the socket closes mid-body.
  await pipeline([res, wireCap, ...decoding, sink], { signal });
  return Buffer.concat(chunks, decoded);
}

// Lenient about a missing trailer the way browsers are (as undici does, lib/web/fetch/index.js);
// a body cut short is still caught by HTTP framing, which fails the response.
const ZLIB_LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_LENIENT = { flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

function decoders(contentEncoding: string | undefined, url: URL): Transform[] {
  const codings = (contentEncoding ?? '').toLowerCase().split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity');
  const unknown = codings.find((c) => !['gzip', 'x-gzip', 'deflate', 'br'].includes(c));
  if (unknown) throw new FetchError('fetch_type', `refused: ${url.host} sent its content encoded as ${unknown}, which briefbot cannot decode`);
  // Codings are listed in the order they were applied, so they come off last first.
  return codings.reverse().map((c) => (c === 'br' ? zlib.createBrotliDecompress(BROTLI_LENIENT) : c === 'deflate' ? new InflateEither() : zlib.createGunzip(ZLIB_LENIENT)));
}

/**
 * HTTP's "deflate" is meant to be zlib-wrapped (RFC 9110 8.4.1.2), but some servers send raw
 * deflate; the first byte tells them apart, as in undici's InflateStream (lib/web/fetch/util.js).
 */
class InflateEither extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.inner) {
      if (chunk.length === 0) return done();
      this.inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate(ZLIB_LENIENT) : zlib.createInflateRaw(ZLIB_LENIENT);
      this.inner.on('data', (data: Buffer) => this.push(data));
      this.inner.on('error', (err) => this.destroy(err));
    }
    this.inner.write(chunk, encoding, done);
  }

  override _flush(done: TransformCallback): void {
    if (!this.inner) return done();
    this.inner.once('end', () => done());
    this.inner.end();
  }

  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    this.inner?.destroy();
    done(err);
  }
}

function parseContentType(value: string | undefined): { type: string; charset?: string } {
  const [type = '', ...params] = (value ?? '').split(';').map((p) => p.trim());
  const charset = params.map((p) => /^charset\s*=\s*"?([^";\s]+)"?$/i.exec(p)?.[1]).find((c) => c !== undefined);
  return { type: type.toLowerCase(), charset: charset?.toLowerCase() };
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function withDefined(fetched: Fetched): Fetched {
  return Object.fromEntries(Object.entries(fetched).filter(([, v]) => v !== undefined)) as unknown as Fetched;
}

const CLOSED_EARLY = 'the connection closed before the answer was complete';
const UNREACHABLE = 'it cannot be reached from here';
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'it refused the connection',
  ECONNRESET: CLOSED_EARLY, ERR_STREAM_PREMATURE_CLOSE: CLOSED_EARLY, EPIPE: CLOSED_EARLY,
  EHOSTUNREACH: UNREACHABLE, ENETUNREACH: UNREACHABLE,
  ETIMEDOUT: 'the connection timed out',
};

function networkError(host: string, cause: unknown): FetchError {
  const code = String((cause as { code?: unknown } | undefined)?.code ?? '');
  const reason =
    NETWORK_REASONS[code] ??
    (code.startsWith('HPE_') ? 'it answered with something that is not valid HTTP'
      : /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code) ? `its certificate could not be verified (${code})`
      : code.startsWith('Z_') || code.startsWith('ERR__ERROR') ? 'its compressed content could not be decoded'
      : `the connection failed${code ? ` (${code})` : ''}`);
  return new FetchError('fetch_network', `could not fetch ${host}: ${reason}`, { cause });
}

function shorten(input: string): string {
  // Even a malformed link may carry a password or token: neither is repeated back.
  const text = redactSecrets(input.trim()).replace(/\/\/[^/?#\s]*@/, '//…@');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function duration(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} seconds` : `${ms} ms`;
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}
