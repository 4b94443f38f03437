// 👍 / 👎 on answers, in either database: an answer is kept for its buttons, a vote stored with
// what was asked and answered, a second click replacing the first.
import { expect, test } from 'vitest';
import type { Answer } from '../../src/types.js';
import { eachBackend } from './backends.js';

const quote = { text: 'Oman hosted.', document: 'oman.md', section: 'Body', start: 0, end: 12, source: 'Muscat Review', published: '2026-02-09' };
const answer: Answer = { question: 'What did Oman do?', abstained: false, coverage: 'answered', conflict: false, concurring: 0, missing: [], quotes: [quote], ms: 1, mode: 'offline', droppedQuotes: 0, titles: { 'oman.md': 'Oman' } };

eachBackend('feedback', (backend) => {
  test('stores votes with question, answer and user; a second click replaces the first', async () => {
    const store = (await backend.open({ feedback: { now: () => 42 } })).feedback;
    const id = await store.saveAnswer('slack', answer);
    expect((await store.getAnswer(id))?.answer).toEqual(answer);
    expect(await store.record(id, 'U1', 'up')).toEqual({ up: 1, down: 0 });
    expect(await store.record(id, 'U2', 'up')).toEqual({ up: 2, down: 0 });
    expect(await store.record(id, 'U1', 'down')).toEqual({ up: 1, down: 1 });
    expect(await store.counts(id)).toEqual({ up: 1, down: 1 });
    const rows = await store.list();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.user === 'U1')).toEqual({ answerId: id, platform: 'slack', user: 'U1', vote: 'down', question: 'What did Oman do?', answer: '“Oman hosted.”', at: 42 });
  });

  test('list is newest first, ties in the order first cast', async () => {
    let now = 1;
    const store = (await backend.open({ feedback: { now: () => now } })).feedback;
    const a = await store.saveAnswer('slack', answer);
    const b = await store.saveAnswer('discord', answer);
    await store.record(a, 'U1', 'up');
    await store.record(b, 'U1', 'up');
    now = 2;
    await store.record(a, 'U2', 'down');
    expect((await store.list()).map((r) => `${r.answerId === a ? 'a' : 'b'}:${r.user}@${r.at}`)).toEqual(['a:U2@2', 'b:U1@1', 'a:U1@1']);
  });

  test('an unknown answer id records nothing', async () => {
    const store = (await backend.open()).feedback;
    expect(await store.getAnswer('forged')).toBeUndefined();
    expect(await store.record('forged', 'U1', 'up')).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(await store.counts('forged')).toEqual({ up: 0, down: 0 });
  });

  test('old answers nobody voted on are pruned at startup; voted ones are kept', async () => {
    let now = 0;
    const store = (await backend.open({ feedback: { now: () => now, retentionMs: 10 } })).feedback;
    const quiet = await store.saveAnswer('slack', answer);
    const voted = await store.saveAnswer('slack', answer);
    await store.record(voted, 'U1', 'up');
    now = 100;
    const reopened = (await backend.open({ feedback: { now: () => now, retentionMs: 10 } })).feedback;
    expect(await reopened.getAnswer(quiet)).toBeUndefined();
    expect(await reopened.getAnswer(voted)).toBeDefined();
  });
});
