// The HTTP server of Events API mode, built to stay up under abuse: a request is checked in the
// cheapest order (path, headers, signature format and time, size) before its body is read; the body
// is read against a cap and a budget shared by every unverified request; the signature is checked
// strictly, in constant time, before anything parses the body; and slow or idle clients are timed
// out. What passes reaches the handler parsed, once (receiver.ts hands it to Bolt).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '../../src/log.js';

export const EVENTS_PATH = '/slack/events';
/** Slack's largest payloads (an interaction carrying a 50-block message) stay well under this. */
export const MAX_BODY_BYTES = 256 * 1024;
/** All bodies being read before their signature is known, together: what strangers can make us hold. */
export const UNVERIFIED_BUDGET_BYTES = 16 * 1024 * 1024;
/** Slack signs with the current time; a request older or newer than this is a replay or a forgery. */
export const MAX_CLOCK_SKEW_S = 300;
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
export const MAX_CONNECTIONS = 2_048;
/** Open sockets from one address; Slack (or a proxy in front of us) is one address with many requests. */
export const MAX_CONNECTIONS_PER_ADDRESS = 512;

const TIMESTAMP = /^[0-9]{1,12}$/;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/** A request whose signature matched, with its body parsed (a JSON object or a form's fields). */
export interface SignedRequest {
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

type Handler = (request: SignedRequest, res: ServerResponse) => void;

export function reply(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
}

/** Why the signature headers cannot be right, before any byte of the body is read; undefined when they may be. */
export function headerProblem(timestamp: unknown, signature: unknown, nowS = Math.floor(Date.now() / 1000)): string | undefined {
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return 'timestamp is not a decimal number of seconds';
  if (Math.abs(nowS - Number(timestamp)) > MAX_CLOCK_SKEW_S) return 'timestamp is more than five minutes off';
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return 'signature is not v0= and 64 lowercase hex digits';
  return undefined;
}

/** The v0 HMAC of the raw body, compared in constant time. */
export function signatureMatches(secret: string, timestamp: string, body: Buffer, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A body Bolt can dispatch, parsed: a JSON object, or a form whose `payload` (if any) is a JSON object; undefined otherwise. */
function parsedBody(contentType: string | undefined, body: Buffer): Record<string, unknown> | undefined {
  try {
    const text = body.toString('utf8');
    let parsed: unknown;
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = parseQuery(text);
      if (form.payload === undefined) return form;
      parsed = typeof form.payload === 'string' ? JSON.parse(form.payload) : undefined;
    } else parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface SlackHttpServerOptions {
  signingSecret: string;
  logger: Logger;
  handler: Handler;
}

/** Counts open sockets per address and in all, closing what is over either cap at once. */
function limitConnections(server: Server): void {
  const perAddress = new Map<string, number>();
  server.maxConnections = MAX_CONNECTIONS;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const n = (perAddress.get(address) ?? 0) + 1;
    if (n > MAX_CONNECTIONS_PER_ADDRESS) {
      socket.destroy();
      return;
    }
    perAddress.set(address, n);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
}

export function createSlackHttpServer(options: SlackHttpServerOptions): Server {
  const { signingSecret, logger, handler } = options;
  let unverified = 0;
  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== EVENTS_PATH) return reply(res, 404);
    if (req.method !== 'POST') return reply(res, 405, { allow: 'POST' });
    const timestamp = req.headers['x-slack-request-timestamp'];
    const signature = req.headers['x-slack-signature'];
    const problem = headerProblem(timestamp, signature);
    if (problem) {
      logger.warn({ problem }, 'slack: request refused before reading its body');
      return reply(res, 401, { connection: 'close' });
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > MAX_BODY_BYTES) return reply(res, 413, { connection: 'close' });
    if (unverified + (Number.isFinite(declared) ? declared : 0) > UNVERIFIED_BUDGET_BYTES) return reply(res, 503, { 'retry-after': '1', connection: 'close' });
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const release = () => {
      if (finished) return;
      finished = true;
      unverified -= size;
    };
    req.on('data', (chunk: Buffer) => {
      if (finished) return;
      size += chunk.length;
      unverified += chunk.length;
      if (size > MAX_BODY_BYTES || unverified > UNVERIFIED_BUDGET_BYTES) {
        release();
        reply(res, size > MAX_BODY_BYTES ? 413 : 503, { connection: 'close' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', release);
    req.on('close', release);
    req.on('end', () => {
      if (finished) return;
      release();
      const body = Buffer.concat(chunks, size);
      if (!signatureMatches(signingSecret, timestamp as string, body, signature as string)) {
        logger.warn('slack: request refused: the signature does not match its body');
        return reply(res, 401);
      }
      const parsed = parsedBody(req.headers['content-type'], body);
      if (!parsed) {
        logger.warn({ contentType: req.headers['content-type'] }, 'slack: signed request with a body that is not an object; refused');
        return reply(res, 400);
      }
      try {
        handler({ body: parsed, headers: req.headers }, res);
      } catch (err) {
        logger.error({ err: String(err) }, 'slack: the receiver failed on a request');
        reply(res, 500);
      }
    });
  });
  limitConnections(server);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
