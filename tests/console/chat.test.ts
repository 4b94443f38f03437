// The console chat prints each coverage level in plain words after the answer text, through the
// same piped-stdin loop `briefbot chat` runs.
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runConsoleChat } from '../../adapters/console/commands.js';
import { consoleAnswer } from '../../adapters/console/layout.js';
import { Briefing } from '../../src/briefing.js';
import type { BriefingService } from '../../src/service.js';
import type { Answer, TopicBriefing } from '../../src/types.js';
import { DATED_DOCS, datedCorpus, tempDir } from '../core/helpers.js';

const QUOTE = { text: 'The Khorramshahr-4 was shown at a parade.', document: 'm.md', section: 'Missiles', start: 0, end: 41, source: '', published: '' };
const TEXT = 'From “Missile review” (Missiles):\n\n“The Khorramshahr-4 was shown at a parade.”\n  — Missile review · Missiles';

function answer(over: Partial<Answer> = {}): Answer {
  const coverage = over.abstained ? 'none' : 'answered';
  return { question: 'q', abstained: false, coverage, conflict: false, concurring: 0, missing: [], quotes: [QUOTE], ms: 1, mode: 'offline', droppedQuotes: 0, titles: { 'm.md': 'Missile review' }, ...over };
}

const partialLead = (missing: string) => TEXT.replace('From', `The sources touch on this but say nothing about ${missing}. From`);

describe('console coverage', () => {
  test('partial: the lead and the note name the missing detail', () => {
    expect(consoleAnswer(answer({ coverage: 'partial', missing: ['range'] }))).toBe(`${partialLead('“range”')}\n\n(Partly covered. Not in the sources: range.)`);
    expect(consoleAnswer(answer({ coverage: 'partial', missing: ['range', 'payload'] }))).toContain('(Partly covered. Not in the sources: range and payload.)');
  });

  test('related: the note says these are the closest passages', () => {
    expect(consoleAnswer(answer({ coverage: 'related' }))).toBe(`${TEXT.replace('From', 'These are the closest passages; they may not answer the question exactly. From')}\n\n(Closest passages: the sources may not answer this exactly.)`);
  });

  test('answered, an answer without a coverage field, and an abstention print no note', () => {
    const legacy = answer();
    delete (legacy as Partial<Answer>).coverage;
    delete (legacy as Partial<Answer>).missing;
    const none = answer({ abstained: true, coverage: 'none', reason: 'unknown_names', missing: ['Paris'], quotes: [] });
    expect(consoleAnswer(answer({ coverage: 'answered' }))).toBe(TEXT);
    expect(consoleAnswer(legacy)).toBe(TEXT);
    expect(consoleAnswer(none)).toBe("The sources don't cover that. They never mention “Paris”. /topics lists the topics.");
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
    expect(out).toEqual(Object.values(byQuestion).map((a) => `\n${consoleAnswer(a)}\n`));
    expect(out[0]).toContain('(Partly covered. Not in the sources: range.)');
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
        `${gulf.id}  ${gulf.title} — Tidewater Gulf Monitor, 10 Mar 2026`,
        `${enrichment.id}  ${enrichment.title} — Caspian Policy Review, 20 Feb 2026`,
        `${notes.id}  ${notes.title} — outlet unknown, undated`,
      ].join('\n'),
    );
  }, 120_000);

  test('/topic shows each quote with its outlet, date and section', async () => {
    const topic: TopicBriefing = {
      topic: { id: 'gulf', label: 'Gulf', description: '' },
      quotes: [{ text: 'Riyadh and Abu Dhabi disagreed.', document: 'g.md', section: 'Divisions', start: 0, end: 31, source: 'Tidewater Gulf Monitor', published: '2026-03-10' }],
      titles: { 'g.md': 'Gulf Capitals Split' },
    };
    const briefing = { topic: (id: string) => (id === 'gulf' ? topic : undefined), sources: () => [] } as unknown as BriefingService;
    expect(await chat(briefing, ['/topic gulf'])).toBe('\nFrom “Gulf Capitals Split” (Divisions):\n\n“Riyadh and Abu Dhabi disagreed.”\n  — Tidewater Gulf Monitor, 10 Mar 2026 · Divisions\n');
  });
});
