// The core returns outcomes; the shared card words them once for every platform (R2.3). Each
// reason code and coverage level gets its sentence, quotes keep their attribution, and a platform's
// dialect changes only how a person is told to ask.
import { describe, expect, test } from 'vitest';
import type { Answer, Quote } from '../../src/types.js';
import { answerCard, answerLead, sourcesCard, topicCard, type Dialect } from '../../adapters/shared/card.js';
import { CONSOLE_DIALECT } from '../../adapters/console/layout.js';
import { SLACK_DIALECT } from '../../adapters/slack/render.js';
import { DISCORD_DIALECT } from '../../adapters/discord/render.js';

const quote = (over: Partial<Quote> = {}): Quote => ({ text: 'Enrichment has partly resumed.', document: 'b.md', section: 'Findings', start: 0, end: 30, source: 'Tidewater Gulf Monitor', published: '2026-03-10', ...over });

function answer(over: Partial<Answer> = {}): Answer {
  return { question: 'Has enrichment resumed?', abstained: false, coverage: 'answered', conflict: false, missing: [], concurring: 0, quotes: [quote()], ms: 3, mode: 'offline', droppedQuotes: 0, titles: { 'b.md': 'Inspectors Return', 'a.md': 'Muscat Talks' }, ...over };
}

const none = (over: Partial<Answer>) => answer({ abstained: true, coverage: 'none', quotes: [], suggestions: ['Trust deficit', "Oman's role"], ...over });

describe('an answer card', () => {
  test('names the documents and sections quoted, and each quote says where and when', () => {
    const card = answerCard(answer(), CONSOLE_DIALECT);
    expect(card.tone).toBe('answer');
    expect(card.lead).toBe('From “Inspectors Return” (Findings):');
    expect(card.quotes).toEqual([{ text: 'Enrichment has partly resumed.', attribution: 'Tidewater Gulf Monitor, 10 Mar 2026 · Findings', document: 'b.md' }]);
    expect(card.notes).toEqual(['Quoted word for word from the sources.']);
    expect(card.sources).toBe('Source: Inspectors Return');
  });

  test('a partial answer says what the sources mention and what they lack', () => {
    const card = answerCard(answer({ coverage: 'partial', subject: 'the Khorramshahr-4', focus: 'range', missing: ['range'] }), CONSOLE_DIALECT);
    expect(card.tone).toBe('caveat');
    expect(card.lead).toMatch(/^The sources mention the Khorramshahr-4 but don't give its range\. From “Inspectors Return”/);
    expect(card.notes[0]).toBe('Partly covered. Not in the sources: range.');
  });

  test('sources that disagree: the lead says so and names the most recent; concurring sources are counted', () => {
    const older = quote({ document: 'a.md', source: 'Harbour Journal', published: '2026-02-09', section: 'Outlook' });
    expect(answerCard(answer({ conflict: true, quotes: [quote(), older] }), CONSOLE_DIALECT).lead).toMatch(/^The sources disagree; the most recent is Tidewater Gulf Monitor \(10 Mar 2026\), quoted first\./);
    expect(answerCard(answer({ concurring: 2 }), CONSOLE_DIALECT).lead).toMatch(/^The newest source is quoted first; 2 others say the same\./);
  });

  test('a model synthesis is the lead, its quotes numbered, and dropped quotes are counted', () => {
    const card = answerCard(answer({ mode: 'llm', synthesis: 'Enrichment resumed [1].', droppedQuotes: 1 }), CONSOLE_DIALECT);
    expect(card.lead).toBe('Enrichment resumed [1].');
    expect(card.numbered).toBe(true);
    expect(card.notes.join(' ')).toMatch(/language model.*1 quoted passage in the model’s draft could not be found/);
  });
});

describe('why nothing is quoted, from the reason code', () => {
  test.each<[string, Partial<Answer>, RegExp]>([
    ['not_covered', { reason: 'not_covered' }, /^The sources don't cover that\. They cover: Trust deficit, Oman's role\./],
    ['unknown_names', { reason: 'unknown_names', missing: ['Japan', 'Beijing'] }, /They never mention “Japan” or “Beijing”\./],
    ['other_language', { reason: 'other_language', missing: ['日本'] }, /please ask in English/],
    ['outlet_silent', { reason: 'outlet_silent', outlet: 'Harbour Street Journal' }, /^Harbour Street Journal has nothing on that\./],
    ['topic_unanswered', { reason: 'topic_unanswered', nearTopic: 'The Trust Deficit' }, /though they discuss The Trust Deficit\./],
  ])('%s', (_code, over, expected) => {
    const card = answerCard(none(over), CONSOLE_DIALECT);
    expect(card.tone).toBe('none');
    expect(card.quotes).toEqual([]);
    expect(card.lead).toMatch(expected);
  });

  test('without briefing topics, the newest documents are suggested', () => {
    expect(answerLead(none({ reason: 'not_covered', suggestions: [], newestTitles: ['Inspectors Return'] }), CONSOLE_DIALECT)).toMatch(/They cover: “Inspectors Return”\./);
  });
});

describe('a dialect changes only how a person is told to ask', () => {
  test.each<[string, Dialect, RegExp]>([
    ['console', CONSOLE_DIALECT, /for example: “Why is Oman trusted as a mediator\?”/],
    ['slack', SLACK_DIALECT, /for example: “Why is Oman trusted as a mediator\?”/],
    ['discord', DISCORD_DIALECT, /for example: `\/ask question: Why is Oman trusted as a mediator\?`/],
  ])('%s', (_name, dialect, expected) => {
    const card = answerCard(answer({ error: 'empty', abstained: true, coverage: 'none', quotes: [] }), dialect);
    expect(card.tone).toBe('problem');
    expect(card.lead).toMatch(expected);
    expect(answerLead(none({ reason: 'not_covered' }), dialect)).toContain(`${dialect.topicsCommand} lists the topics.`);
  });

  test('a question that is too long is told its length and the limit', () => {
    expect(answerCard(answer({ error: 'too_long', questionChars: 20_000, abstained: true, coverage: 'none', quotes: [] }), CONSOLE_DIALECT).lead).toMatch(/20,000 characters long; please keep it under 2,000/);
  });
});

test('topic and source cards', () => {
  const topic = { id: 'trust', label: 'Trust deficit', description: 'Why they distrust each other' };
  expect(topicCard({ topic, quotes: [], titles: {} }).lead).toBe("The sources don't cover trust deficit yet.");
  expect(topicCard({ topic, quotes: [quote()], titles: { 'b.md': 'Inspectors Return' } }).title).toBe('Briefing: Trust deficit');
  const sources = sourcesCard([{ id: 'b.md', title: 'Inspectors Return', source: 'Tidewater Gulf Monitor', published: '2026-03-10', sections: ['Findings'] }]);
  expect(sources.title).toBe('Sources (1 document, newest first)');
  expect(sources.items).toEqual([{ name: 'Inspectors Return', detail: 'Tidewater Gulf Monitor, 10 Mar 2026', extra: 'Sections: Findings' }]);
  expect(sourcesCard([]).lead).toBe('The corpus has no documents yet.');
});
