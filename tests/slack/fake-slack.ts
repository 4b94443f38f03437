// A loopback stand-in for Slack, for tests and benchmarks of anything built on Bolt / @slack/web-api:
//  - Web API at `${apiUrl}METHOD` (give it to WebClient as `slackApiUrl`): records every call with
//    its decoded arguments, answers auth.test, chat.postMessage/postEphemeral/update,
//    conversations.replies (from the messages it has seen), files.info (for files a test adds with
//    `addFile`) and apps.connections.open; any method can
//    be overridden or made to fail (HTTP status, `ok: false`, 429 with Retry-After) for its next calls.
//  - response_url endpoints at `responseUrl(id)`: records what the app sends there.
//  - Socket Mode: apps.connections.open hands out `ws://127.0.0.1:PORT/socket`; the fake sends
//    `hello`, then any envelope a test pushes, and records the app's acks.
//  - Request signing exactly as Slack signs (`v0=` HMAC-SHA256 of `v0:{timestamp}:{raw body}`) and
//    a small client that POSTs signed events, slash commands and block actions to an app.
// Nothing here sleeps: tests wait on `until(...)`, which re-checks whenever the fake records something.
import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
  appId: string;
}

export const DEFAULT_IDENTITY: FakeIdentity = { teamId: 'T0FAKE', botUserId: 'UBRIEFBOT', botId: 'BBRIEFBOT', appId: 'A0FAKE' };

export interface WebApiCall {
  method: string;
  /** Decoded arguments: form fields, with JSON-valued ones (blocks, metadata, ...) parsed. */
  args: Record<string, any>;
  /** The bearer token the call was made with. */
  token?: string;
  /** What the fake answered. */
  status: number;
  response: unknown;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, any>;
}

/** One canned reply: an HTTP status (default 200), a JSON body, headers. */
export interface FakeReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type MethodHandler = (args: Record<string, any>, call: { token?: string }) => FakeReply | Record<string, unknown>;

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  blocks?: unknown[];
  metadata?: unknown;
  [key: string]: unknown;
}

export interface SocketEnvelope {
  envelope_id: string;
  type: string;
  payload: unknown;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

export class FakeSlack {
  readonly calls: WebApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly acks: SocketAck[] = [];
  /** Messages by channel, in ts order: what chat.postMessage posted plus what tests added. */
  readonly messages = new Map<string, StoredMessage[]>();
  /** Files files.info knows, by id: what a test shared with the app. */
  readonly files = new Map<string, Record<string, unknown>>();
  readonly identity: FakeIdentity;
  private readonly changed = new EventEmitter();
  private readonly handlers = new Map<string, MethodHandler>();
  private readonly queued = new Map<string, FakeReply[]>();
  private readonly sockets = new Set<WebSocket>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private tsCounter = 0;
  private responseCounter = 0;
  /** Sent to every new Socket Mode connection unless false. */
  autoHello = true;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    identity: FakeIdentity,
  ) {
    this.identity = identity;
    this.changed.setMaxListeners(0);
  }

