// A loopback web server for tests of fetching pages and feeds: routes by path, records every
// request (so a test can assert that nothing was asked at all), and knows whether a response was
// cut off by the client. Listens on 127.0.0.1, port 0; https when given a key and certificate.
//
//   const site = await startWebServer({ '/article': sendBody('<html>…</html>', { 'content-type': 'text/html' }) });
//   await fetchUrl(site.url('/article'), { allowPrivate: true, accept: ['text/html'] });
//   expect(site.requests).toHaveLength(1);
//   await site.close();
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface WebServer {
  /** e.g. http://127.0.0.1:54321 */
  origin: string;
  port: number;
  /** `origin` + `pathAndQuery`; also accepts a host to put in the URL instead of 127.0.0.1 (e.g. 'localhost'). */
  url(pathAndQuery?: string, host?: string): string;
  requests: RecordedRequest[];
  /** Server names (SNI) offered in TLS handshakes, including ones the client abandoned. */
  servernames: string[];
  /** Adds or replaces the handler for a path (query ignored). Unrouted paths answer 404. */
  route(pathname: string, handler: Handler): void;
  close(): Promise<void>;
}

export interface WebServerOptions {
  tls?: { key: string; cert: string };
}

export async function startWebServer(routes: Record<string, Handler> = {}, options: WebServerOptions = {}): Promise<WebServer> {
  const table = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const servernames: string[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const handler = table.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!handler) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    });
  };
  const server: Server = options.tls
    ? createTlsServer(
        {
          ...options.tls,
          SNICallback: (servername, done) => {
            servernames.push(servername);
            done(null); // null context: keep the default key and certificate
          },
        },
        listener,
      )
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  const origin = `${scheme}://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (pathAndQuery = '/', host = '127.0.0.1') => `${scheme}://${host}:${port}${pathAndQuery}`,
    requests,
    servernames,
    route: (pathname, handler) => void table.set(pathname, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a fixed body (string or bytes), status and headers. */
export function sendBody(body: string | Buffer, headers: Record<string, string | number> = {}, status = 200): Handler {
  return (_req, res) => void res.writeHead(status, headers).end(body);
}

/** Answers with a redirect to `location` (relative or absolute, sent as it is). */
export function redirectTo(location: string, status = 302): Handler {
  return (_req, res) => void res.writeHead(status, { location }).end();
}

export interface StreamProgress {
  /** Bytes handed to the socket so far. */
  written: number;
  /** True when the connection closed before `total` bytes were sent: the client stopped reading. */
  cutOff: boolean;
  /** Settles when the response closes, cut off or complete. */
  closed: Promise<void>;
}

/**
 * Streams `total` bytes made of `chunk`s (chunked, no Content-Length unless given), respecting
 * backpressure, and records how far it got: for testing that a client stops reading.
 */
export function streamBody(total: number, chunk: Buffer, headers: Record<string, string | number> = {}): { handler: Handler; progress: StreamProgress } {
  let markClosed!: () => void;
  const progress: StreamProgress = { written: 0, cutOff: false, closed: new Promise<void>((resolve) => (markClosed = resolve)) };
  const handler: Handler = (_req, res) => {
    res.writeHead(200, headers);
    res.on('close', () => {
      progress.cutOff = progress.written < total;
      markClosed();
    });
    const pump = () => {
      while (progress.written < total && !res.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - progress.written));
        progress.written += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
  return { handler, progress };
}

/**
 * A throwaway self-signed certificate for `hostname` (via the openssl command), or undefined when
 * openssl is not installed: node has no API to make one.
 */
export function selfSignedCertificate(hostname: string): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'briefbot-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
