// A regression guard for how people really ask (issue R2.1): 42 questions written for this suite
// in chat style (casual, paraphrased, briefing requests, why, yes/no, two-part, near-misses,
// partial and unrelated), in other words than the development sets. Not every one has to pass:
// a change that loses more than a couple of them is a change in behaviour worth looking at.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { CORPUS, readCorpusTexts, tempDir } from './helpers.js';

interface Item {
  id: string;
  question: string;
  expect_any?: string[];
  abstain?: boolean;
  partial?: boolean;
}

const items = readFileSync(path.join(import.meta.dirname, 'fixtures', 'chat-questions.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Item);

let briefing: Briefing;
beforeAll(async () => {
  briefing = await Briefing.open({ corpusDir: CORPUS, dataDir: tempDir('chat-questions') });
});

test('answers most chat-style questions with a quote holding the answer, declines the rest, never fails to verify', async () => {
  const texts = readCorpusTexts();
  let hits = 0;
  let answerable = 0;
  let declined = 0;
  let outOfScope = 0;
  let falseAbstentions = 0;
  for (const item of items) {
    const a = await briefing.ask(item.question);
    for (const q of a.quotes) expect(texts.get(q.document)?.slice(q.start, q.end)).toBe(q.text);
    if (item.abstain || item.partial) {
      outOfScope++;
      if (a.abstained || a.coverage === 'partial') declined++;
    } else {
      answerable++;
      if (a.abstained) falseAbstentions++;
      else if (item.expect_any!.some((p) => a.quotes.some((q) => q.text.toLowerCase().includes(p.toLowerCase())))) hits++;
    }
  }
  expect(answerable).toBe(28);
  expect(hits).toBeGreaterThanOrEqual(26);
  expect(falseAbstentions).toBeLessThanOrEqual(1);
  expect(declined).toBeGreaterThanOrEqual(11);
  expect(outOfScope).toBe(14);
});
