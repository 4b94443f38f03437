import { describe, expect, test } from 'vitest';
import { ACTION_FEEDBACK_DOWN, ACTION_FEEDBACK_UP, ACTION_SHARE, MAX_BLOCKS, renderAnswer, renderHelp, renderSources, SECTION_MAX, TEXT_MAX, withVotes } from '../../adapters/slack/render.js';
import type { SlackContext } from '../../adapters/slack/context.js';
import { answerMessage } from '../../adapters/slack/replies.js';
import type { Answer, Quote, SourceInfo } from '../../src/types.js';

const hostile = 'Iran <!channel> & <@U123> said >no< <!here> <https://evil.test|click>';

function quote(text: string, i = 0, over: Partial<Quote> = {}): Quote {
  return { text, document: `doc${i}.md`, section: `Section ${i}`, start: 0, end: text.length, source: `Outlet ${i}`, published: '2026-03-10', ...over };
}

function answer(over: Partial<Answer> = {}): Answer {
  const coverage = over.abstained ? 'none' : 'answered';
  return { question: 'q', abstained: false, coverage, conflict: false, concurring: 0, missing: [], quotes: [quote('First quote.')], ms: 5, mode: 'offline', droppedQuotes: 0, titles: { 'doc0.md': 'Doc Zero' }, ...over };
}

/** Every text a Slack client would show or parse, from blocks and the fallback. */
function allText(m: { text: string; blocks: unknown[] }): string[] {
  const out = [m.text];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(m.blocks);
  return out;
}

function sections(m: { blocks: any[] }): string[] {
  return m.blocks.filter((b) => b.type === 'section').map((b) => b.text.text);
}

