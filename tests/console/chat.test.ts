// The console chat prints each coverage level in plain words after the answer text, through the
// same piped-stdin loop `briefbot chat` runs.
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { renderConsoleAnswer, runConsoleChat } from '../../adapters/console/chat.js';
import { Briefing } from '../../src/briefing.js';
import type { BriefingService } from '../../src/service.js';
import type { Answer, TopicBriefing } from '../../src/types.js';
import { DATED_DOCS, datedCorpus, tempDir } from '../core/helpers.js';

const TEXT = 'From “Missile review”, section Missiles:\n\n“The Khorramshahr-4 was shown at a parade.”\n  — Missile review, Missiles';

function answer(over: Partial<Answer> = {}): Answer {
  const coverage = over.abstained ? 'none' : 'answered';
  return { question: 'q', abstained: false, coverage, missing: [], answer: TEXT, lead: 'From “Missile review”, section Missiles:', quotes: [], ms: 1, mode: 'offline', droppedQuotes: 0, ...over };
}

describe('console coverage', () => {
  test('partial: the note names the missing detail after the answer', () => {
    expect(renderConsoleAnswer(answer({ coverage: 'partial', missing: ['range'] }))).toBe(`\n${TEXT}\n\n(Partly covered. Not in the sources: range.)\n`);
    expect(renderConsoleAnswer(answer({ coverage: 'partial', missing: ['range', 'payload'] }))).toContain('(Partly covered. Not in the sources: range and payload.)');
  });

  test('related: the note says these are the closest passages', () => {
    expect(renderConsoleAnswer(answer({ coverage: 'related' }))).toBe(`\n${TEXT}\n\n(Closest passages: the sources may not answer this exactly.)\n`);
  });

  test('answered, an answer without a coverage field, and an abstention print exactly the answer text', () => {
    const legacy = answer();
    delete (legacy as Partial<Answer>).coverage;
    delete (legacy as Partial<Answer>).missing;
    const none = answer({ abstained: true, coverage: 'none', missing: ['Paris'], answer: "The sources don't cover that." });
    expect(renderConsoleAnswer(answer({ coverage: 'answered' }))).toBe(`\n${TEXT}\n`);
    expect(renderConsoleAnswer(legacy)).toBe(`\n${TEXT}\n`);
    expect(renderConsoleAnswer(none)).toBe("\nThe sources don't cover that.\n");
  });

  test('piped questions get the note in the chat output', async () => {
    const byQuestion: Record<string, Answer> = {
      partial: answer({ coverage: 'partial', missing: ['range'] }),
      related: answer({ coverage: 'related' }),
      answered: answer(),
    };
    const briefing = { ask: async (q: string) => byQuestion[q], sources: () => [] } as unknown as BriefingService;
    const out: string[] = [];
    await runConsoleChat(briefing, { input: Readable.from(['partial\nrelated\nanswered\n']), output: (t) => void out.push(t), interactive: false });
    expect(out).toEqual([
      `\n${TEXT}\n\n(Partly covered. Not in the sources: range.)\n`,
      `\n${TEXT}\n\n(Closest passages: the sources may not answer this exactly.)\n`,
      `\n${TEXT}\n`,
    ]);
  });
});

describe('where and when, in the console', () => {
  const chat = async (briefing: BriefingService, lines: string[]) => {
    const out: string[] = [];
    await runConsoleChat(briefing, { input: Readable.from([`${lines.join('\n')}\n`]), output: (t) => void out.push(t), interactive: false });
    return out.join('');
  };

  test('answers and /sources on analyses from several outlets: outlet and date under each quote, sources newest first', async () => {
    const { gulf, enrichment, notes } = DATED_DOCS;
    const briefing = await Briefing.open({ corpusDir: datedCorpus(), dataDir: tempDir('console-dated') });
    const out = await chat(briefing, [gulf.question, notes.question, '/sources']);
    expect(out).toContain(`”\n  — Tidewater Gulf Monitor, 10 Mar 2026 · ${gulf.section}\n`);
    // No outlet: the title stands in; no date: none is shown.
    expect(out).toContain(`”\n  — Shipping Notes · ${notes.section}\n`);
    expect(out).toContain(
      [
        `  ${gulf.title} — Tidewater Gulf Monitor, 10 Mar 2026 (${gulf.id})`,
        `  ${enrichment.title} — Caspian Policy Review, 20 Feb 2026 (${enrichment.id})`,
        `  ${notes.title} — outlet unknown, undated (${notes.id})`,
      ].join('\n'),
    );
  }, 120_000);

  test('/topic shows each quote with its outlet, date and section', async () => {
    const topic: TopicBriefing = {
      topic: { id: 'gulf', label: 'Gulf', description: '' },
      answer: 'From “Gulf Capitals Split”:',
      quotes: [{ text: 'Riyadh and Abu Dhabi disagreed.', document: 'g.md', section: 'Divisions', start: 0, end: 31, source: 'Tidewater Gulf Monitor', published: '2026-03-10' }],
      titles: { 'g.md': 'Gulf Capitals Split' },
    };
    const briefing = { topic: (id: string) => (id === 'gulf' ? topic : undefined), sources: () => [] } as unknown as BriefingService;
    expect(await chat(briefing, ['/topic gulf'])).toBe('\nFrom “Gulf Capitals Split”:\n\n“Riyadh and Abu Dhabi disagreed.”\n  — Tidewater Gulf Monitor, 10 Mar 2026 · Divisions\n');
  });
});
