// A question's misspelt word is corrected to the corpus word it most likely meant, and only then:
// known words, short words, names with digits and ambiguous cases come back undefined. The index
// must find exactly what a scan of every word would find.
import { describe, expect, test } from 'vitest';
import { MIN_CORRECTED_LENGTH, ONE_EDIT_MAX_LENGTH, SpellingCorrector } from '../../src/text/spelling.js';

const SENTENCE =
  'The tariffs and the tariff on enrichment: Iran enriched uranium while negotiations with Araghchi over sanctions went on.';
const words = (s: string) => s.split(/[^\p{L}\p{N}-]+/u).filter(Boolean);

describe('SpellingCorrector', () => {
  const corrector = new SpellingCorrector(words(SENTENCE));

  test.each([
    ['negotations', 'negotiations'], // a dropped letter
    ['sanctons', 'sanctions'],
    ['araghchy', 'araghchi'], // a substitution; the vocabulary's capital does not matter
    ['sanctiosn', 'sanctions'], // a transposition is one edit
    ['enrichmnt', 'enrichment'],
    // Two edits from "enriched" (8 letters may take two), three from "enrichment": a word sharing the
    // stem, which is what retrieval matches on.
    ['enrichin', 'enriched'],
    ['Tarrif', 'tariff'], // the input is lower-cased
  ])('%s -> %s', (typo, word) => {
    expect(corrector.correct(typo)).toBe(word);
  });

  test('a doubling slip is one edit, though OSA counts two', () => {
    // "tarrif" / "tariff": r doubled instead of f, two substitutions apart, at 6 letters.
    expect(corrector.correct('tarrif')).toBe('tariff');
    expect(corrector.correct('tarrifs')).toBe('tariffs');
    expect(new SpellingCorrector(['committee', 'commit']).correct('comitee')).toBe('committee');
  });

  test.each([
    ['xyzzy', 'nothing near'],
    ['the', 'under four letters'],
    ['tha', 'under four letters'],
    ['tariff', 'already a corpus word'],
    ['enrich', 'not within one edit of any word (6 letters)'],
    ['sxnxxions', 'three edits from "sanctions"'],
    ['tariff2', 'has a digit'],
    ['tar-iff', 'not all letters'],
    ['', 'empty'],
  ])('%j -> undefined (%s)', (word) => {
    expect(corrector.correct(word)).toBeUndefined();
  });

  test('one edit up to six letters, two beyond', () => {
    expect(ONE_EDIT_MAX_LENGTH).toBe(6);
    expect(MIN_CORRECTED_LENGTH).toBe(4);
    const c = new SpellingCorrector(['muscat', 'negotiate', 'oman']);
    expect(c.correct('muskat')).toBe('muscat');
    expect(c.correct('muzkat')).toBeUndefined(); // 6 letters, two substitutions
    expect(c.correct('negotaite')).toBe('negotiate'); // transposition
    expect(c.correct('negozaite')).toBe('negotiate'); // 9 letters, two edits
    expect(c.correct('nezozaite')).toBeUndefined(); // three
    expect(c.correct('omn')).toBeUndefined(); // under four letters, though one edit from "oman"
    expect(c.correct('omaan')).toBe('oman');
  });

  test('known English words are never corrected', () => {
    const known = new Set(['tariffs', 'sanction']);
    const c = new SpellingCorrector(['tariff', 'sanctions'], { isKnownWord: (w) => known.has(w) });
    expect(c.correct('tariffs')).toBeUndefined();
    expect(c.correct('sanction')).toBeUndefined();
    expect(c.correct('tarrif')).toBe('tariff');
  });

  test('words with digits or hyphens are never the correction', () => {
    const c = new SpellingCorrector(['shahed-136', 'khorramshahr-4', 'f35c']);
    expect(c.correct('shahed')).toBeUndefined();
    expect(c.correct('khorramshahr')).toBeUndefined();
    expect(c.correct('fc35c')).toBeUndefined();
  });

  test('ties: the longer common prefix wins, then the more frequent word, else undefined', () => {
    // "sunction" is one substitution from both; "sanction" shares "s".
    expect(new SpellingCorrector(['junction', 'sanction']).correct('sunction')).toBe('sanction');
    // "talkz": "talks" and "talk" are one edit away with the prefix "talk" each.
    expect(new SpellingCorrector(['talk', 'talks', 'talks']).correct('talkz')).toBe('talks');
    expect(new SpellingCorrector(['talk', 'talk', 'talks']).correct('talkz')).toBe('talk');
    expect(new SpellingCorrector(['talk', 'talks']).correct('talkz')).toBeUndefined();
    // A closer word beats a longer prefix.
    expect(new SpellingCorrector(['sanctxxns', 'zanctions']).correct('sanctions')).toBe('zanctions');
  });

  test('finds exactly what a scan of the whole vocabulary finds', () => {
    // A small alphabet makes neighbours, ties and doubled letters common.
    const random = lcg(7);
    const pick = (s: string) => s[Math.floor(random() * s.length)];
    const vocabulary: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const length = 3 + Math.floor(random() * 8);
      let w = '';
      for (let k = 0; k < length; k++) w += pick('abcde');
      const copies = 1 + Math.floor(random() * 3);
      for (let k = 0; k < copies; k++) vocabulary.push(w);
    }
    const c = new SpellingCorrector(vocabulary);
    const reference = scanner(vocabulary);
    let corrected = 0;
    for (let i = 0; i < 800; i++) {
      const length = 4 + Math.floor(random() * 8);
      let q = '';
      for (let k = 0; k < length; k++) q += pick('abcdef');
      const want = reference(q);
      expect(c.correct(q), q).toBe(want);
      if (want) corrected++;
    }
    expect(corrected).toBeGreaterThan(50);
  });

  test('a 50,000-word vocabulary', () => {
    const random = lcg(11);
    const vocabulary = new Set<string>();
    while (vocabulary.size < 50_000) {
      const length = 4 + Math.floor(random() * 9);
      let w = '';
      for (let k = 0; k < length; k++) w += String.fromCharCode(97 + Math.floor(random() * 26));
      vocabulary.add(w);
    }
    const list = [...vocabulary, 'negotiations', 'araghchi'];
    const c = new SpellingCorrector(list);
    expect(c.correct('negotations')).toBe('negotiations');
    expect(c.correct('araghchy')).toBe('araghchi');
    const reference = scanner(list);
    for (const w of list.slice(0, 40)) {
      const typo = w.slice(0, 2) + w.slice(3) + 'q';
      expect(c.correct(typo), typo).toBe(reference(typo));
    }
  });
});

