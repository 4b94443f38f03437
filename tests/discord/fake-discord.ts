// A loopback fake of Discord: the REST API (the routes briefbot uses) and the gateway WebSocket,
// both on 127.0.0.1 and one port. A real discord.js Client logs in against it with
// `rest: { api: fake.apiUrl }`. Every REST request is recorded with method, path, query and body,
// so tests assert on exactly what the bot sent. Reusable by any test that needs Discord.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path without the query string, e.g. `/api/v10/interactions/1/tok/callback`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw text when the body is not JSON (multipart), or undefined. */
  body: any;
  raw: string;
  /** Status the fake answered with. */
  status: number;
}

/** Makes matching requests fail: `times` of them (default: every one from now on). */
export interface FailureRule {
  method?: string;
  /** Substring of the path, or a pattern tested against it. */
  path: string | RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: CommandOption[];
  focused?: boolean;
}

export interface InteractionSpec {
  /** Interaction type: 2 application command (default), 4 autocomplete. */
  type?: number;
  /** The `data` object; for a slash command use `slashCommand()`. */
  data: Record<string, unknown>;
  guildId?: string | null;
  channelId?: string;
  user?: FakeUser;
  id?: string;
  token?: string;
  locale?: string;
  /** The member's role ids (guild interactions). */
  roles?: string[];
  /** `data.resolved`: the attachments (users, roles...) option values refer to, by id. */
  resolved?: Record<string, unknown>;
}

export interface DispatchedInteraction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  botUser?: FakeUser;
  /** Sent in HELLO; the client's first heartbeat waits a random fraction of it. */
  heartbeatIntervalMs?: number;
}

