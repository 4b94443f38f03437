// A name the question uses, known to the sources by another name of several words: WordNet's
// "Britain" is the "United Kingdom" (src/answer/paraphrase.ts), matched as a phrase the way an
// alias of several words is. Without that name in the sources, "Britain" stays a name they lack.
import { expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { corpusWith, markdownDoc, tempDir } from './helpers.js';

const statement = 'France, Germany and the United Kingdom issued a joint statement that backed the negotiations but warned that the secondary tariff risked penalizing partners.';

test('"Britain" finds the passage about the United Kingdom', async () => {
  const briefing = await Briefing.open({ corpusDir: corpusWith({ 'e3.md': markdownDoc('European Reaction', `## Europe\n\n${statement}\n\nThe tariff remains in force.`) }), dataDir: tempDir('name-synonyms') });
  const a = await briefing.ask('What did Britain warn about the tariff?');
  expect(a.abstained).toBe(false);
  expect(a.missing).toEqual([]);
  expect(a.quotes[0].text).toContain('United Kingdom');
});

test('without every word of the other name in the sources, "Britain" is a name they lack', async () => {
  const text = statement.replace('and the United Kingdom', 'and Italy');
  const briefing = await Briefing.open({ corpusDir: corpusWith({ 'e3.md': markdownDoc('European Reaction', `## Europe\n\n${text}\n\nThe tariff remains in force.`) }), dataDir: tempDir('name-synonyms-none') });
  const a = await briefing.ask('What did Britain warn about the tariff?');
  expect(a.abstained).toBe(true);
  expect(a.missing).toContain('Britain');
});
