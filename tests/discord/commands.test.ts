// The adapter end to end: a real discord.js Client logged in to the loopback fake Discord, slash
// commands dispatched over the fake gateway, and the REST bodies the client sent asserted.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ERROR_REPLY } from '../../adapters/discord/handler.js';
import { LIMITS } from '../../adapters/discord/limits.js';
import { MAX_QUESTION_CHARS, type BriefingService } from '../../src/service.js';
import type { Answer, Quote } from '../../src/types.js';
import { digestTitle } from '../../adapters/shared/digest-card.js';
import type { RecordedRequest } from './fake-discord.js';
import { BOT_TOKEN, embedTotal, fakeBriefing, messageBodies, privately, question, startHarness, topicOption, type Harness } from './helpers.js';

const EPHEMERAL = 64;
const callbacks = (requests: RecordedRequest[]) => requests.filter((r) => r.path.endsWith('/callback'));

describe('with a working Discord', () => {
  let h: Harness;
  let asked: string[] = [];
  beforeAll(async () => {
    const inner = fakeBriefing();
    h = await startHarness({ ...inner, ask: (q) => (asked.push(q), inner.ask(q)) });
  });
  afterAll(async () => h?.stop());
  afterEach(() => {
    asked = [];
    h.fake.clearFailures();
  });

  test('logs in with Guilds intent only and no compression', () => {
    const identify = h.fake.gatewayReceived.find((p) => p.op === 2);
    expect(identify.d.intents).toBe(1); // GatewayIntentBits.Guilds
    expect(identify.d.compress).toBe(false);
    expect(identify.d.token).toBe(BOT_TOKEN);
    expect(h.running.client.isReady()).toBe(true);
  });

  test('/ask replies publicly with an embed: lead, quotes with outlet, date and section, sources footer', async () => {
    const c = h.command('ask', [question('What role does Oman play?')]);
    const result = await c.done;
    expect(result).toMatchObject({ ok: true, deferred: false, messages: 1 });
    const [callback] = callbacks(c.requests());
    expect(callback.body.type).toBe(4); // ChannelMessageWithSource
    const data = callback.body.data;
    expect(data.flags ?? 0).toBe(0);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.embeds).toHaveLength(1);
    const [embed] = data.embeds;
    expect(embed.title).toBe('What role does Oman play?');
    expect(embed.description).toBe("From “Muscat talks analysis” (Oman's role) and “Sanctions brief” (Trust):");
    expect(embed.fields).toEqual([
      { name: "[1] Example Institute, 9 Feb 2026 · Oman's role", value: '> Oman has hosted indirect talks since 2021.' },
      { name: '[2] Example Review, 30 Jan 2026 · Trust', value: '> Neither side believes the other will keep a deal.' },
    ]);
    expect(embed.footer.text).toBe('Quoted word for word from the sources. · Sources: Muscat talks analysis; Sanctions brief');
    expect(c.requests()).toHaveLength(1);
  });

  test('/ask private:true replies ephemerally (flags 64)', async () => {
    const c = h.command('ask', [question('What role does Oman play?'), privately(true)]);
    await c.done;
    const [callback] = callbacks(c.requests());
    expect(callback.body.data.flags).toBe(EPHEMERAL);
    expect(callback.body.data.embeds[0].fields).toHaveLength(2);
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [] });
  });

  test('/brief topic: quotes the passages of that topic', async () => {
    const c = h.command('brief', [topicOption('oman')]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.embeds[0]).toMatchObject({
      title: "Briefing: Oman's role",
      description: "From “Muscat talks analysis” (Oman's role):",
      fields: [{ name: "[1] Example Institute, 9 Feb 2026 · Oman's role", value: '> Oman has hosted indirect talks since 2021.' }],
      footer: { text: 'Source: Muscat talks analysis' },
    });
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  test('/brief without a topic: today’s digest, one quote per topic', async () => {
    const c = h.command('brief');
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.embeds[0].title).toMatch(new RegExp(`^${digestTitle('2026-03-10').replace(/, .*$/, '')}, \\w+ \\d+ \\w+ \\d{4}$`));
    const points = data.embeds[1];
    expect(points.fields.map((f: any) => f.name)).toEqual(['Trust deficit — Example Review, 30 Jan 2026 · Trust', "Oman's role — Example Institute, 9 Feb 2026 · Oman's role"]);
    expect(points.footer.text).toBe('Sources: Sanctions brief; Muscat talks analysis');
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  test('/brief with a topic the corpus no longer has: a clear, private message', async () => {
    const c = h.command('brief', [topicOption('gone')]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.content).toBe(`I have no briefing topic "gone". Topics: Trust deficit, Oman's role.`);
    expect(data.flags).toBe(EPHEMERAL);
  });

  test('/sources lists title, outlet, date and sections, in the engine’s order (newest first)', async () => {
    const c = h.command('sources');
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.embeds[0].title).toBe('Sources (2 documents, newest first)');
    expect(data.embeds[0].fields).toEqual([
      { name: 'Muscat talks analysis', value: "Example Institute, 9 Feb 2026\nSections: Oman's role; Outlook" },
      { name: 'Sanctions brief', value: 'Example Review, 30 Jan 2026\nSections: Trust' },
    ]);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  test('empty question: a polite private message, no embed', async () => {
    const c = h.command('ask', [question('   ')]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.content).toMatch(/^Please ask a question about the US–Iran talks, for example: `\/ask question: /);
    expect(data.embeds).toEqual([]);
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  test('question without words: a polite private message', async () => {
    const c = h.command('ask', [question('?!? 123')]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.content).toMatch(/^I could not find any words/);
    expect(data.flags).toBe(EPHEMERAL);
  });

  test('over-long question: refused before the engine is asked', async () => {
    const long = 'why '.repeat(MAX_QUESTION_CHARS);
    const c = h.command('ask', [question(long)]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.content).toBe(`That question is ${long.trim().length.toLocaleString('en-US')} characters long; please keep it under 2,000 characters and ask just the part you want answered.`);
    expect(data.flags).toBe(EPHEMERAL);
    expect(asked).toEqual([]);
  });

  test('a question the sources do not cover: the lead, the topics they do cover, no quotes', async () => {
    const c = h.command('ask', [question('What is the capital of Peru?')]);
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.flags ?? 0).toBe(0);
    expect(data.embeds[0].description).toBe("The sources don't cover that. They never mention “peru”. They cover: Trust deficit, Oman's role. `/brief topic:` lists the topics.");
    expect(data.embeds[0].fields ?? []).toEqual([]);
    expect(data.embeds[0].footer).toBeUndefined();
  });

  test('@everyone in a question: answered, and nothing can ping', async () => {
    const c = h.command('ask', [question('@everyone what about <@&123456789012345678> and Oman?')]);
    await c.done;
    const bodies = messageBodies(c.requests());
    expect(bodies).toHaveLength(1);
    expect(bodies[0].allowed_mentions).toEqual({ parse: [] });
    expect(bodies[0].embeds[0].fields).toHaveLength(2);
    // Mentions are only parsed from `content`; the question goes into the embed title.
    expect(bodies[0].content).toBeUndefined();
    expect(asked).toEqual(['@everyone what about <@&123456789012345678> and Oman?']);
  });

  test('a command this build does not know gets a clear answer', async () => {
    const c = h.command('weather');
    await c.done;
    const [data] = messageBodies(c.requests());
    expect(data.content).toBe("I don't know /weather. Try /ask, /brief, /sources, /digest.");
    expect(data.flags).toBe(EPHEMERAL);
  });

  test('a 500 on the callback: retried by @discordjs/rest, logged, and the next command works', async () => {
    const id = h.fake.snowflake();
    h.fake.fail({ method: 'POST', path: `/interactions/${id}/`, status: 500 });
    const failed = h.command('ask', [question('What role does Oman play?')], { id });
    const result = await failed.done;
    expect(result).toMatchObject({ ok: false, errorReplied: false });
    const attempts = callbacks(failed.requests());
    // @discordjs/rest retries a 5xx 3 times (option `retries`, handleErrors in its dist/index.js),
    // so 4 tries for the answer, then 4 for the short error message.
    expect(attempts).toHaveLength(8);
    expect(attempts.every((r) => r.status === 500)).toBe(true);
    expect(attempts.slice(0, 4).every((r) => r.body.data.embeds.length === 1)).toBe(true);
    expect(attempts.slice(4).every((r) => r.body.data.content === ERROR_REPLY && r.body.data.flags === EPHEMERAL)).toBe(true);

    const failure = h.log.lines.find((l) => l.msg === 'discord command failed' && l.interactionId === id);
    expect(failure.level).toBe(50);
    expect(failure.error).toMatchObject({ name: 'HTTPError', status: 500, method: 'POST' });
    expect(failure.error.url).toContain(`/interactions/${id}/[token]/callback`);
    expect(h.log.lines.some((l) => l.msg.startsWith('discord error reply failed too'))).toBe(true);

    h.fake.clearFailures();
    const next = h.command('sources');
    expect((await next.done).ok).toBe(true);
    expect(callbacks(next.requests()).map((r) => r.status)).toEqual([204]);
  });

  test('a 500 once: @discordjs/rest retries and the user gets the answer', async () => {
    const id = h.fake.snowflake();
    h.fake.fail({ method: 'POST', path: `/interactions/${id}/`, status: 500, times: 1 });
    const c = h.command('sources', [], { id });
    expect((await c.done).ok).toBe(true);
    expect(callbacks(c.requests()).map((r) => r.status)).toEqual([500, 204]);
    expect(h.log.lines.some((l) => l.msg.startsWith('discord REST error response') && l.status === 500 && l.route === '/interactions/:id/:token/callback')).toBe(true);
  });

  test('a 429 on the callback: @discordjs/rest waits it out, the answer arrives, the wait is logged', async () => {
    const id = h.fake.snowflake();
    h.fake.fail({
      method: 'POST',
      path: `/interactions/${id}/`,
      status: 429,
      times: 1,
      headers: { 'retry-after': '0', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 0, global: false },
    });
    const c = h.command('sources', [], { id });
    expect((await c.done).ok).toBe(true);
    expect(callbacks(c.requests()).map((r) => r.status)).toEqual([429, 204]);
    expect(h.log.lines.some((l) => l.status === 429 && l.level === 40)).toBe(true);
  });

  test('no token ever reaches the logs', () => {
    const text = h.log.text();
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toMatch(/token-\d+/);
  });
});

/** An answer far beyond every Discord limit: a long lead (a model's synthesis) and many long quotes. */
function hugeAnswer(q: string): Answer {
  const sentence = (i: number) => `Passage sentence ${i} explains one more detail of the negotiating positions.`;
  const quotes: Quote[] = Array.from({ length: 30 }, (_, i) => ({
    text: Array.from({ length: i % 3 === 0 ? 40 : 3 }, (_, j) => sentence(j)).join(' '),
    document: `doc${i % 4}.md`,
    section: `Section ${i}`,
    start: 0,
    end: 1,
    source: `Outlet ${i % 4}`,
    published: '2026-03-10',
  }));
  return {
    question: q,
    abstained: false,
    coverage: 'answered',
    missing: [],
    conflict: false,
    concurring: 0,
    synthesis: Array.from({ length: 120 }, (_, i) => `Lead sentence ${i} summarises what the sources say.`).join(' '),
    quotes,
    ms: 1,
    mode: 'llm',
    droppedQuotes: 0,
    titles: { 'doc0.md': 'Doc Zero', 'doc1.md': 'Doc One', 'doc2.md': 'Doc Two', 'doc3.md': 'Doc Three' },
  };
}

describe('a very long answer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(fakeBriefing({ ask: async (q) => hugeAnswer(q) }));
  });
  afterAll(async () => h?.stop());

  test('is split across a reply and follow-ups, every limit respected, quotes marked where split', async () => {
    const c = h.command('ask', [question('Tell me everything'), privately(true)]);
    const result = await c.done;
    const requests = c.requests();
    expect(result.ok).toBe(true);
    expect(result.messages).toBeGreaterThan(2);
    expect(callbacks(requests)).toHaveLength(1);
    const followUps = requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/webhooks/${h.fake.applicationId}/${c.token}`);
    expect(followUps).toHaveLength(result.messages - 1);

    const bodies = messageBodies(requests);
    for (const body of bodies) {
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(body.flags).toBe(EPHEMERAL);
      expect(body.embeds).toHaveLength(1);
      const [e] = body.embeds;
      expect((e.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
      expect(e.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      expect(embedTotal(e)).toBeLessThanOrEqual(LIMITS.embedTotal);
      expect(e.footer.text).toMatch(/^Summary written by a language model; every quote checked against the sources\. · Sources: Doc Zero; Doc One; Doc Two; Doc Three · part \d+\/\d+$/);
    }
    const fields = bodies.flatMap((b) => b.embeds[0].fields ?? []);
    // Quote 1 (40 sentences) does not fit one field: its parts say so, in order, whole sentences each.
    const parts = fields.filter((f: any) => f.name.startsWith('[1] '));
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((f: any, i: number) => expect(f.name).toBe(`[1] Outlet 0, 10 Mar 2026 · Section 0 (part ${i + 1} of ${parts.length})`));
    for (const f of parts) expect(f.value).toMatch(/positions\.$/);
    // All 30 quotes are there.
    for (let i = 1; i <= 30; i++) expect(fields.some((f: any) => f.name.startsWith(`[${i}] `))).toBe(true);
    // The lead is complete across the description(s).
    const lead = bodies.map((b) => b.embeds[0].description ?? '').join(' ');
    expect(lead).toContain('Lead sentence 0 ');
    expect(lead).toContain('Lead sentence 119 summarises what the sources say.');
  });

  test('a follow-up that fails: logged, and the user is told privately', async () => {
    const id = h.fake.snowflake();
    h.fake.fail({ method: 'POST', path: new RegExp(`/webhooks/${h.fake.applicationId}/token-${id}$`), status: 400, body: { message: 'Invalid Form Body', code: 50035 }, times: 1 });
    const c = h.command('ask', [question('Tell me everything')], { id });
    const result = await c.done;
    expect(result).toMatchObject({ ok: false, errorReplied: true });
    const webhookPosts = c.requests().filter((r) => r.path.includes('/webhooks/'));
    expect(webhookPosts.map((r) => r.status)).toEqual([400, 200]);
    expect(webhookPosts[1].body).toMatchObject({ content: ERROR_REPLY, flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    const failure = h.log.lines.find((l) => l.msg === 'discord command failed' && l.interactionId === id);
    expect(failure.error).toMatchObject({ status: 400, code: 50035 });
  });
});

describe('a slow answer', () => {
  let h: Harness;
  let release: (() => void) | undefined;
  let slowAsks = 0;
  beforeAll(async () => {
    const inner = fakeBriefing();
    const slow: BriefingService = {
      ...inner,
      // Resolves only when the test says so: the adapter's deadline passes first, whatever the machine speed.
      ask: (q) => {
        slowAsks += 1;
        return new Promise<void>((resolve) => (release = resolve)).then(() => inner.ask(q));
      },
    };
    h = await startHarness(slow, { replyDeadlineMs: 5 });
  });
  afterAll(async () => h?.stop());

  test('is deferred within the deadline, then delivered with editReply', async () => {
    const c = h.command('ask', [question('What role does Oman play?')]);
    const defer = await h.fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${c.id}/`));
    expect(defer.body).toEqual({ type: 5, data: { flags: 0 } }); // DeferredChannelMessageWithSource, public
    expect(slowAsks).toBe(1);
    release!();
    const result = await c.done;
    expect(result).toMatchObject({ ok: true, deferred: true, messages: 1 });
    const edits = c.requests().filter((r) => r.method === 'PATCH');
    expect(edits).toHaveLength(1);
    expect(edits[0].path).toBe(`/api/v10/webhooks/${h.fake.applicationId}/${c.token}/messages/@original`);
    expect(edits[0].body.allowed_mentions).toEqual({ parse: [] });
    expect(edits[0].body.embeds[0].fields).toHaveLength(2);
    expect(callbacks(c.requests())).toHaveLength(1);
  });

  test('private and slow: the deferral itself is ephemeral', async () => {
    const c = h.command('ask', [question('What role does Oman play?'), privately(true)]);
    const defer = await h.fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${c.id}/`));
    expect(defer.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    release!();
    expect(await c.done).toMatchObject({ ok: true, deferred: true });
  });

  test('slow and then failing: the deferred reply is edited into a short error', async () => {
    const c = h.command('ask', [question('What role does Oman play?')]);
    await h.fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${c.id}/`));
    h.fake.fail({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${c.token}/messages/@original`, status: 400, body: { message: 'Invalid Form Body', code: 50035 }, times: 1 });
    release!();
    const result = await c.done;
    expect(result).toMatchObject({ ok: false, deferred: true, errorReplied: true });
    const edits = c.requests().filter((r) => r.method === 'PATCH');
    expect(edits.map((r) => r.status)).toEqual([400, 200]);
    expect(edits[1].body).toMatchObject({ content: ERROR_REPLY, allowed_mentions: { parse: [] } });
  });

  test('stop() lets an answer in progress finish before disconnecting', async () => {
    // Runs last in this block: it stops the adapter.
    const c = h.command('ask', [question('What role does Oman play?')]);
    await h.fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${c.id}/`));
    const stopping = h.running.stop();
    // One turn of the event loop (not a timed wait): without draining, destroy() has begun by now.
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.running.client.isReady()).toBe(true);
    release!();
    await stopping;
    const edit = c.requests().find((r) => r.method === 'PATCH')!;
    expect(edit.status).toBe(200);
    // The gateway was closed only after the answer went out.
    expect(h.fake.gatewayClosedAt).toHaveLength(1);
    expect(h.fake.requests.indexOf(edit)).toBeLessThan(h.fake.gatewayClosedAt[0]);
    expect(h.running.client.isReady()).toBe(false);
  });
});