  static async start(identity: Partial<FakeIdentity> = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => void fake!.route(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`, { ...DEFAULT_IDENTITY, ...identity });
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) return void socket.destroy();
      fake!.wss.handleUpgrade(req, socket, head, (ws) => fake!.onSocket(ws));
    });
    return fake;
  }

  /** Web API base, with the trailing slash WebClient expects. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get socketUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/socket`;
  }

  /** A fresh response_url (or the one for `id`). */
  responseUrl(id = `r${++this.responseCounter}`): string {
    return `${this.url}/response/${id}`;
  }

  /** Next message ts: increasing, so messages a test adds and ones the app posts sort correctly. */
  nextTs(): string {
    this.tsCounter += 1;
    return `${1_700_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  /** Replaces the fake's answer for `method` (until reset). */
  handle(method: string, handler: MethodHandler): void {
    this.handlers.set(method, handler);
  }

  /** The next calls to `method` get these replies, in order; later calls are answered normally. */
  failNext(method: string, ...replies: FakeReply[]): void {
    this.queued.set(method, [...(this.queued.get(method) ?? []), ...replies]);
  }

  /** Adds a message (say, the user's question) so conversations.replies can return it. */
  addMessage(message: Omit<StoredMessage, 'type' | 'ts'> & { ts?: string }): StoredMessage {
    const stored = { type: 'message', ...message, ts: message.ts ?? this.nextTs() } as StoredMessage;
    const list = this.messages.get(stored.channel) ?? [];
    // Usually already in order (ts only grows); sort only when a test adds an older message.
    const inOrder = !list.length || compareTs(list[list.length - 1].ts, stored.ts) <= 0;
    list.push(stored);
    if (!inOrder) list.sort((a, b) => compareTs(a.ts, b.ts));
    this.messages.set(stored.channel, list);
    this.notify();
    return stored;
  }

  /** Makes a file known to files.info (a file object as Slack returns it: id, name, mimetype, url_private...). */
  addFile(file: { id: string } & Record<string, unknown>): void {
    this.files.set(file.id, { created: Math.floor(Date.now() / 1000), user: 'U0ASKER', ...file });
  }

  callsTo(method: string): WebApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with `check()`'s first non-undefined result, re-checking whenever the fake records a
   * call, a response_url post, an ack or a socket connection. No timer: the test runner's timeout
   * is the only limit.
   */
  until<T>(check: () => T | undefined | false): Promise<T> {
    return new Promise((resolve) => {
      const attempt = () => {
        const result = check();
        if (result === undefined || result === false) return false;
        this.changed.off('change', attempt);
        resolve(result);
        return true;
      };
      if (!attempt()) this.changed.on('change', attempt);
    });
  }

  /** The `n`th (1-based) call to `method` matching `where`. */
  waitForCall(method: string, where: (c: WebApiCall) => boolean = () => true, n = 1): Promise<WebApiCall> {
    return this.until(() => this.callsTo(method).filter(where)[n - 1]);
  }

  waitForResponse(where: (r: ResponseUrlPost) => boolean = () => true, n = 1): Promise<ResponseUrlPost> {
    return this.until(() => this.responses.filter(where)[n - 1]);
  }

  /** Resolves once a Socket Mode client is connected (and greeted, with autoHello). */
  waitForSocket(): Promise<WebSocket> {
    return this.until(() => [...this.sockets].find((s) => s.readyState === s.OPEN));
  }

  /** Pushes an envelope to every connected Socket Mode client; resolves with the app's ack. */
  async sendEnvelope(envelope: Omit<SocketEnvelope, 'envelope_id'> & { envelope_id?: string }): Promise<SocketAck> {
    const full: SocketEnvelope = { envelope_id: envelope.envelope_id ?? `env-${this.nextTs()}`, ...envelope } as SocketEnvelope;
    const socket = await this.waitForSocket();
    socket.send(JSON.stringify(full));
    return this.until(() => this.acks.find((a) => a.envelope_id === full.envelope_id));
  }

  sendHello(socket: WebSocket): void {
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 3600 }, connection_info: { app_id: this.identity.appId } }));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    this.changed.emit('change');
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('message', (data) => {
      try {
        const message = JSON.parse(String(data)) as SocketAck;
        if (message.envelope_id) this.acks.push(message);
      } catch {
        // not ours to judge: record nothing
      }
      this.notify();
    });
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.notify();
    });
    if (this.autoHello) this.sendHello(ws);
    this.notify();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (path.startsWith('/response/')) {
      this.responses.push({ id: path.slice('/response/'.length), body: raw ? JSON.parse(raw) : {} });
      const reply = this.queued.get('response_url')?.shift();
      res.writeHead(reply?.status ?? 200, { 'content-type': 'text/plain', ...reply?.headers });
      res.end(reply?.body === undefined ? 'ok' : String(reply.body));
      this.notify();
      return;
    }
    if (!path.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = path.slice('/api/'.length);
    const args = decodeArgs(raw, String(req.headers['content-type'] ?? ''));
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    const reply = this.queued.get(method)?.shift() ?? normalize(this.answer(method, args, token));
    const status = reply.status ?? 200;
    const body = reply.body ?? { ok: true };
    this.calls.push({ method, args, token, status, response: body });
    res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
    this.notify();
  }

  private answer(method: string, args: Record<string, any>, token?: string): FakeReply | Record<string, unknown> {
    const custom = this.handlers.get(method);
    if (custom) return custom(args, { token });
    const id = this.identity;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'briefbot', team_id: id.teamId, user_id: id.botUserId, bot_id: id.botId, is_enterprise_install: false };
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'chat.postMessage': {
        const message = this.addMessage({ ...args, channel: String(args.channel), user: id.botUserId, bot_id: id.botId, app_id: id.appId } as StoredMessage);
        return { ok: true, channel: message.channel, ts: message.ts, message };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.update': {
        const message = this.messages.get(String(args.channel))?.find((m) => m.ts === args.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        Object.assign(message, { text: args.text, blocks: args.blocks, edited: { user: id.botUserId, ts: this.nextTs() } });
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'conversations.replies': {
        const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const thread = (this.messages.get(String(args.channel)) ?? []).filter((m) => m.ts === args.ts || m.thread_ts === args.ts);
        if (!thread.length) return { ok: false, error: 'thread_not_found' };
        // Slack returns metadata only when asked for it.
        const messages = thread.map(({ metadata, ...m }) => (withMeta && metadata ? { ...m, metadata } : m));
        return { ok: true, messages, has_more: false };
      }
      case 'files.info': {
        const file = this.files.get(String(args.file));
        return file ? { ok: true, file, comments: [], response_metadata: { next_cursor: '' } } : { ok: false, error: 'file_not_found' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function normalize(reply: FakeReply | Record<string, unknown>): FakeReply {
  // A handler may return a bare JSON body or a full FakeReply; FakeReply has only these three keys.
  const keys = Object.keys(reply);
  const isReply = keys.length > 0 && keys.every((k) => k === 'status' || k === 'body' || k === 'headers');
  return isReply ? (reply as FakeReply) : { body: reply };
}

function compareTs(a: string, b: string): number {
  const [as, au = ''] = a.split('.');
  const [bs, bu = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(au.padEnd(6, '0')) - Number(bu.padEnd(6, '0'));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** web-api sends form fields, JSON-encoding any non-scalar value (WebClient.serializeBody). */
function decodeArgs(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, any>;
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return args;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests from "Slack" to an app: signed exactly as Slack signs them.

/** Slack's request signature headers for `body` (https://api.slack.com/authentication/verifying-requests-from-slack). */
export function signSlackRequest(signingSecret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export interface SendOptions {
  /** Sign with this secret instead of the client's (a wrong signature). */
  secret?: string;
  /** Seconds since the epoch to sign with (a stale request). */
  timestamp?: number;
  /** Send no signature headers at all. */
  unsigned?: boolean;
  /** X-Slack-Retry-Num / X-Slack-Retry-Reason, as on Slack's redeliveries. */
  retryNum?: number;
  retryReason?: string;
}

export interface AppResponse {
  status: number;
  body: string;
}

export interface EventCallbackOptions {
  eventId?: string;
  teamId?: string;
  apiAppId?: string;
}

let eventCounter = 0;
/** Slack's trigger_id is unique per command or click; replays reuse the whole signed request. */
let triggerCounter = 0;

/** An Events API `event_callback` body around `event`. */
export function eventCallback(event: Record<string, unknown>, options: EventCallbackOptions = {}): Record<string, unknown> {
  eventCounter += 1;
  const teamId = options.teamId ?? DEFAULT_IDENTITY.teamId;
  return {
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: options.apiAppId ?? DEFAULT_IDENTITY.appId,
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: DEFAULT_IDENTITY.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** Slash command form fields as Slack sends them. */
export function slashCommandFields(fields: { command?: string; text: string; user_id?: string; channel_id?: string; response_url: string; team_id?: string }): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: fields.team_id ?? DEFAULT_IDENTITY.teamId,
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: fields.user_id ?? 'U0ASKER',
    user_name: 'asker',
    command: fields.command ?? '/brief',
    text: fields.text,
    api_app_id: DEFAULT_IDENTITY.appId,
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: `trigger-${Date.now()}-${++triggerCounter}`,
  };
}

/** A block_actions payload for a button click on a message. */
export function buttonClick(options: {
  actionId: string;
  value: string;
  userId?: string;
  channelId?: string;
  responseUrl: string;
  /** The message the button sits on; omit for an ephemeral message (Slack sends none then). */
  message?: { ts: string; text?: string; blocks?: unknown[] };
}): Record<string, unknown> {
  const channel = options.channelId ?? 'C0GENERAL';
  return {
    type: 'block_actions',
    user: { id: options.userId ?? 'U0ASKER', username: 'asker', name: 'asker', team_id: DEFAULT_IDENTITY.teamId },
    api_app_id: DEFAULT_IDENTITY.appId,
    token: 'legacy-verification-token',
    container: options.message
      ? { type: 'message', message_ts: options.message.ts, channel_id: channel, is_ephemeral: false }
      : { type: 'message', message_ts: '1700000000.000001', channel_id: channel, is_ephemeral: true },
    trigger_id: `trigger-${Date.now()}-${++triggerCounter}`,
    team: { id: DEFAULT_IDENTITY.teamId, domain: 'fake' },
    channel: { id: channel, name: 'general' },
    ...(options.message ? { message: { type: 'message', user: DEFAULT_IDENTITY.botUserId, bot_id: DEFAULT_IDENTITY.botId, ...options.message } } : {}),
    response_url: options.responseUrl,
    actions: [{ type: 'button', action_id: options.actionId, block_id: 'briefbot_answer_actions', value: options.value, text: { type: 'plain_text', text: 'x' }, action_ts: String(Date.now() / 1000) }],
  };
}

/** POSTs signed requests to an app's Events API endpoint, as Slack does. */
export class SlackRequester {
  constructor(
    readonly endpoint: string,
    readonly signingSecret: string,
  ) {}

  send(body: string, contentType: string, options: SendOptions = {}): Promise<AppResponse> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (!options.unsigned) Object.assign(headers, signSlackRequest(options.secret ?? this.signingSecret, body, options.timestamp));
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
    }
    return fetch(this.endpoint, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: await r.text() }));
  }

  event(callback: Record<string, unknown>, options?: SendOptions): Promise<AppResponse> {
    return this.send(JSON.stringify(callback), 'application/json', options);
  }

  command(fields: Record<string, string>, options?: SendOptions): Promise<AppResponse> {
    return this.send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
  }

  action(payload: Record<string, unknown>, options?: SendOptions): Promise<AppResponse> {
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
  }
}
