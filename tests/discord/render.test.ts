// An Answer as Discord messages, without Discord: the shared card (adapters/shared/card.ts) laid out
// as embeds, each coverage level shown in plain words in the footer, next to the sources.
import { describe, expect, test } from 'vitest';
import { LIMITS } from '../../adapters/discord/limits.js';
import { cardMessages, DISCORD_DIALECT } from '../../adapters/discord/render.js';
import { answerCard, sourcesCard, topicCard } from '../../adapters/shared/card.js';
import type { Answer, Quote, SourceInfo } from '../../src/types.js';
import { embedTotal } from './helpers.js';

const renderAnswer = (a: Answer) => cardMessages(answerCard(a, DISCORD_DIALECT));

const quoteA: Quote = { text: 'The Khorramshahr-4 was shown at a parade.', document: 'a.md', section: 'Missiles', start: 0, end: 41, source: 'Tidewater Gulf Monitor', published: '2026-03-10' };

function answer(over: Partial<Answer> = {}): Answer {
  const coverage = over.abstained ? 'none' : 'answered';
  return { question: 'What is the range of the Khorramshahr-4?', abstained: false, coverage, conflict: false, concurring: 0, missing: [], quotes: [quoteA], ms: 1, mode: 'offline', droppedQuotes: 0, titles: { 'a.md': 'Missile review' }, ...over };
}

const embed = (a: Answer) => {
  const messages = renderAnswer(a);
  expect(messages).toHaveLength(1);
  return messages[0].embeds![0];
};

const NOTES = /Partly covered|Closest passages/;
const OFFLINE = 'Quoted word for word from the sources.';

describe('coverage in a Discord answer', () => {
  test('partial: the lead says what is missing, the footer names it before the sources, the quotes are unchanged', () => {
    const e = embed(answer({ coverage: 'partial', missing: ['range'], subject: 'the Khorramshahr-4', focus: 'range' }));
    expect(e.footer?.text).toBe(`Partly covered. Not in the sources: range. · ${OFFLINE} · Source: Missile review`);
    expect(e.description).toBe("The sources mention the Khorramshahr-4 but don't give its range. From “Missile review” (Missiles):");
    expect(e.fields?.map((f) => f.value)).toEqual([`> ${quoteA.text}`]);
  });

  test('partial with several missing details lists them in plain words', () => {
    const e = embed(answer({ coverage: 'partial', missing: ['range', 'payload', 'range'] }));
    expect(e.footer?.text).toBe(`Partly covered. Not in the sources: range and payload. · ${OFFLINE} · Source: Missile review`);
  });

  test('related: the footer says these are the closest passages', () => {
    const e = embed(answer({ coverage: 'related' }));
    expect(e.footer?.text).toBe(`Closest passages: the sources may not answer this exactly. · ${OFFLINE} · Source: Missile review`);
  });

  test('answered, and an answer without a coverage field, show only how it was made and the sources', () => {
    const legacy = answer();
    delete (legacy as Partial<Answer>).coverage;
    delete (legacy as Partial<Answer>).missing;
    expect(embed(answer({ coverage: 'answered' })).footer?.text).toBe(`${OFFLINE} · Source: Missile review`);
    expect(renderAnswer(legacy)).toEqual(renderAnswer(answer({ coverage: 'answered' })));
  });

  test('none: the abstention says why and what the sources cover, and carries no note', () => {
    const e = embed(answer({ abstained: true, coverage: 'none', reason: 'unknown_names', missing: ['Paris'], quotes: [], suggestions: ['Trust deficit'] }));
    expect(e.description).toBe("The sources don't cover that. They never mention “Paris”. They cover: Trust deficit. `/brief topic:` lists the topics.");
    expect(e.footer).toBeUndefined();
    expect(JSON.stringify(e)).not.toMatch(NOTES);
  });

  test('a long answer keeps the note on every part, and a long source list cannot clip it off', () => {
    const titles: Record<string, string> = {};
    const quotes: Quote[] = Array.from({ length: 40 }, (_, i) => {
      titles[`d${i}.md`] = `A rather long document title number ${i} about the missile programme`;
      const text = `Passage ${i} describes one more missile and its public record. `.repeat(12).trim();
      return { text, document: `d${i}.md`, section: `Section ${i}`, start: 0, end: text.length, source: '', published: '' };
    });
    const messages = renderAnswer(answer({ coverage: 'related', quotes, titles }));
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      const e = m.embeds![0];
      expect(e.footer?.text.startsWith(`Closest passages: the sources may not answer this exactly. · ${OFFLINE} · Sources: `)).toBe(true);
      expect(e.footer!.text.length).toBeLessThanOrEqual(LIMITS.footer);
      expect(embedTotal(e)).toBeLessThanOrEqual(LIMITS.embedTotal);
    }
  });
});

describe('where and when each quote comes from', () => {
  test('each quote is labelled with its outlet, its date and its section', () => {
    expect(embed(answer()).fields?.map((f) => f.name)).toEqual(['[1] Tidewater Gulf Monitor, 10 Mar 2026 · Missiles']);
  });

  test('the title stands in for a missing outlet; a missing date is left out', () => {
    const quotes: Quote[] = [
      { ...quoteA, source: '' },
      { ...quoteA, document: 'b.md', source: '', published: '' },
      { ...quoteA, document: 'c.md', published: '' },
    ];
    const e = embed(answer({ quotes, titles: { 'a.md': 'Missile review', 'b.md': 'Parade notes', 'c.md': 'Third' } }));
    expect(e.fields?.map((f) => f.name)).toEqual(['[1] Missile review, 10 Mar 2026 · Missiles', '[2] Parade notes · Missiles', '[3] Tidewater Gulf Monitor · Missiles']);
  });

  test('a topic briefing labels its quotes the same way', () => {
    const [m] = cardMessages(topicCard({ topic: { id: 'm', label: 'Missiles', description: '' }, quotes: [quoteA], titles: { 'a.md': 'Missile review' } }));
    expect(m.embeds![0].fields?.map((f) => f.name)).toEqual(['[1] Tidewater Gulf Monitor, 10 Mar 2026 · Missiles']);
  });

  test('/sources: each document with its outlet and date, in the order given (the engine’s newest first)', () => {
    const sources: SourceInfo[] = [
      { id: 'g.md', title: 'Gulf Capitals Split', source: 'Tidewater Gulf Monitor', published: '2026-03-10', sections: ['Divisions'] },
      { id: 'e.md', title: 'Centrifuges', source: 'Caspian Policy Review', published: '2026-02-20', sections: [] },
      { id: 'n.txt', title: 'Shipping Notes', source: '', published: '', sections: ['Introduction'] },
    ];
    const [m] = cardMessages(sourcesCard(sources));
    expect(m.embeds![0].title).toBe('Sources (3 documents, newest first)');
    expect(m.embeds![0].fields).toEqual([
      { name: 'Gulf Capitals Split', value: 'Tidewater Gulf Monitor, 10 Mar 2026\nSections: Divisions' },
      { name: 'Centrifuges', value: 'Caspian Policy Review, 20 Feb 2026' },
      { name: 'Shipping Notes', value: 'outlet unknown, undated\nSections: Introduction' },
    ]);
  });
});
