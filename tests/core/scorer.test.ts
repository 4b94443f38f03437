// The sentence scorer (what picks quotes, and what `briefbot rank` exposes): the sentence that
// answers a question outranks distractors that share its words, and a candidate's score never
// depends on where it sits in the input.
import { describe, expect, test } from 'vitest';
import { rankCandidates, type RankItem } from '../../src/answer/rank.js';
import { tempDir } from './helpers.js';

/** Hand-made WikiQA-style items: `answer` is the index of the one candidate that answers. */
const ITEMS: (RankItem & { answer: number })[] = [
  {
    id: 'austen',
    question: 'Who wrote the novel Pride and Prejudice?',
    candidates: [
      'The novel is set in rural England in the early 19th century.',
      'It has been adapted for film and television many times.',
      'Pride and Prejudice is an 1813 novel of manners written by Jane Austen.',
      'Prejudice is a preconceived opinion that is not based on reason or experience.',
    ],
    answer: 2,
  },
  {
    id: 'everest',
    question: 'How tall is Mount Everest?',
    candidates: [
      'Many climbers have died attempting the ascent.',
      'The mountain was named after George Everest, a British surveyor.',
      'Mount Everest is the highest mountain on Earth, with an elevation of 8,849 metres above sea level.',
      'Everest is located in the Mahalangur Himal sub-range of the Himalayas.',
    ],
    answer: 2,
  },
  {
    id: 'tides',
    question: 'What causes ocean tides?',
    candidates: [
      'Tide tables list the times of high and low water at a port.',
      'The ocean covers about 71 percent of the surface of the Earth.',
      'Tides are the rise and fall of sea levels caused by the gravitational pull of the Moon and the Sun.',
      'Surfers prefer beaches with strong waves.',
    ],
    answer: 2,
  },
  {
    id: 'ww2',
    question: 'When did World War II end?',
    candidates: [
      'Millions of soldiers and civilians died during the conflict.',
      'The war in Europe ended with the surrender of Germany in May 1945, and Japan surrendered in September 1945.',
      'The war began in 1939 when Germany invaded Poland.',
      'The United Nations was founded to prevent future conflicts.',
    ],
    answer: 1,
  },
  {
    id: 'paris',
    question: 'What is the capital of France?',
    candidates: ['France is a country in Western Europe.', 'Paris is the capital and most populous city of France.', 'The French Revolution began in 1789.', 'Bananas are rich in potassium.'],
    answer: 1,
  },
  {
    id: 'insulin',
    question: 'What organ produces insulin?',
    candidates: [
      'Diabetes affects millions of people worldwide.',
      'Insulin is a peptide hormone produced by beta cells of the pancreatic islets.',
      'The liver stores glycogen.',
      'Insulin was first used to treat a patient in 1922.',
    ],
    answer: 1,
  },
];

const dataDir = tempDir('rank');
const items = ITEMS.map(({ answer: _a, ...item }) => item);
const ranked = rankCandidates(items, dataDir);

/** A fixed permutation that moves every element (n > 1). */
const rotate = <T,>(xs: T[], by: number): T[] => xs.map((_, i) => xs[(i + by) % xs.length]);

describe('rankCandidates', () => {
  test('one result per item, ids passed through, one score in [0, 1] per candidate', () => {
    expect(ranked.map((r) => r.id)).toEqual(ITEMS.map((i) => i.id));
    ranked.forEach((r, i) => {
      expect(r.scores).toHaveLength(ITEMS[i].candidates.length);
      for (const s of r.scores) {
        expect(Number.isFinite(s)).toBe(true);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }
    });
  });

  test.each(ITEMS.map((item, i) => [item.id, i] as const))('%s: the answering sentence outranks every distractor', (_id, i) => {
    const scores = ranked[i].scores;
    const answer = scores[ITEMS[i].answer];
    scores.forEach((s, j) => {
      if (j !== ITEMS[i].answer) expect(answer, `candidate ${j}: ${ITEMS[i].candidates[j]}`).toBeGreaterThan(s);
    });
  });

  test('shuffling candidates (and items) leaves every candidate its score', () => {
    const byText = (rs: { scores: number[] }[], its: RankItem[]) => its.map((item, i) => new Map(item.candidates.map((c, j) => [c, rs[i].scores[j]])));
    const base = byText(ranked, items);
    for (const by of [1, 2, 3]) {
      const shuffled = rotate(
        items.map((item) => ({ ...item, candidates: rotate(item.candidates, by) })),
        by,
      );
      const again = byText(rankCandidates(shuffled, dataDir), shuffled);
      shuffled.forEach((item, i) => {
        const original = items.findIndex((x) => x.id === item.id);
        expect(again[i]).toEqual(base[original]);
      });
    }
  });

  test('identical candidates get identical scores; a candidate with no words scores 0', () => {
    const [r] = rankCandidates([{ id: 'dup', question: 'What is the capital of France?', candidates: ['Paris is the capital of France.', '🙂', 'Paris is the capital of France.', ''] }], dataDir);
    expect(r.scores[0]).toBe(r.scores[2]);
    expect(r.scores[0]).toBeGreaterThan(0.5);
    expect(r.scores[1]).toBe(0);
    expect(r.scores[3]).toBe(0);
  });

  test('no items, and an item without candidates', () => {
    expect(rankCandidates([], dataDir)).toEqual([]);
    expect(rankCandidates([{ id: 7, question: 'Anything?', candidates: [] }], dataDir)).toEqual([{ id: 7, scores: [] }]);
  });
});