/** The rules of `correct`, applied by measuring the distance to every word. */
function scanner(vocabulary: string[]): (q: string) => string | undefined {
  const counts = new Map<string, number>();
  for (const w of vocabulary) counts.set(w, (counts.get(w) ?? 0) + 1);
  const skeleton = (w: string) => w.replace(/(.)\1+/g, '$1');
  const entries = [...counts].filter(([w]) => w.length >= 3 && /^[a-z]+$/.test(w)).map(([w, count]) => ({ w, count, skeleton: skeleton(w) }));
  return (q) => {
    if (q.length < 4 || counts.has(q)) return undefined;
    const limit = q.length <= 6 ? 1 : 2;
    const qSkeleton = skeleton(q);
    let best: string[] = [];
    let bestScore: number[] = [];
    for (const { w, count, skeleton: s } of entries) {
      const doubling = s === qSkeleton;
      if (!doubling && Math.abs(w.length - q.length) > limit) continue;
      let d = osa(q, w);
      if (doubling) d = Math.min(d, 1);
      if (d > limit) continue;
      let prefix = 0;
      while (prefix < q.length && q[prefix] === w[prefix]) prefix++;
      const score = [d, -prefix, -count];
      const cmp = best.length ? score.findIndex((v, i) => v !== bestScore[i]) : 0;
      if (!best.length || (cmp >= 0 && score[cmp] < bestScore[cmp])) {
        best = [w];
        bestScore = score;
      } else if (cmp < 0) best.push(w);
    }
    return best.length === 1 ? best[0] : undefined;
  };
}

let table = new Int32Array(0);

function osa(a: string, b: string): number {
  const width = b.length + 1;
  if (table.length < (a.length + 1) * width) table = new Int32Array((a.length + 1) * width);
  const d = table;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * width] = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * width + j - 2] + 1);
      d[i * width + j] = v;
    }
  }
  return d[a.length * width + b.length];
}

/** Deterministic pseudo-random numbers in [0, 1), so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