const API_PREFIX = '/api/v10';
/** Discord's epoch, for snowflakes whose timestamp discord.js decodes. */
const DISCORD_EPOCH = 1420070400000n;

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Gateway payloads received from the client (IDENTIFY, heartbeats, ...). */
  readonly gatewayReceived: any[] = [];
  /** For each gateway connection that closed: how many REST requests had been recorded by then. */
  readonly gatewayClosedAt: number[] = [];
  /** Registered commands by scope: `global` or `guild:<id>`. */
  readonly commands = new Map<string, any[]>();
  /** Messages that exist, by id: interaction replies, follow-ups and channel posts. */
  readonly messages = new Map<string, any>();
  readonly applicationId: string;
  readonly botUser: FakeUser;
  apiUrl = '';
  gatewayUrl = '';

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly events = new EventEmitter();
  private readonly failures: FailureRule[] = [];
  private readonly removedChannels = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly heartbeatIntervalMs: number;
  private sequence = 0;
  private snowflakeCounter = 0n;
  private sessionCounter = 0;

  private constructor(options: FakeDiscordOptions) {
    this.applicationId = options.applicationId ?? '100000000000000001';
    this.botUser = options.botUser ?? { id: this.applicationId, username: 'briefbot' };
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
    this.events.setMaxListeners(0);
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.apiUrl = `http://127.0.0.1:${port}/api`;
    fake.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    return fake;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A fresh snowflake whose timestamp is now, so discord.js dates come out sensible. */
  snowflake(): string {
    this.snowflakeCounter += 1n;
    return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (this.snowflakeCounter & 0x3fffffn)).toString();
  }

  fail(rule: FailureRule): void {
    this.failures.push({ ...rule });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Makes the channel unknown: posts to it answer 404 Unknown Channel (code 10003). */
  removeChannel(channelId: string): void {
    this.removedChannels.add(channelId);
  }

  /** Resolves with the first request (already recorded or future) the predicate accepts. */
  waitForRequest(predicate: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
    const found = this.requests.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const listener = (r: RecordedRequest) => {
        if (!predicate(r)) return;
        this.events.off('request', listener);
        resolve(r);
      };
      this.events.on('request', listener);
    });
  }

  /** Resolves when the client has sent IDENTIFY and the fake answered READY. */
  waitForReady(): Promise<void> {
    if (this.gatewayReceived.some((p) => p.op === 2)) return Promise.resolve();
    return new Promise((resolve) => this.events.once('ready-sent', () => resolve()));
  }

  /** The REST requests that belong to one interaction: its callback and its webhook messages. */
  requestsFor(interaction: { id: string; token: string }): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path.startsWith(`${API_PREFIX}/interactions/${interaction.id}/`) || r.path.startsWith(`${API_PREFIX}/webhooks/${this.applicationId}/${interaction.token}`),
    );
  }

  /** Sends a gateway DISPATCH to every connected client. */
  dispatch(t: string, d: unknown): void {
    this.sequence += 1;
    const frame = JSON.stringify({ op: 0, t, s: this.sequence, d });
    for (const socket of this.sockets) socket.send(frame);
  }

  /** Builds a complete INTERACTION_CREATE payload (the fields discord.js reads) and dispatches it. */
  dispatchInteraction(spec: InteractionSpec): DispatchedInteraction {
    const id = spec.id ?? this.snowflake();
    const token = spec.token ?? `token-${id}`;
    const user = spec.user ?? { id: '200000000000000002', username: 'analyst', global_name: 'Analyst' };
    const fullUser = { id: user.id, username: user.username, global_name: user.global_name ?? null, discriminator: '0', avatar: null };
    const guildId = spec.guildId === undefined ? '300000000000000003' : spec.guildId;
    const channelId = spec.channelId ?? '400000000000000004';
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type: spec.type ?? 2,
      data: spec.resolved ? { ...spec.data, resolved: spec.resolved } : spec.data,
      token,
      version: 1,
      locale: spec.locale ?? 'en-US',
      app_permissions: '0',
      // discord.js reads both unconditionally (BaseInteraction constructor).
      entitlements: [],
      authorizing_integration_owners: guildId ? { '0': guildId } : { '1': user.id },
      context: guildId ? 0 : 1,
      attachment_size_limit: 10_485_760,
      channel_id: channelId,
    };
    if (guildId) {
      payload.guild_id = guildId;
      payload.guild_locale = 'en-US';
      payload.channel = { id: channelId, type: 0, guild_id: guildId, name: 'briefings' };
      payload.member = { user: fullUser, roles: spec.roles ?? [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 };
    } else {
      payload.channel = { id: channelId, type: 1, recipients: [fullUser] };
      payload.user = fullUser;
    }
    this.dispatch('INTERACTION_CREATE', payload);
    return { id, token, payload };
  }

  /** The `data` of a chat-input command interaction with typed options. */
  slashCommand(name: string, options: CommandOption[] = []): Record<string, unknown> {
    const registered = [...this.commands.values()].flat().find((c) => c.name === name);
    return { id: registered?.id ?? this.snowflake(), name, type: 1, options };
  }

  // --- gateway -------------------------------------------------------------------------------

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.gatewayClosedAt.push(this.requests.length);
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw));
      this.gatewayReceived.push(payload);
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2) {
        this.sequence += 1;
        this.sessionCounter += 1;
        socket.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: this.sequence,
            d: {
              v: 10,
              user: { ...this.botUser, discriminator: '0', avatar: null, bot: true, global_name: null },
              guilds: [],
              session_id: `session-${this.sessionCounter}`,
              // discord.js keeps this as the URL to resume on.
              resume_gateway_url: this.gatewayUrl,
              shard: payload.d.shard ?? [0, 1],
              application: { id: this.applicationId, flags: 0 },
            },
          }),
        );
        this.events.emit('ready-sent');
      }
      if (payload.op === 6) {
        this.sequence += 1;
        socket.send(JSON.stringify({ op: 0, t: 'RESUMED', s: this.sequence, d: {} }));
      }
    });
  }

  // --- REST ----------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const record: RecordedRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      // discord.js percent-encodes '@original'; record and route on the decoded path.
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      raw,
      status: 0,
    };

    const failure = this.takeFailure(record);
    const [status, payload, headers] = failure ? [failure.status, failure.body ?? { message: 'Fake failure', code: 0 }, failure.headers ?? {}] : this.route(record);
    record.status = status;
    this.requests.push(record);
    res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
    res.end(payload === undefined ? undefined : JSON.stringify(payload));
    this.events.emit('request', record);
  }

  private takeFailure(r: RecordedRequest): FailureRule | undefined {
    const rule = this.failures.find(
      (f) => (!f.method || f.method.toUpperCase() === r.method) && (typeof f.path === 'string' ? r.path.includes(f.path) : f.path.test(r.path)) && (f.times ?? Infinity) > 0,
    );
    if (rule && rule.times !== undefined) rule.times -= 1;
    return rule;
  }

  private route(r: RecordedRequest): [number, unknown, Record<string, string>?] {
    if (!r.path.startsWith(API_PREFIX)) return [404, { message: '404: Not Found', code: 0 }];
    const parts = r.path.slice(API_PREFIX.length).split('/').filter(Boolean);
    const [head] = parts;
    const route = `${r.method} /${parts.map((p, i) => (i % 2 === 1 && head !== 'gateway' ? ':' : p)).join('/')}`;

    if (r.method === 'GET' && r.path === `${API_PREFIX}/gateway/bot`) {
      return [200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }];
    }
    if (r.method === 'GET' && r.path === `${API_PREFIX}/gateway`) return [200, { url: this.gatewayUrl }];

    // POST /interactions/:id/:token/callback
    if (head === 'interactions' && r.method === 'POST' && parts[3] === 'callback') {
      const body = r.body ?? {};
      // Types 4 (message) and 7 (update) create the @original message; 5 (deferred) creates a placeholder.
      if (body.type === 4 || body.type === 5) this.storeMessage(`${parts[2]}:@original`, { ...(body.data ?? {}), webhook_id: this.applicationId });
      if (r.query.with_response === 'true') {
        return [200, { interaction: { id: parts[1], type: 2 }, resource: { type: body.type, message: this.messages.get(`${parts[2]}:@original`) } }];
      }
      return [204, undefined];
    }

    if (head === 'webhooks' && parts[1] === this.applicationId) {
      const token = parts[2];
      // PATCH/GET/DELETE /webhooks/:app/:token/messages/:id
      if (parts[3] === 'messages' && parts[4]) {
        const key = parts[4] === '@original' ? `${token}:@original` : parts[4];
        const existing = this.messages.get(key);
        if (!existing) return [404, { message: 'Unknown Message', code: 10008 }];
        if (r.method === 'GET') return [200, existing];
        if (r.method === 'DELETE') {
          this.messages.delete(key);
          return [204, undefined];
        }
        if (r.method === 'PATCH') return [200, this.storeMessage(key, { ...existing, ...(r.body ?? {}), id: existing.id })];
      }
      // POST /webhooks/:app/:token: a follow-up
      if (r.method === 'POST' && parts.length === 3) {
        const message = this.storeMessage(undefined, { ...(r.body ?? {}), webhook_id: this.applicationId });
        return r.query.wait === 'false' ? [204, undefined] : [200, message];
      }
    }

    if (head === 'channels' && parts[1]) {
      const channelId = parts[1];
      if (this.removedChannels.has(channelId)) return [404, { message: 'Unknown Channel', code: 10003 }];
      if (r.method === 'GET' && parts.length === 2) return [200, { id: channelId, type: 0, guild_id: '300000000000000003', name: 'briefings', position: 0, permission_overwrites: [] }];
      if (r.method === 'POST' && parts[2] === 'messages' && parts.length === 3) {
        return [200, this.storeMessage(undefined, { ...(r.body ?? {}), channel_id: channelId, author: { ...this.botUser, discriminator: '0', avatar: null, bot: true } })];
      }
    }

    // Bulk overwrite and list of application commands, global or per guild.
    if (head === 'applications' && parts[1] === this.applicationId) {
      const scope = parts[2] === 'guilds' && parts[4] === 'commands' ? `guild:${parts[3]}` : parts[2] === 'commands' && parts.length === 3 ? 'global' : undefined;
      if (scope && r.method === 'PUT') {
        const guildId = scope.startsWith('guild:') ? scope.slice(6) : undefined;
        const stored = (Array.isArray(r.body) ? r.body : []).map((c: any) => ({
          id: this.snowflake(),
          application_id: this.applicationId,
          version: this.snowflake(),
          type: 1,
          default_member_permissions: null,
          ...(guildId ? { guild_id: guildId } : {}),
          ...c,
        }));
        this.commands.set(scope, stored);
        return [200, stored];
      }
      if (scope && r.method === 'GET') return [200, this.commands.get(scope) ?? []];
    }

    return [404, { message: `Fake Discord has no route ${route}`, code: 0 }];
  }

  private storeMessage(key: string | undefined, fields: Record<string, any>): any {
    const id = fields.id ?? this.snowflake();
    const message: Record<string, any> = {
      id,
      type: 0,
      channel_id: fields.channel_id ?? '400000000000000004',
      author: fields.author ?? { id: this.applicationId, username: this.botUser.username, discriminator: '0', avatar: null, bot: true },
      content: '',
      embeds: [],
      attachments: [],
      components: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      ...fields,
    };
    // Request-only fields are not part of a message object.
    delete message.allowed_mentions;
    this.messages.set(key ?? id, message);
    return message;
  }
}
