// Word-vector lookups at ingest: an ASCII word is compared in JavaScript, any other through its
// UTF-8 bytes. Both must find the same row (or none) for every word, in the vocabulary or not.
import { describe, expect, test } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { tokenize } from '../../src/text/tokens.js';
import { loadWordVectors, type WordVectors } from '../../src/index/word-vectors.js';
import { CORPUS, tempDir } from './helpers.js';

interface Internals {
  wordBlock: Buffer;
  offsets: Uint32Array;
  search(word: string): number;
  searchBytes(key: Buffer): number;
}

describe('word-vector row lookup', () => {
  const vectors = loadWordVectors(tempDir('vectors')) as WordVectors & Internals;
  const word = (i: number) => vectors.wordBlock.toString('utf8', vectors.offsets[i], vectors.offsets[i + 1] - 1);

  test('every 50th vocabulary word, and near misses of it, both ways', () => {
    for (let i = 0; i < vectors.size; i += 50) {
      const w = word(i);
      expect(vectors.search(w)).toBe(i);
      for (const x of [`${w}x`, w.slice(0, -1), w.toUpperCase(), `${w}\u00e9`]) expect(vectors.search(x)).toBe(vectors.searchBytes(Buffer.from(x, 'utf8')));
    }
  });

  test('the words of the shipped corpus and odd ones', () => {
    const words = new Set(loadCorpus(CORPUS).documents.flatMap((d) => tokenize(d.text).map((t) => t.norm)));
    for (const w of ['', 'a', '~', '\u007f', 'zzzzzz', "don't", 'u.s.', 'naïve', 'café', 'zürich', '東京', '🙂']) words.add(w);
    for (const w of words) expect(vectors.row(w)).toBe(vectors.searchBytes(Buffer.from(w, 'utf8')));
  });
});
