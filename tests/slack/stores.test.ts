import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { FeedbackStore } from '../../src/store/feedback.js';
import type { Answer } from '../../src/types.js';

describe('FeedbackStore', () => {
  const quote = { text: 'Oman hosted.', document: 'oman.md', section: 'Body', start: 0, end: 12, source: 'Muscat Review', published: '2026-02-09' };
  const answer: Answer = { question: 'What did Oman do?', abstained: false, coverage: 'answered', conflict: false, concurring: 0, missing: [], quotes: [quote], ms: 1, mode: 'offline', droppedQuotes: 0, titles: { 'oman.md': 'Oman' } };

  test('stores votes with question, answer and user; a second click replaces the first', () => {
    const store = new FeedbackStore(openDatabase(':memory:'), { now: () => 42 });
    const id = store.saveAnswer('slack', answer);
    expect(store.getAnswer(id)?.answer).toEqual(answer);
    expect(store.record(id, 'U1', 'up')).toEqual({ up: 1, down: 0 });
    expect(store.record(id, 'U2', 'up')).toEqual({ up: 2, down: 0 });
    expect(store.record(id, 'U1', 'down')).toEqual({ up: 1, down: 1 });
    const rows = store.list();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.user === 'U1')).toEqual({ answerId: id, platform: 'slack', user: 'U1', vote: 'down', question: 'What did Oman do?', answer: '“Oman hosted.”', at: 42 });
  });

  test('an unknown answer id records nothing', () => {
    const store = new FeedbackStore(openDatabase(':memory:'));
    expect(store.record('forged', 'U1', 'up')).toBeUndefined();
    expect(store.list()).toEqual([]);
  });

  test('old answers nobody voted on are pruned at startup; voted ones are kept', () => {
    const db = openDatabase(':memory:');
    let now = 0;
    const store = new FeedbackStore(db, { now: () => now, retentionMs: 10 });
    const quiet = store.saveAnswer('slack', answer);
    const voted = store.saveAnswer('slack', answer);
    store.record(voted, 'U1', 'up');
    now = 100;
    const reopened = new FeedbackStore(db, { now: () => now, retentionMs: 10 });
    expect(reopened.getAnswer(quiet)).toBeUndefined();
    expect(reopened.getAnswer(voted)).toBeDefined();
  });
});
