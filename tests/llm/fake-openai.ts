// A loopback OpenAI-compatible server for tests: /v1/chat/completions (plain JSON, or SSE when the
// request says `stream: true`) and /v1/embeddings (float or base64). Replies are scripted per test;
// every request is recorded so a test can assert what the real client sent.
//
//   const fake = await startFakeOpenAI();
//   fake.reply('The talks were "a fragile turning point" [1].');      // next chat completion
//   fake.reply({ status: 429, headers: { 'retry-after': '3600' } });  // then an error
//   new ChatOpenAI({ apiKey: 'test', configuration: { baseURL: fake.baseURL } })
//   ...
//   await fake.close();
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequestBody {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export interface FakeChatReply {
  /** Assistant text (default ''). */
  content?: string;
  /** HTTP status; not 2xx sends an OpenAI-style error body. Default 200. */
  status?: number;
  /** Error message for a non-2xx status. */
  message?: string;
  /** OpenAI error code, e.g. 'insufficient_quota'. */
  code?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (for tests of user-visible progress, not for timing asserts). */
  delayMs?: number;
  /** Answer only when this settles; `hang()` never settles until close(). Deterministic time-outs. */
  until?: Promise<unknown>;
}

export type ChatScript = FakeChatReply | string | ((body: ChatRequestBody) => FakeChatReply | string);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface FakeOpenAI {
  /** e.g. http://127.0.0.1:54321/v1, for `configuration.baseURL` / OPENAI_BASE_URL. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Chat completion requests only, in order. */
  chatRequests(): ChatRequestBody[];
  embeddingRequests(): Array<{ model: string; input: string | string[]; encoding_format?: string }>;
  /** Queue replies for the next chat completions, in order; when the queue is empty `fallback` answers. */
  reply(...replies: ChatScript[]): void;
  /** A promise that never settles (until close), for `until`. */
  hang(): Promise<void>;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  /** Answers a chat completion when no scripted reply is queued. Default: an empty reply. */
  fallback?: ChatScript;
  /** Vector for one input text. Default: `bagOfWordsVector` with `dimensions`. */
  embed?: (text: string) => number[];
  /** Length of the default vectors. Default 64. */
  dimensions?: number;
  /** Status for every embeddings request (e.g. 500), to test failures. */
  embeddingsStatus?: number;
}

/** Deterministic vectors in which texts sharing words are close: hashed word counts, L2-normalised.
 *  Enough for a vector store test to retrieve the right passage for a query. */
export function bagOfWordsVector(text: string, dimensions = 64): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619) >>> 0;
    v[h % dimensions]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function errorType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 401) return 'authentication_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const queue: ChatScript[] = [];
  const requests: RecordedRequest[] = [];
  const hangs: Array<() => void> = [];
  const timers = new Set<NodeJS.Timeout>();
  let completions = 0;
  const dimensions = options.dimensions ?? 64;
  const embed = options.embed ?? ((t: string) => bagOfWordsVector(t, dimensions));

  async function chat(body: ChatRequestBody, res: ServerResponse): Promise<void> {
    const script = queue.shift() ?? options.fallback ?? '';
    const resolved = typeof script === 'function' ? script(body) : script;
    const reply: FakeChatReply = typeof resolved === 'string' ? { content: resolved } : resolved;
    if (reply.until) await reply.until;
    if (reply.delayMs) {
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          timers.delete(t);
          r();
        }, reply.delayMs);
        timers.add(t);
      });
    }
    if (res.destroyed) return;
    const status = reply.status ?? 200;
    if (status < 200 || status >= 300) {
      sendJson(res, status, { error: { message: reply.message ?? `fake error ${status}`, type: errorType(status), param: null, code: reply.code ?? null } }, reply.headers);
      return;
    }
    const id = `chatcmpl-fake-${++completions}`;
    const created = Math.floor(Date.now() / 1000);
    const content = reply.content ?? '';
    const usage = { prompt_tokens: 10, completion_tokens: content.split(/\s+/).length, total_tokens: 10 + content.split(/\s+/).length };
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }, null));
      // Split on word boundaries so clients really have to concatenate deltas.
      for (const piece of content.match(/\s*\S+/g) ?? []) res.write(chunk({ content: piece }, null));
      res.write(chunk({}, 'stop'));
      if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    sendJson(
      res,
      200,
      {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage,
      },
      reply.headers,
    );
  }

  function embeddings(body: { model: string; input: string | string[]; encoding_format?: string }, res: ServerResponse): void {
    if (options.embeddingsStatus) {
      sendJson(res, options.embeddingsStatus, { error: { message: `fake error ${options.embeddingsStatus}`, type: errorType(options.embeddingsStatus), param: null, code: null } });
      return;
    }
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const data = inputs.map((text, index) => {
      const v = embed(String(text));
      // The openai client asks for base64 (little-endian float32) unless told otherwise.
      const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
      return { object: 'embedding', index, embedding };
    });
    sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: inputs.length, total_tokens: inputs.length } });
  }

  const server = createServer(async (req, res) => {
    try {
      const raw = await readBody(req);
      const body = raw ? JSON.parse(raw) : undefined;
      const path = (req.url ?? '').split('?')[0]!;
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      if (req.method === 'POST' && path === '/v1/chat/completions') return await chat(body, res);
      if (req.method === 'POST' && path === '/v1/embeddings') return embeddings(body, res);
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: null } });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 400, { error: { message: String(err), type: 'invalid_request_error', param: null, code: null } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as ChatRequestBody),
    embeddingRequests: () => requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.body),
    reply: (...replies) => void queue.push(...replies),
    hang: () => new Promise<void>((resolve) => hangs.push(resolve)),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const release of hangs) release();
    },
  };
}
