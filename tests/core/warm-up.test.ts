// The warm-up questions (src/answer/warm-up.ts): made from the corpus's own headings, in the
// shapes people type, never a fixed list that would warm one corpus's answers alone.
import { describe, expect, test } from 'vitest';
import { warmUpQuestions } from '../../src/answer/warm-up.js';
import type { Document } from '../../src/types.js';

const doc = (titles: string[]) => ({ sections: titles.map((title, index) => ({ title, index })) }) as unknown as Document;

describe('warmUpQuestions', () => {
  test('asks about each distinct heading, in turn in each shape', () => {
    const qs = warmUpQuestions([doc(['Oman’s role', 'The trust deficit']), doc(['the trust deficit', 'Enrichment'])]);
    expect(qs).toHaveLength(16);
    expect(qs.slice(0, 3)).toEqual(['What do the sources say about oman’s role?', 'catch me up on the trust deficit', 'whats the latest on enrichment since last week']);
    // Three headings in four shapes: twelve different questions, each heading in more than one shape.
    expect(new Set(qs).size).toBe(12);
    expect(qs.filter((q) => q.includes('enrichment')).length).toBeGreaterThan(1);
  });

  test('a corpus with no headings asks nothing', () => {
    expect(warmUpQuestions([doc(['', '  '])])).toEqual([]);
    expect(warmUpQuestions([])).toEqual([]);
  });
});
