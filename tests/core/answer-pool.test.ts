// Answers off the event loop (R2.4): the pooled engine answers in worker threads exactly as the
// engine does in-process, many at once, while the main thread stays free.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { PooledBriefing } from '../../src/workers/answer-pool.js';
import { CORPUS, tempDir } from './helpers.js';

let local: Briefing;
let pooled: PooledBriefing;
beforeAll(async () => {
  const options = { corpusDir: CORPUS, dataDir: tempDir('pool') };
  local = await Briefing.open(options);
  pooled = await PooledBriefing.start(options, 'silent', 1);
}, 60_000);
afterAll(async () => pooled?.close());

const QUESTIONS = ['Why is Oman trusted as a mediator?', 'What tariff did Trump impose?', 'What is the capital of France?', '', 'and why?'];

describe('the pooled engine', () => {
  test('answers as the engine does in-process: the same coverage, quotes and codes', async () => {
    for (const q of QUESTIONS) {
      const [a, b] = await Promise.all([pooled.ask(q, { history: ['Who hosted the talks?'] }), local.ask(q, { history: ['Who hosted the talks?'] })]);
      const { ms: _a, ...inThread } = a;
      const { ms: _b, ...inProcess } = b;
      expect(inThread).toEqual(inProcess);
    }
  });

  test('answers many questions at once, each its own', async () => {
    const asked = Array.from({ length: 24 }, (_, i) => QUESTIONS[i % 3]);
    const answers = await Promise.all(asked.map((q) => pooled.ask(q)));
    answers.forEach((a, i) => expect(a.question).toBe(asked[i]));
  });

  test('no question is scored on the main thread', async () => {
    const scored = { n: 0 };
    const answer = local.answerer.answer.bind(local.answerer);
    local.answerer.answer = (...args) => (scored.n++, answer(...args));
    try {
      await Promise.all(Array.from({ length: 10 }, () => pooled.ask(QUESTIONS[0])));
      expect(scored.n).toBe(0);
      await local.ask(QUESTIONS[0]);
      expect(scored.n).toBe(1); // the spy does see the main thread's own answers
    } finally {
      local.answerer.answer = answer;
    }
  });

  test('topics, sources and the digest are the engine’s own, from the thread’s snapshot', async () => {
    expect(pooled.topics()).toEqual(local.topics());
    expect(pooled.sources()).toEqual(local.sources());
    expect(await pooled.digest({ date: '2026-03-01' })).toEqual(await local.digest({ date: '2026-03-01' }));
  });
});
