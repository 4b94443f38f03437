// A quote that opens by pointing back ("That finding overturns the claim...") carries the sentence
// it points to, even across a paragraph break (src/answer/quotes.ts): alone, it says nothing.
import { expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { corpusWith, markdownDoc, readCorpusTexts, tempDir } from './helpers.js';

const body = `## Findings

Inspectors spent two days at the Keldara site in May. Their conclusion is that fuel loading has partly resumed at the reactor.

That finding overturns the claim, repeated in April, that the Keldara reactor had been idle since the winter accident.`;

test('a paragraph opening with "That finding" is quoted with the sentence before it', async () => {
  const dir = corpusWith({ 'keldara.md': markdownDoc('Keldara Findings', body) });
  const briefing = await Briefing.open({ corpusDir: dir, dataDir: tempDir('quote-context') });
  const a = await briefing.ask('What overturns the claim that the Keldara reactor had been idle?');
  expect(a.abstained).toBe(false);
  const quote = a.quotes.find((q) => q.text.includes('That finding overturns'));
  expect(quote?.text).toMatch(/^Their conclusion is that fuel loading has partly resumed at the reactor\.\n\nThat finding overturns/);
  expect(readCorpusTexts(dir).get('keldara.md')!.slice(quote!.start, quote!.end)).toBe(quote!.text);
});
