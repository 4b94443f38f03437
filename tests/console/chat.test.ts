// The console chat prints each coverage level in plain words after the answer text, through the
// same piped-stdin loop `briefbot chat` runs.
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { renderConsoleAnswer, runConsoleChat } from '../../adapters/console/chat.js';
import type { BriefingService } from '../../src/service.js';
import type { Answer } from '../../src/types.js';

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
