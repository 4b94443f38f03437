// Ingest tokenises each paragraph once: its sentences and every sentence's tokens come from one
// wink-nlp pass. They must be exactly what splitting the paragraph and then tokenising each
// sentence on its own gives (what answering and the old cache computed), or a cached corpus
// would score differently from a freshly tokenised sentence.
import { describe, expect, test } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { parseDocument } from '../../src/corpus/parse.js';
import { sentencesWithTokens, sentenceSpans, sentenceTokens } from '../../src/text/tokens.js';
import { CORPUS } from './helpers.js';

/** The paragraph both ways: one pass, and spans then a pass per sentence. */
function expectOnePassSame(text: string, offset = 0): void {
  const one = sentencesWithTokens(text, offset);
  const spans = sentenceSpans(text, offset);
  expect(one.spans).toEqual(spans);
  expect(one.tokens).toEqual(spans.map((s) => sentenceTokens(text.slice(s.start - offset, s.end - offset))));
}

const TRICKY = [
  'The U.S. team met Iran’s F.M. in Muscat on Feb. 6. Talks resumed at 10 a.m.; nobody left.',
  'US-Israeli "coordination" — and the Shahed-139 drone — were raised. Who raised them? Mr. Witkoff did!',
  'He said: “It’s over.” She didn’t agree… They’d met 3 times in 2025, at $1.5bn cost.',
  'Line one of a hard-wrapped\nparagraph goes on here.\nA second sentence follows it.',
  'O\u200Bman hosted; the soft\u00ADhyphen and word\u2060joiner stay invisible. Next sentence.',
  'Tabs\tand\u00A0non-breaking spaces, form\ffeeds and U+2028\u2028separators. End.',
  'e-mail me at press@example.org or see https://example.org/a-b. Done.',
  'IAEA, FM, us and US: acronyms are not stop words. Running ran runs; better best good.',
  'Ünïcödé wörds, Zürich and 東京 stay whole. Καλημέρα κόσμε.',
  '...',
  '— 12 —',
  // Contractions (their parts have lemmas of their own), a word wink has no lemma for, one word with two tags.
  "Let's go; he's gone, she's been there. It's over, isn't it? I'm sure they'd've known. Don't! Can't you hear? Y'all ain't ready.",
  "dont: 'do not', cant: 'can not'. I dont know, he's the one who's said it's his. What's that? Where'd he go?",
  'I saw the saw. The leaves fall when he leaves; the runs ran on, running. Better books were the best books.',
];

describe('one tokeniser pass per paragraph', () => {
  test.each(TRICKY.map((t) => [t]))('the same sentences and tokens: %j', (text) => {
    expectOnePassSame(text);
    expectOnePassSame(text, 17);
  });

  test('every paragraph of the shipped corpus', () => {
    const { documents } = loadCorpus(CORPUS);
    let paragraphs = 0;
    for (const d of documents) {
      for (const s of d.sections) {
        for (const p of s.paragraphs) {
          expectOnePassSame(d.text.slice(p.start, p.end), p.start);
          paragraphs++;
        }
      }
    }
    expect(paragraphs).toBeGreaterThan(20);
  });

  test('parsing with the one-pass splitter gives the same document', () => {
    for (const d of loadCorpus(CORPUS).documents) {
      const bytes = Buffer.from(d.text, 'utf8');
      expect(parseDocument(d.id, d.text, bytes, (t, o) => sentencesWithTokens(t, o).spans)).toEqual(parseDocument(d.id, d.text, bytes));
    }
  });
});
