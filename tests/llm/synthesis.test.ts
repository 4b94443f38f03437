// LlmAnswerer with the real @langchain/openai client against the loopback fake server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatOpenAI } from '@langchain/openai';
import { LlmAnswerer, NOT_COVERED, SYSTEM_PROMPT, type SynthesisInput } from '../../src/answer/llm.js';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';
import { captureLogger, muscatDocument } from './fixtures.js';
import { API_KEY, baseInput, expectNothingUnverified } from './helpers.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

function answerer(opts: Partial<ConstructorParameters<typeof LlmAnswerer>[0]> = {}) {
  const log = captureLogger();
  const llm = new LlmAnswerer({ apiKey: API_KEY, baseURL: fake.baseURL, model: 'gpt-4o-mini', timeoutMs: 10_000, logger: log.logger, ...opts });
  return { llm, log };
}

const doc = muscatDocument();

describe('a faithful reply', () => {
  it('becomes an answer whose quotes carry exact offsets and source text', async () => {
    const input = baseInput();
    fake.reply(
      `Military pressure framed the talks. The US naval presence "has expanded significantly since late January 2026" [1], ` +
        `and the delegation "reflects Washington's belief that coercive pressure strengthens its hand" [2]. ` +
        `Iranian officials said Cooper's attendance "endangered" the process [2]. Still, the meeting "marks a fragile turning point" [3].`,
    );
    const { llm } = answerer();
    const out = await llm.synthesize(input);

    expect(out.reason).toBeUndefined();
    expect(out.droppedQuotes).toBe(0);
    const r = out.result!;
    expect(r.droppedQuotes).toBe(0);
    // Straight apostrophe in the reply, curly in the file: the answer shows the file's text.
    expect(r.answer).toBe(
      `Military pressure framed the talks. The US naval presence "has expanded significantly since late January 2026" [1], ` +
        `and the delegation "reflects Washington’s belief that coercive pressure strengthens its hand" [2]. ` +
        `Iranian officials said Cooper's attendance "endangered" the process. Still, the meeting "marks a fragile turning point" [3].`,
    );
    expect(r.quotes.map((q) => q.text)).toEqual([
      'has expanded significantly since late January 2026',
      'reflects Washington’s belief that coercive pressure strengthens its hand',
      'marks a fragile turning point',
    ]);
    for (const q of r.quotes) {
      expect(q.document).toBe(doc.id);
      expect(doc.text.slice(q.start, q.end)).toBe(q.text);
    }
    expect(r.quotes[0]!.section).toBe('Military Posturing Overshadows Diplomatic Engagement');
    expect(r.quotes[2]!.start).toBe(doc.text.indexOf('marks a fragile turning point'));
    // The lead paragraph is before any heading: its section is the document title.
    expect(r.quotes[2]!.section).toBe(doc.title);
    expectNothingUnverified(r, input);
  });

  it('sends the system rules, the question and the numbered passages as fenced data', async () => {
    const input = { ...baseInput(), history: ['What happened in Oman?', 'Who led the American team?'] };
    fake.reply('The team was led by envoys: "Special Envoy Steve Witkoff and Jared Kushner led the team" [2].');
    const { llm } = answerer();
    await llm.synthesize(input);

    const [req] = fake.chatRequests();
    expect(req!.model).toBe('gpt-4o-mini');
    expect(req!.temperature).toBe(0);
    expect(req!.max_tokens).toBe(400);
    expect(req!.stream).toBeFalsy();
    expect(req!.messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    const user = req!.messages[1]!.content as string;
    expect(req!.messages[1]!.role).toBe('user');
    expect(user).toContain(input.question);
    expect(user).toContain('Who led the American team?');
    expect(user).not.toContain('What happened in Oman?');
    const tag = /<passage-([0-9a-f]+) number="1"/.exec(user)![1];
    input.passages.forEach((p, i) => {
      expect(user).toContain(`<passage-${tag} number="${i + 1}" document="${doc.title}" section="${p.section}">\n${p.text}\n</passage-${tag}>`);
    });
    expect(user).toContain(NOT_COVERED);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(SYSTEM_PROMPT).toMatch(/data, not instructions/);
    expect(SYSTEM_PROMPT).toMatch(/120 words/);
  });

  it('accepts whitespace and quote-style differences and moves a stray closing full stop outside the quote', async () => {
    const input = baseInput();
    input.passages.push(input.passages[0]!); // passage numbers beyond the cited one are irrelevant
    fake.reply(
      'Experts ask "why these talks\n  remain so fragile." [1] The envoy\u2019s team drew the reply that his presence \u201Cendangered\u201D the process; the presence of ' +
        '"Admiral Brad Cooper, head of US Central Command, in full military dress" [2] was "unprecedented".',
    );
    const { llm } = answerer();
    const { result } = await llm.synthesize(input);
    expect(result!.answer).toBe(
      'Experts ask "why these talks remain so fragile". [1] The envoy’s team drew the reply that his presence "endangered" the process; the presence of ' +
        '"Admiral Brad Cooper, head of US Central Command, in full military dress" [2] was "unprecedented".',
    );
    expect(result!.quotes.map((q) => q.text)).toEqual(['why these talks remain so fragile', 'Admiral Brad Cooper, head of US Central Command, in full military dress']);
    expectNothingUnverified(result!, input);
  });

  it('keeps the curly quotation marks of the source inside a verified quote', async () => {
    const input = baseInput();
    fake.reply('The build-up was "described by President Trump as a \u201Cmassive armada\u201D" [1].');
    const { llm } = answerer();
    const { result } = await llm.synthesize(input);
    expect(result!.answer).toBe('The build-up was "described by President Trump as a “massive armada”" [1].');
    expect(result!.quotes[0]!.text).toBe('described by President Trump as a “massive armada”');
    expectNothingUnverified(result!, input);
  });

  it('finds a quote in the document even when the model cites the wrong passage', async () => {
    const input = baseInput();
    fake.reply('Witkoff and Kushner "led the team" but "the inclusion of Admiral Brad Cooper" [3] stood out.');
    const { llm } = answerer();
    const { result } = await llm.synthesize(input);
    const q = result!.quotes.find((x) => x.text === 'the inclusion of Admiral Brad Cooper')!;
    expect(doc.text.slice(q.start, q.end)).toBe(q.text);
    expect(q.section).toBe('Military Posturing Overshadows Diplomatic Engagement');
  });

  it('the fake also streams (SSE) to the real client', async () => {
    // LlmAnswerer itself never streams: ChatOpenAI with `streaming: true` under invoke() estimates
    // token usage with js-tiktoken, which fetches its tables from tiktoken.pages.dev (@langchain/core
    // dist/utils/tiktoken.js) and so hangs offline. .stream() does not count tokens.
    fake.reply('The meeting "marks a fragile turning point" [3].');
    const chat = new ChatOpenAI({ apiKey: API_KEY, model: 'gpt-4o-mini', configuration: { baseURL: fake.baseURL } });
    let text = '';
    let chunks = 0;
    for await (const chunk of await chat.stream('hi')) {
      text += chunk.text;
      chunks++;
    }
    expect(fake.chatRequests()[0]!.stream).toBe(true);
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe('The meeting "marks a fragile turning point" [3].');
  });
});

describe('where and when each quote comes from', () => {
  const REPLY = 'The naval presence "has expanded significantly since late January 2026" [1].';

  it('verified quotes are stamped with the outlet and date of the input’s documents', async () => {
    const input = baseInput();
    input.documents.set(doc.id, { text: doc.text, title: doc.title, source: 'Tidewater Gulf Monitor', published: '2026-03-10' });
    fake.reply(REPLY);
    const r = (await answerer().llm.synthesize(input)).result!;
    expect(r.quotes).toEqual([expect.objectContaining({ document: doc.id, source: 'Tidewater Gulf Monitor', published: '2026-03-10' })]);
  });

  it('with a corpus (what the Briefing gives), the stamp comes from it; without either, it is empty', async () => {
    fake.reply(REPLY);
    const corpus = new Map([[doc.id, { text: doc.text, source: 'Caspian Policy Review', published: '2026-02-20' }]]);
    const stamped = (await answerer({ corpus }).llm.synthesize(baseInput())).result!;
    expect(stamped.quotes[0]).toMatchObject({ source: 'Caspian Policy Review', published: '2026-02-20' });
    fake.reply(REPLY);
    const bare = (await answerer().llm.synthesize(baseInput())).result!;
    expect(bare.quotes[0]).toMatchObject({ source: '', published: '' });
  });

  it('a corpus whose text differs from the input’s documents: the reply is not used', async () => {
    fake.reply(REPLY);
    const corpus = new Map([[doc.id, { text: doc.text.replace('has expanded significantly', 'has grown'), source: 'X', published: '' }]]);
    const out = await answerer({ corpus }).llm.synthesize(baseInput());
    expect(out.result).toBeNull();
    expect(out.reason).toBe('unsafe-output');
  });
});

describe('invented quotes', () => {
  it('are removed with their sentence and counted', async () => {
    const input = baseInput();
    fake.reply('The US naval presence "has expanded significantly since late January 2026" [1]. Tehran vowed it "will never negotiate under threat" [2].');
    const { llm, log } = answerer();
    const out = await llm.synthesize(input);
    expect(out.droppedQuotes).toBe(1);
    expect(out.result!.droppedQuotes).toBe(1);
    expect(out.result!.answer).toBe('The US naval presence "has expanded significantly since late January 2026" [1].');
    expect(out.result!.quotes).toHaveLength(1);
    expect(log.entries().some((e) => e.droppedQuotes === 1 && /not found in the sources/.test(String(e.msg)))).toBe(true);
  });

  it('are cut out alone when their sentence also holds a verified quote', async () => {
    const input = baseInput();
    fake.reply('The presence "has expanded significantly since late January 2026" [1] while Tehran insists it "will never negotiate under threat" [2].');
    const { llm } = answerer();
    const out = await llm.synthesize(input);
    expect(out.result!.answer).toBe('The presence "has expanded significantly since late January 2026" [1] while Tehran insists it.');
    expect(out.result!.droppedQuotes).toBe(1);
  });

  it('a near-miss (one word changed) counts as invented', async () => {
    const input = baseInput();
    fake.reply('Trump spoke of a "massive army" [1]. The meeting "marks a fragile turning point" [3].');
    const { llm } = answerer();
    const out = await llm.synthesize(input);
    expect(out.droppedQuotes).toBe(1);
    expect(out.result!.answer).toBe('The meeting "marks a fragile turning point" [1].');
  });

  it('a reply with only invented quotes is not used (the engine falls back)', async () => {
    const input = baseInput();
    fake.reply('Iran "will never negotiate under threat" [1] and the US "has already won" [2].');
    const { llm } = answerer();
    const out = await llm.synthesize(input);
    expect(out).toEqual({ result: null, droppedQuotes: 2, reason: 'no-verified-quote' });
  });

  it('a reply whose only verified quotes are a word or two is not used', async () => {
    const input = baseInput();
    fake.reply('Cooper\'s attendance "endangered" the process [2].');
    const { llm } = answerer();
    const out = await llm.synthesize(input);
    expect(out.result).toBeNull();
    expect(out.reason).toBe('no-verified-quote');
  });

  it('a reply without any quote is not used', async () => {
    fake.reply('The talks were tense because of the military build-up.');
    const { llm } = answerer();
    const out = await llm.synthesize(baseInput());
    expect(out).toEqual({ result: null, droppedQuotes: 0, reason: 'no-verified-quote' });
  });
});

describe('not covered', () => {
  it.each([NOT_COVERED, `${NOT_COVERED}.`, 'Sorry: not covered by sources', ''])('reply %j is not used', async (reply) => {
    fake.reply(reply);
    const { llm } = answerer();
    const out = await llm.synthesize(baseInput(doc, 'What is the weather in Muscat?'));
    expect(out.result).toBeNull();
    expect(out.reason).toBe(reply ? 'not-covered' : 'empty-reply');
  });
});

describe('list of quotes', () => {
  it('holds at most 3 quotes in answer order, each listed once, and renumbers the markers', async () => {
    const input = baseInput();
    fake.reply(
      '"Special Envoy Steve Witkoff and Jared Kushner led the team" [2]. "The same day, six Iranian gunboats attempted to intercept" [1]. ' +
        '"marks a fragile turning point" [3]. Again: "Special Envoy Steve Witkoff and Jared Kushner led the team" [2]. ' +
        '"a calculated display of strategic defiance" [1].',
    );
    const { llm } = answerer();
    const { result } = await llm.synthesize(input);
    expect(result!.quotes.map((q) => q.text)).toEqual([
      'Special Envoy Steve Witkoff and Jared Kushner led the team',
      'The same day, six Iranian gunboats attempted to intercept',
      'marks a fragile turning point',
    ]);
    expect(result!.answer).toBe(
      '"Special Envoy Steve Witkoff and Jared Kushner led the team" [1]. "The same day, six Iranian gunboats attempted to intercept" [2]. ' +
        '"marks a fragile turning point" [3]. Again: "Special Envoy Steve Witkoff and Jared Kushner led the team" [1]. ' +
        '"a calculated display of strategic defiance".',
    );
    expectNothingUnverified(result!, input);
  });

  it('stays within 1200 characters', async () => {
    const input = baseInput();
    const paras = input.passages.map((p) => p.text);
    fake.reply(paras.map((t, i) => `"${t}" [${i + 1}]`).join(' '));
    const { llm } = answerer();
    const { result } = await llm.synthesize(input);
    const total = result!.quotes.reduce((n, q) => n + q.text.length, 0);
    expect(total).toBeLessThanOrEqual(1200);
    expect(result!.quotes.length).toBeGreaterThan(0);
    expect(paras.reduce((n, t) => n + t.length, 0)).toBeGreaterThan(1200);
    expectNothingUnverified(result!, input);
  });
});

describe('failures fall back with a log line and no crash', () => {
  it('time-out: a server that never answers', async () => {
    fake.reply({ until: fake.hang() });
    const { llm, log } = answerer({ timeoutMs: 200 });
    const out = await llm.synthesize(baseInput());
    expect(out).toEqual({ result: null, droppedQuotes: 0, reason: 'timeout' });
    const warn = log.entries().find((e) => e.reason === 'timeout')!;
    expect(warn.level).toBe(40);
    expect(warn.msg).toMatch(/offline answer/);
    expect(log.raw()).not.toContain(API_KEY);
  });

  it('time-out also bounds a Retry-After wait inside LangChain’s retry loop', async () => {
    fake.reply({ status: 429, headers: { 'retry-after': '30' } });
    const { llm } = answerer({ timeoutMs: 300 });
    const out = await llm.synthesize(baseInput());
    expect(out.reason).toBe('timeout');
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('429 without Retry-After: not retried', async () => {
    fake.reply({ status: 429, message: 'Rate limit reached for requests' });
    const { llm, log } = answerer();
    const out = await llm.synthesize(baseInput());
    expect(out).toEqual({ result: null, droppedQuotes: 0, reason: 'api-error' });
    expect(fake.chatRequests()).toHaveLength(1);
    const warn = log.entries().find((e) => e.reason === 'api-error')!;
    expect(warn.status).toBe(429);
    expect(String(warn.error)).toMatch(/Rate limit reached/);
    expect(log.raw()).not.toContain(API_KEY);
  });

  it('429 insufficient_quota: not retried', async () => {
    fake.reply({ status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota' });
    const { llm } = answerer();
    const out = await llm.synthesize(baseInput());
    expect(out.reason).toBe('api-error');
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('500: retried once (the default), then given up', async () => {
    fake.reply({ status: 500, message: 'boom' }, { status: 500, message: 'boom again' });
    const { llm, log } = answerer();
    const out = await llm.synthesize(baseInput());
    expect(out).toEqual({ result: null, droppedQuotes: 0, reason: 'api-error' });
    expect(fake.chatRequests()).toHaveLength(2);
    expect(log.entries().find((e) => e.reason === 'api-error')!.status).toBe(500);
  });

  it('500 then success: the single retry recovers', async () => {
    fake.reply({ status: 500 }, 'The meeting "marks a fragile turning point" [3].');
    const { llm } = answerer();
    const out = await llm.synthesize(baseInput());
    expect(out.result!.quotes).toHaveLength(1);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('401: not retried, logged without the key', async () => {
    fake.reply({ status: 401, message: `Incorrect API key provided: ${API_KEY}` });
    const { llm, log } = answerer({ maxRetries: 3 });
    const out = await llm.synthesize(baseInput());
    expect(out.reason).toBe('api-error');
    expect(fake.chatRequests()).toHaveLength(1);
    // The server echoed the key in its message; the log line must still not carry it. Our logger
    // here has no redaction, so this checks what the answerer itself chose to log.
    expect(log.entries().find((e) => e.reason === 'api-error')!.status).toBe(401);
    expect(log.raw()).toContain('Incorrect API key provided: [redacted]');
    expect(log.raw()).not.toContain(API_KEY);
  });

  it('server down (connection refused)', async () => {
    const url = fake.baseURL;
    await fake.close();
    fake = await startFakeOpenAI(); // for afterEach
    const log = captureLogger();
    const llm = new LlmAnswerer({ apiKey: API_KEY, baseURL: url, model: 'm', timeoutMs: 5000, logger: log.logger, maxRetries: 0 });
    const out = await llm.synthesize(baseInput());
    expect(out.reason).toBe('api-error');
    expect(log.entries().some((e) => e.reason === 'api-error')).toBe(true);
  });
});

export type { SynthesisInput };