describe('renderAnswer', () => {
  test('lead, each quote as a block quote with its outlet, date and section, then buttons carrying the answer id', () => {
    const m = renderAnswer(answer({ quotes: [quote('First quote.', 0), quote('Second.', 1, { published: '2026-02-09' })], titles: { 'doc0.md': 'Doc Zero', 'doc1.md': 'Doc One' } }), { answerId: 'A1' });
    expect(sections(m)).toEqual(['From “Doc Zero” (Section 0) and “Doc One” (Section 1):', '> First quote.', '> Second.']);
    const contexts = m.blocks.filter((b: any) => b.type === 'context').map((b: any) => b.elements[0].text);
    expect(contexts).toContain('— Outlet 0, 10 Mar 2026 · Section 0');
    expect(contexts).toContain('— Outlet 1, 9 Feb 2026 · Section 1');
    expect(m.text).toContain('“First quote.” — Outlet 0, 10 Mar 2026 · Section 0');
    const actions = m.blocks.find((b: any) => b.type === 'actions') as any;
    expect(actions.elements.map((e: any) => [e.action_id, e.value])).toEqual([[ACTION_FEEDBACK_UP, 'A1'], [ACTION_FEEDBACK_DOWN, 'A1']]);
    expect(m.text).toContain('First quote.');
  });

  test('without an outlet the title stands in for it; without a date none is shown', () => {
    const m = renderAnswer(answer({ quotes: [quote('First.', 0, { source: '' }), quote('Second.', 1, { source: '', published: '' })], titles: { 'doc0.md': 'Doc Zero', 'doc1.md': 'Doc One' } }));
    const contexts = m.blocks.filter((b: any) => b.type === 'context').map((b: any) => b.elements[0].text);
    expect(contexts.slice(0, 2)).toEqual(['— Doc Zero, 10 Mar 2026 · Section 0', '— Doc One · Section 1']);
  });

  test('nothing from a question or a source can form a Slack control sequence', () => {
    const m = renderAnswer(answer({ question: hostile, synthesis: hostile, mode: 'llm', quotes: [quote(hostile, 0, { source: hostile, section: hostile })], titles: { 'doc0.md': hostile } }), { showQuestion: true, answerId: 'A' });
    for (const t of allText(m)) {
      expect(t).not.toMatch(/<[!@#]|<https?:/);
      // Once Slack's three entities are taken out, no raw < or & may remain.
      expect(t.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/[<&]/);
    }
    expect(m.blocks.every((b: any) => b.type !== 'section' || b.text.verbatim === true)).toBe(true);
  });

  test('a huge answer stays under 3,000 characters a section, 50 blocks a message and a bounded fallback', () => {
    const quotes = Array.from({ length: 60 }, (_, i) => quote(`${'<&> '.repeat(2000)} ${i}`, i));
    const m = renderAnswer(answer({ mode: 'llm', synthesis: 'x '.repeat(10_000), quotes }), { answerId: 'A', showQuestion: true, share: true });
    expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const s of sections(m)) expect(s.length).toBeLessThanOrEqual(SECTION_MAX);
    expect(m.text.length).toBeLessThanOrEqual(TEXT_MAX);
    expect(m.blocks[m.blocks.length - 1].type).toBe('actions');
    expect(JSON.stringify(m.blocks)).toContain('more matching passages not shown');
  });

  test('an abstention says why in bold, escaped, names what the sources cover and points to help', () => {
    const m = renderAnswer(answer({ abstained: true, coverage: 'none', reason: 'unknown_names', missing: ['<Paris>'], quotes: [], suggestions: ["Oman's role"] }));
    expect(sections(m)[0]).toBe("*The sources don't cover that. They never mention “&lt;Paris&gt;”. They cover: Oman's role. `/brief help` lists the topics.*");
  });

  test('an abstention suggests what the sources cover, escaped; an answer stored without suggestions gets the topics', () => {
    const m = renderAnswer(answer({ abstained: true, coverage: 'none', reason: 'not_covered', quotes: [], suggestions: ['Trust deficit', 'Scope <dispute>'] }));
    expect(sections(m)[0]).toContain("The sources don't cover that.");
    expect(sections(m)[0]).toContain('They cover: Trust deficit, Scope &lt;dispute&gt;');
    const ctx = { briefing: { topics: () => [{ id: 'oman', label: 'Oman', description: '' }] } } as unknown as SlackContext;
    const fallback = answerMessage(ctx, { answer: answer({ abstained: true, quotes: [] }) });
    expect(sections(fallback)[0]).toContain('They cover: Oman');
  });

  test.each([
    ['empty', 'Please ask a question'],
    ['too_long', 'too long'],
    ['no_words', 'plain words'],
  ] as const)('an unusable question (%s) gets a clear message and no buttons', (error, phrase) => {
    const m = renderAnswer(answer({ error, question: 'x'.repeat(error === 'too_long' ? 200 : 0), abstained: true, quotes: [] }), { answerId: 'A' });
    expect(m.text).toContain(phrase);
    expect(m.blocks.some((b: any) => b.type === 'actions')).toBe(false);
    if (error === 'too_long') {
      // The engine's refusal carries the real length (its Answer.question is cut short).
      const sized = renderAnswer(answer({ error, question: 'x'.repeat(200), questionChars: 20_000, abstained: true, quotes: [] }));
      expect(sized.text).toBe('That question is 20,000 characters long; please keep it under 2,000 characters and ask just the part you want answered.');
    }
  });

  test('LLM answers say so, and count quotes that failed verification', () => {
    const m = renderAnswer(answer({ mode: 'llm', droppedQuotes: 2 }));
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('language model');
    expect(text).toContain('2 quoted passages');
  });

  test('share adds the button; withVotes updates only the buttons', () => {
    const m = renderAnswer(answer(), { answerId: 'A', share: true });
    const updated = withVotes(m.blocks, 'A', { up: 2, down: 0 });
    expect(updated.slice(0, -1)).toEqual(m.blocks.slice(0, -1));
    const els = (updated[updated.length - 1] as any).elements;
    expect(els.map((e: any) => e.action_id)).toEqual([ACTION_SHARE, ACTION_FEEDBACK_UP, ACTION_FEEDBACK_DOWN]);
    expect(els[1].text.text).toBe('👍 2');
    expect(els[2].text.text).toBe('👎');
  });
});

describe('coverage', () => {
  const contexts = (m: { blocks: any[] }) => m.blocks.filter((b) => b.type === 'context').flatMap((b) => b.elements.map((e: any) => e.text));
  const footer = (m: { blocks: any[] }) => m.blocks.filter((b) => b.type === 'context').at(-1).elements.map((e: any) => e.text);
  const NOTES = /Partly covered|Closest passages/;

  test('a partial answer says in the footer which asked detail the sources lack', () => {
    const m = renderAnswer(answer({ coverage: 'partial', missing: ['range'], subject: 'the Khorramshahr-4', focus: 'range', question: 'What is the range of the Khorramshahr-4?' }), { answerId: 'A', showQuestion: true });
    expect(sections(m)).toEqual(["The sources mention the Khorramshahr-4 but don't give its range. From “Doc Zero” (Section 0):", '> First quote.']);
    expect(footer(m)).toEqual(['Question: What is the range of the Khorramshahr-4?', 'Partly covered. Not in the sources: range.', 'Quoted word for word from the sources.']);
    expect(m.blocks[m.blocks.length - 1].type).toBe('actions');
  });

  test('several missing details are listed in plain words', () => {
    const m = renderAnswer(answer({ coverage: 'partial', missing: ['range', 'payload'] }));
    expect(footer(m)).toContain('Partly covered. Not in the sources: range and payload.');
  });

  test('missing details are the asker\'s words, so they are escaped and cannot ping', () => {
    const m = renderAnswer(answer({ coverage: 'partial', missing: ['<!channel>', 'R&D <@U123>'] }));
    expect(footer(m)).toContain('Partly covered. Not in the sources: &lt;!channel&gt; and R&amp;D &lt;@U123&gt;.');
    for (const t of allText(m)) expect(t).not.toMatch(/<[!@#]/);
  });

  test('a related answer says these are the closest passages', () => {
    const m = renderAnswer(answer({ coverage: 'related', missing: [], mode: 'llm' }));
    expect(footer(m)).toEqual(['Closest passages: the sources may not answer this exactly.', 'Summary written by a language model; every quote checked against the sources.']);
  });

  test('an answered question, and one from before coverage existed, show no coverage note', () => {
    const answered = renderAnswer(answer({ coverage: 'answered' }), { answerId: 'A' });
    const legacy = answer();
    delete (legacy as Partial<Answer>).coverage;
    delete (legacy as Partial<Answer>).missing;
    for (const m of [answered, renderAnswer(legacy, { answerId: 'A' })]) {
      expect(contexts(m).some((t) => NOTES.test(t))).toBe(false);
      expect(footer(m)).toEqual(['Quoted word for word from the sources.']);
    }
    expect(renderAnswer(legacy, { answerId: 'A' })).toEqual(answered);
  });

  test('an abstention carries no coverage note', () => {
    const none = renderAnswer(answer({ abstained: true, coverage: 'none', reason: 'unknown_names', missing: ['Paris'], quotes: [] }));
    expect(sections(none)).toEqual(["*The sources don't cover that. They never mention “Paris”. `/brief help` lists the topics.*"]);
    expect(JSON.stringify(none)).not.toMatch(NOTES);
    const legacy = answer({ abstained: true, quotes: [], reason: 'unknown_names', missing: ['Paris'] });
    delete (legacy as Partial<Answer>).coverage;
    expect(renderAnswer(legacy)).toEqual(none);
  });
});

describe('help', () => {
  const topic = (i: number) => ({ id: `t${i}`, label: `Topic <${i}>`, description: 'About & more' });
  test('help lists commands and topics', () => {
    const m = renderHelp([topic(1)], [{ usage: '/brief help', description: 'this' }]);
    const text = sections(m).join('\n');
    expect(text).toContain('`/brief help`: this');
    expect(text).toContain('*Topic &lt;1&gt;*: About &amp; more');
  });
});

describe('sources', () => {
  const doc = (i: number, over: Partial<SourceInfo> = {}): SourceInfo => ({ id: `d${i}.md`, title: `Analysis ${i}`, source: `Outlet ${i}`, published: '2026-03-10', sections: ['Body'], ...over });

  test('each document with its outlet and date, in the order the engine gives (newest first)', () => {
    const m = renderSources([doc(0), doc(1, { published: '2026-02-20' }), doc(2, { source: '', published: '' })]);
    expect(sections(m)).toEqual(['*Sources (3 documents, newest first)*', '• *Analysis 0* — Outlet 0, 10 Mar 2026\n• *Analysis 1* — Outlet 1, 20 Feb 2026\n• *Analysis 2* — outlet unknown, undated']);
    expect(m.text).toBe('Sources (3 documents, newest first)');
  });

  test('titles and outlets are escaped; an empty corpus says so', () => {
    const m = renderSources([doc(0, { title: hostile, source: hostile })]);
    for (const t of allText(m)) expect(t.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/[<&]/);
    expect(sections(renderSources([]))).toEqual(['The corpus has no documents yet.']);
  });

  test('a very large corpus stays within Slack’s limits and says how many older documents are not shown', () => {
    const many = Array.from({ length: 3000 }, (_, i) => doc(i, { title: `Analysis ${i} ${'x'.repeat(100)}` }));
    const m = renderSources(many);
    expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const s of sections(m)) expect(s.length).toBeLessThanOrEqual(SECTION_MAX);
    const listed = sections(m).join('\n').split('\n').filter((l) => l.startsWith('• ')).length;
    expect(JSON.stringify(m.blocks.at(-1))).toContain(`${3000 - listed} older documents not shown.`);
    expect(sections(m)[1].startsWith('• *Analysis 0 ')).toBe(true);
  });
});
