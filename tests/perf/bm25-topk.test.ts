// The BM25 search keeps only the best k while scanning (a dense score array reused across
// questions); it must rank exactly as scoring everything and sorting would, ties included.
import { describe, expect, test } from 'vitest';
import { BM25_B, BM25_K1 } from '../../src/index/term-stats.js';
import { Bm25Index } from '../../src/index/bm25.js';

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 2 ** 32;
  };
}

/** Reference: every chunk's score, fully sorted (score descending, then chunk order). */
function reference(chunks: string[][], index: Bm25Index, query: Map<string, number>, k: number) {
  const avg = chunks.reduce((n, c) => n + c.length, 0) / chunks.length;
  const scores = new Map<number, number>();
  for (const [term, w] of query) {
    const idf = index.stats.idf(term) * w;
    chunks.forEach((c, i) => {
      const f = c.filter((t) => t === term).length;
      if (!f) return;
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * c.length) / avg);
      scores.set(i, (scores.get(i) ?? 0) + (idf * f * (BM25_K1 + 1)) / (f + norm));
    });
  }
  return [...scores].map(([i, score]) => ({ index: i, score })).sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);
}

describe('Bm25Index.search', () => {
  const random = seeded(11);
  const vocabulary = ['oman', 'iran', 'talk', 'sanction', 'enrich', 'carrier', 'trust', 'deal', 'uranium', 'missil'];
  // Many identical chunks make ties; a few long ones vary the length normalisation.
  const chunks = Array.from({ length: 400 }, (_, i) =>
    i % 7 === 0 ? ['oman', 'talk'] : Array.from({ length: 1 + Math.floor(random() * (i % 13 === 0 ? 40 : 8)) }, () => vocabulary[Math.floor(random() * vocabulary.length)]),
  );
  const index = new Bm25Index();
  for (const c of chunks) index.add(c);

  test.each([1, 5, 30, 120, 1000])('top %i equals the full sort, ties in chunk order', (k) => {
    for (const query of [new Map([['oman', 1], ['talk', 1]]), new Map([['uranium', 2], ['trust', 0.5], ['nowhere', 1]]), new Map(vocabulary.map((t) => [t, 1] as [string, number]))]) {
      expect(index.search(query, k)).toEqual(reference(chunks, index, query, k));
    }
  });

  test('scores do not leak from one question into the next', () => {
    const a = index.search(new Map([['carrier', 1]]), 10);
    index.search(new Map([['oman', 1]]), 10);
    expect(index.search(new Map([['carrier', 1]]), 10)).toEqual(a);
    expect(index.search(new Map([['nowhere', 1]]), 10)).toEqual([]);
  });

  test('a snapshot reads back to the same index, and can still grow', () => {
    const copy = Bm25Index.fromSnapshot(index.toSnapshot());
    expect(copy.size).toBe(index.size);
    expect(copy.stats.toJSON()).toEqual(index.stats.toJSON());
    const query = new Map(vocabulary.map((t) => [t, 1] as [string, number]));
    expect(copy.search(query, 50)).toEqual(index.search(query, 50));
    copy.add(['oman', 'oman', 'harbour']);
    expect(copy.size).toBe(index.size + 1);
    expect(copy.has('harbour')).toBe(true);
    expect(copy.search(new Map([['harbour', 1]]), 5).map((r) => r.index)).toEqual([index.size]);
  });

  test('building from all chunks at once gives the same index as adding them one by one', () => {
    const built = Bm25Index.build(chunks);
    expect(built.size).toBe(index.size);
    expect(built.stats.toJSON().df.sort()).toEqual(index.stats.toJSON().df.sort());
    expect(built.stats.avgLength).toBe(index.stats.avgLength);
    for (const k of [1, 30, 1000]) {
      const query = new Map(vocabulary.map((t, i) => [t, 1 + i / 10] as [string, number]));
      expect(built.search(query, k)).toEqual(index.search(query, k));
    }
    expect(Bm25Index.build([]).search(new Map([['oman', 1]]), 5)).toEqual([]);
  });
});
