// Bolt's Receiver for Events API mode, over our own HTTP server (http-server.ts). Bolt's
// HTTPReceiver would verify and parse each body a second time and answer only once its middleware
// chain had reached ack(); here an Events API event is acknowledged the moment its signature
// matches, and Bolt's dispatch of it waits for the next turn of the event loop, behind every request
// still to be read. Bolt acks events itself before any listener runs and expects no content ("Events
// API requests are acknowledged right away": bolt/dist/App.js processEvent), so answering first
// changes nothing but when Slack hears back. Commands and clicks are dispatched at once: their ack
// may carry a reply, so it is written when the listener calls ack(), as Bolt's HTTPResponseAck does.
import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { AnswerQueue } from './answer-queue.js';
import { createSlackHttpServer, reply, type SignedRequest } from './http-server.js';

/** Bolt's own deadline for a listener to ack (HTTPResponseAck's unhandledRequestTimeoutMillis). */
export const ACK_DEADLINE_MS = 3_001;

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Slack's retry headers, as Bolt reads them (HTTPModuleFunctions.extractRetryNumFromHTTPRequest). */
function retryOf(headers: SignedRequest['headers']): Pick<ReceiverEvent, 'retryNum' | 'retryReason'> {
  const num = header(headers, 'x-slack-retry-num');
  const reason = header(headers, 'x-slack-retry-reason');
  return { ...(num !== undefined ? { retryNum: Number.parseInt(num, 10) } : {}), ...(reason !== undefined ? { retryReason: reason } : {}) };
}

/** What an ack's argument puts in the HTTP response (HTTPModuleFunctions.buildContentResponse). */
function respond(res: ServerResponse, content: unknown): void {
  if (res.headersSent) return;
  if (content === undefined || content === null || content === '') return reply(res, 200);
  const json = typeof content !== 'string';
  const body = json ? JSON.stringify(content) : content;
  res.writeHead(200, { 'content-length': Buffer.byteLength(body), ...(json ? { 'content-type': 'application/json' } : {}) });
  res.end(body);
}

export class SlackEventsReceiver implements Receiver {
  private app?: App;
  private server?: Server;
  /** Bolt's dispatch of acked events, one start per turn of the event loop (no limit on how many run). */
  private readonly dispatches = new AnswerQueue(Number.POSITIVE_INFINITY);

  constructor(private readonly options: { signingSecret: string; logger: Logger }) {}

  init(app: App): void {
    this.app = app;
  }

  /** Listens on `port` (0: any free one) and resolves with the port listened on. */
  async start(port: number): Promise<number> {
    const server = createSlackHttpServer({ ...this.options, handler: (request, res) => this.handle(request, res) });
    this.server = server;
    server.listen(port);
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  }

  private handle({ body, headers }: SignedRequest, res: ServerResponse): void {
    if (body.ssl_check === '1') return reply(res, 200);
    if (body.type === 'url_verification') {
      const challenge = JSON.stringify({ challenge: body.challenge });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(challenge) });
      res.end(challenge);
      return;
    }
    if (body.type === 'event_callback') {
      reply(res, 200);
      void this.dispatches.run(() => this.dispatch({ body, ack: async () => undefined, ...retryOf(headers) }, res));
      return;
    }
    let acked = false;
    const deadline = setTimeout(() => {
      if (acked) return;
      this.options.logger.warn({ type: body.type }, 'slack: no listener acknowledged the request in time; answered 404');
      reply(res, 404);
    }, ACK_DEADLINE_MS);
    const ack = async (content?: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(deadline);
      respond(res, content);
    };
    void this.dispatch({ body, ack, ...retryOf(headers) }, res).finally(() => clearTimeout(deadline));
  }

  /** Bolt's processEvent; what escapes it (Bolt's own dispatch failing) is logged, and a request not yet answered gets a 500. */
  private async dispatch(event: ReceiverEvent, res: ServerResponse): Promise<void> {
    try {
      await this.app?.processEvent(event);
    } catch (err) {
      this.options.logger.error(describeError(err), 'slack: Bolt failed to dispatch a request');
      reply(res, 500);
    }
  }
}
