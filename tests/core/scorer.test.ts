// The sentence scorer (what picks quotes, and what `briefbot rank` exposes): the sentence that
// answers a question outranks distractors that share its words, and a candidate's score never
// depends on where it sits in the input.
import { describe, expect, test } from 'vitest';
import { ANSWER_TYPE_BONUS } from '../../src/answer/offline.js';
import { rankCandidates, type RankItem } from '../../src/answer/rank.js';
import { copulaSubject, definitionFocus } from '../../src/answer/definition.js';
import { DEFINITION_BOOST, SentenceScorer } from '../../src/answer/scorer.js';
import { TermStats } from '../../src/index/term-stats.js';
import { LocalWordVectorEmbeddings } from '../../src/index/embedder-local.js';
import { sentenceTokens, stemWord } from '../../src/text/tokens.js';
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

/** The scorer alone, with IDF from `candidates` (what rank uses for one question). */
function scoreAlone(question: string, candidates: string[]): number[] {
  const embedder = LocalWordVectorEmbeddings.load(dataDir);
  const scorer = new SentenceScorer(embedder.vectorsRef, embedder);
  const stats = new TermStats();
  const prepared = candidates.map((c) => {
    const p = scorer.prepare(c);
    stats.add(p.stems, p.stems.length);
    return p;
  });
  const q = scorer.prepare(question);
  return prepared.map((s) => Math.round(scorer.score(q, s, stats) * 1e6) / 1e6);
}

describe('rank: term statistics per question', () => {
  test("a candidate's score does not depend on the other questions in the input", () => {
    const alone = items.map((item) => rankCandidates([item], dataDir)[0].scores);
    expect(ranked.map((r) => r.scores)).toEqual(alone);
    // A question of another subject with words of its own beside it changes nothing either.
    const [, withOther] = rankCandidates([{ id: 'other', question: 'Who painted the Mona Lisa?', candidates: ['The Mona Lisa was painted by Leonardo da Vinci.', 'Paris is home to the Louvre.'] }, items[4]], dataDir);
    expect(withOther.scores).toEqual(alone[4]);
  });
});

describe('rank: the answerer\'s reward for the asked kind of fact', () => {
  const candidates = ['The war ended with a ceasefire.', 'The war ended in 1953 with a ceasefire.'];

  test('"when": the dated sentence gets ANSWER_TYPE_BONUS on top of its score and outranks the undated one', () => {
    const [r] = rankCandidates([{ id: 'when', question: 'When did the war end?', candidates }], dataDir);
    const plain = scoreAlone('When did the war end?', candidates);
    expect(plain[1]).toBeLessThan(plain[0]); // the scorer alone prefers the shorter sentence
    expect(r.scores[0]).toBe(plain[0]);
    expect(r.scores[1]).toBeCloseTo(plain[1] + ANSWER_TYPE_BONUS, 6);
    expect(r.scores[1]).toBeGreaterThan(r.scores[0]);
  });

  test('"why" asks for no kind of fact: the scorer alone decides', () => {
    const [r] = rankCandidates([{ id: 'why', question: 'Why did the war end?', candidates }], dataDir);
    expect(r.scores).toEqual(scoreAlone('Why did the war end?', candidates));
  });
});

describe('definition prior', () => {
  const focus = (q: string) => {
    const t = sentenceTokens(q);
    return definitionFocus(t.norms, t.stems);
  };
  const subject = (s: string) => {
    const t = sentenceTokens(s);
    return [...copulaSubject(t.norms, t.stems)];
  };

  test('"what/who/where is X" asks to define the head word of X; other questions ask no definition', () => {
    expect(focus('What is a CMM machine?')).toBe(stemWord('machine'));
    expect(focus('what are points on a mortgage')).toBe(stemWord('point'));
    expect(focus('Who was Tony Parker?')).toBe(stemWord('parker'));
    expect(focus('So what is the JCPOA?')).toBe('jcpoa');
    expect(focus('What did Araghchi say after the talks?')).toBeUndefined();
    expect(focus('When is the next round?')).toBeUndefined();
    // A question word inside a clause is no question word.
    expect(focus('Was Iran in compliance with the JCPOA when Washington pulled out?')).toBeUndefined();
  });

  test("a sentence's subject: its content stems before the first is/are/was/were", () => {
    expect(subject('A coordinate measuring machine is a device for measuring an object.')).toEqual(['coordin', 'measur', 'machin']);
    expect(subject('Paris is the capital of France.')).toEqual(['pari']);
    expect(subject('The talks ended without a deal.')).toEqual([]);
    expect(subject('Is Paris the capital?')).toEqual([]);
  });

  test('a sentence defining the asked thing is worth DEFINITION_BOOST more; one only mentioning it is not', () => {
    const embedder = LocalWordVectorEmbeddings.load(dataDir);
    const scorer = new SentenceScorer(embedder.vectorsRef, embedder);
    const q = scorer.prepare('What is a people meter?');
    const defining = scorer.prepare('A people meter is an audience measurement tool used to measure the viewing habits of TV audiences.');
    const mentioning = scorer.prepare('Nielsen introduced the people meter in 1987 to measure the viewing habits of TV audiences.');
    const stats = new TermStats();
    for (const p of [defining, mentioning]) stats.add(p.stems, p.stems.length);
    const noPrior = { ...q, defines: undefined };
    expect(q.defines).toBe(stemWord('meter'));
    expect(scorer.score(q, defining, stats)).toBeGreaterThan(scorer.score(noPrior, defining, stats));
    expect(scorer.score(q, defining, stats)).toBeCloseTo(scorer.score(noPrior, defining, stats) * (1 + DEFINITION_BOOST), 9);
    expect(scorer.score(q, mentioning, stats)).toBe(scorer.score(noPrior, mentioning, stats));
    expect(scorer.score(q, defining, stats)).toBeGreaterThan(scorer.score(q, mentioning, stats));
  });
});
