// End to end: the real Briefing.open on the real corpus/ folder in LLM mode, with the real
// @langchain/openai client talking to the loopback fake for both chat and embeddings.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import type { Answer } from '../../src/types.js';
import { startFakeOpenAI, type ChatRequestBody, type FakeOpenAI } from './fake-openai.js';
import { CORPUS_DIR, captureLogger } from './fixtures.js';
import { API_KEY } from './helpers.js';
import { answerText } from '../../adapters/console/layout.js';

/** The first passage the engine sent, as the model saw it. */
function firstPassage(body: ChatRequestBody): string {
  const user = String(body.messages[1]!.content);
  const m = /<passage-([0-9a-f]+) number="1"[^>]*>\n([\s\S]*?)\n<\/passage-\1>/.exec(user);
  if (!m) throw new Error('no passage 1 in the prompt');
  return m[2]!;
}

/** A model that answers faithfully: it quotes the first eight words of passage [1]. */
function faithful(body: ChatRequestBody): string {
  const words = firstPassage(body).split(/\s+/).slice(0, 8).join(' ');
  return `According to the analysis, "${words}" [1].`;
}

/** A question answered from retrieved passages (not from a topic's sections), so the model is asked. */
const GUNBOATS = 'What did the Iranian gunboats do to the tanker in the Strait of Hormuz?';

let fake: FakeOpenAI;
let tmp: string;
const log = captureLogger();

beforeAll(async () => {
  fake = await startFakeOpenAI({ dimensions: 48 });
  tmp = mkdtempSync(path.join(tmpdir(), 'briefbot-llm-'));
  cpSync(CORPUS_DIR, path.join(tmp, 'corpus'), { recursive: true });
});
afterAll(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

function expectVerified(answer: Answer, briefing: Briefing): void {
  for (const q of answer.quotes) {
    const doc = briefing.index.byId.get(q.document)!;
    expect(doc.text.slice(q.start, q.end)).toBe(q.text);
    // The model's quotes pass the same gate as offline ones: stamped with the document's outlet and date.
    expect(q).toMatchObject({ source: doc.source, published: doc.published });
  }
}

describe('Briefing in LLM mode (chat + embeddings through the fake)', () => {
  let briefing: Briefing;
  beforeAll(async () => {
    briefing = await Briefing.open({
      corpusDir: path.join(tmp, 'corpus'),
      dataDir: path.join(tmp, 'data'),
      logger: log.logger,
      openai: { apiKey: API_KEY, baseURL: fake.baseURL, model: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small', timeoutMs: 5000 },
    });
  }, 60_000);

  it('starting a bot in LLM mode, warm-up and worker threads included, asks the model nothing (R2.4)', async () => {
    const before = fake.chatRequests().length;
    const options = { corpusDir: path.join(tmp, 'corpus'), dataDir: path.join(tmp, 'data'), openai: { apiKey: API_KEY, baseURL: fake.baseURL, model: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small', timeoutMs: 5000 } };
    await Briefing.open({ ...options, logger: log.logger, warmUp: true });
    const { PooledBriefing } = await import('../../src/workers/answer-pool.js');
    const pooled = await PooledBriefing.start(options, 'silent', 1);
    await pooled.close();
    expect(fake.chatRequests().length).toBe(before);
  }, 60_000);

  it('built the vector index through /v1/embeddings', () => {
    const reqs = fake.embeddingRequests();
    expect(reqs.length).toBeGreaterThan(1);
    expect(reqs.every((r) => r.model === 'text-embedding-3-small')).toBe(true);
  });

  it('a faithful reply becomes an llm-mode answer with verified quotes', async () => {
    fake.reply(faithful);
    const answer = await briefing.ask('Why did the presence of Admiral Cooper in Muscat matter?');
    expect(answer.mode).toBe('llm');
    expect(answer.droppedQuotes).toBe(0);
    expect(answer.quotes.length).toBe(1);
    expectVerified(answer, briefing);
    expect(answer.quotes[0]).toMatchObject({ source: 'Original analysis inspired by Muhanad Seloom from Al Jazeera', published: '2026-02-09' });
    expect(answerText(answer)).toContain(`”\n  — Original analysis inspired by Muhanad Seloom from Al Jazeera, 9 Feb 2026 · ${answer.quotes[0].section}`);
    expect(fake.chatRequests().at(-1)!.messages[1]!.content).toContain('Why did the presence of Admiral Cooper in Muscat matter?');
  });

  it('an invented quote is removed and counted', async () => {
    fake.reply((body) => `${faithful(body)} Iran "will never negotiate under threat" [2].`);
    const answer = await briefing.ask('What did Iran say about negotiating under pressure?');
    expect(answer.mode).toBe('llm');
    expect(answer.droppedQuotes).toBe(1);
    expect(answerText(answer)).not.toContain('will never negotiate under threat');
    expectVerified(answer, briefing);
  });

  it('only invented quotes: the offline answer, with the drop counted', async () => {
    fake.reply('Iran "will never negotiate under threat" [1].');
    const answer = await briefing.ask('What did Iran say about negotiating under pressure?');
    expect(answer.mode).toBe('offline');
    expect(answer.droppedQuotes).toBe(1);
    expect(answerText(answer)).not.toContain('will never negotiate under threat');
    expectVerified(answer, briefing);
  });

  it.each([
    ['500 (retried once)', [{ status: 500 }, { status: 500 }]],
    ['429 (not retried)', [{ status: 429 }]],
  ])('%s from the server: the offline answer, logged', async (_name, replies) => {
    fake.reply(...replies);
    const before = fake.chatRequests().length;
    const answer = await briefing.ask(GUNBOATS);
    expect(fake.chatRequests().length).toBe(before + replies.length);
    expect(answer.mode).toBe('offline');
    expect(answer.abstained).toBe(false);
    expect(answer.quotes.length).toBeGreaterThan(0);
    expectVerified(answer, briefing);
    expect(log.entries().some((e) => e.reason === 'api-error')).toBe(true);
  });

  it('time-out: the offline answer', async () => {
    const slow = await Briefing.open({
      corpusDir: path.join(tmp, 'corpus'),
      dataDir: path.join(tmp, 'data'),
      logger: log.logger,
      openai: { apiKey: API_KEY, baseURL: fake.baseURL, model: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small', timeoutMs: 300 },
    });
    fake.reply({ until: fake.hang() });
    const before = fake.chatRequests().length;
    const answer = await slow.ask(GUNBOATS);
    expect(fake.chatRequests().length).toBe(before + 1);
    expect(answer.mode).toBe('offline');
    expect(answer.quotes.length).toBeGreaterThan(0);
    expect(log.entries().some((e) => e.reason === 'timeout')).toBe(true);
  });
});
