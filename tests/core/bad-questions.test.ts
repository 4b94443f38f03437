// Bad questions get a clear message, never an exception and never a made-up answer: through
// Briefing.ask (Answer.error set for empty / too_long / no_words) and through `briefbot ask`
// (exit status 2 for an unusable question, as the README documents).
import { beforeAll, describe, expect, it, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import { CORPUS, expectAbstention, expectNoStack, expectVerifiedAnswer, runBriefbot, tempDir, leadOf, textOf } from './helpers.js';

const LONG = `Why is Oman trusted as a mediator? ${'Please explain in detail. '.repeat(1000)}`.slice(0, 20_000);
const EMOJI = '🤔🤔 🙂❓';
const JAPANESE = '日本はこの交渉をどう見ていますか？';
const ARABIC = 'ما هو موقف اليابان من المحادثات؟';

let briefing: Briefing;
beforeAll(async () => {
  briefing = await Briefing.open({ corpusDir: CORPUS, dataDir: tempDir('badq') });
});

/** An unusable question: refused with a message, no quotes, nothing pretending to be an answer. */
function expectRefusal(a: Awaited<ReturnType<Briefing['ask']>>, error: string, message: RegExp): void {
  expect(a.error).toBe(error);
  expect(a.abstained).toBe(true);
  expect(a.quotes).toEqual([]);
  expect(textOf(a)).toMatch(message);
  expect(leadOf(a)).toBe(textOf(a));
}

describe('Briefing.ask', () => {
  test.each([
    ['empty', ''],
    ['whitespace', ' \n\t  \r\n '],
  ])('%s: error "empty" with an example of a good question', async (_name, q) => {
    expectRefusal(await briefing.ask(q), 'empty', /Please ask a question about the US–Iran talks, for example: “.+\?”/);
  });

  test('20,000 characters: error "too_long" naming the length and the limit', async () => {
    expect(LONG).toHaveLength(20_000);
    const a = await briefing.ask(LONG);
    expectRefusal(a, 'too_long', /20,000 characters long; please keep it under 2,000/);
    expect(a.question.length).toBeLessThanOrEqual(200); // the echo of the question is not 20,000 chars
  });

  test('the limit itself is accepted; one more character is refused', async () => {
    const base = 'What happened on February 3? ';
    const atLimit = base.repeat(Math.ceil(MAX_QUESTION_CHARS / base.length)).slice(0, MAX_QUESTION_CHARS - 1) + '?';
    expect(atLimit).toHaveLength(MAX_QUESTION_CHARS);
    expect((await briefing.ask(atLimit)).error).toBeUndefined();
    expect((await briefing.ask(`${atLimit}x`)).error).toBe('too_long');
  });

  test.each([
    ['only emoji', EMOJI],
    ['only punctuation', '?!? … —'],
  ])('%s: error "no_words"', async (_name, q) => {
    expectRefusal(await briefing.ask(q), 'no_words', /could not find any words in that question/);
  });

  test.each([
    ['Japanese', JAPANESE],
    ['Arabic', ARABIC],
    ['German', 'Was hält Deutschland von den Gesprächen in Maskat?'],
  ])('%s: abstains, saying the sources do not cover it', async (_name, q) => {
    const a = await briefing.ask(q);
    expectAbstention(a);
    expect(a.error).toBeUndefined();
  });

  test.each(['What is it?', 'the the the'])('only stop words (%s): abstains, no error', async (q) => {
    const a = await briefing.ask(q);
    expectAbstention(a);
    expect(a.error).toBeUndefined();
  });

  test('a non-string question or junk history never throws', async () => {
    expectRefusal(await briefing.ask(undefined as unknown as string), 'empty', /Please ask/);
    const a = await briefing.ask('What happened on February 3?', { history: ['', '   ', 42 as unknown as string] });
    expectVerifiedAnswer(a);
    // A 50,000-character earlier question is cut, not an error (whether it still answers is a
    // follow-up matter: see answer.test.ts "a change of subject").
    const b = await briefing.ask('What happened on February 3?', { history: ['x'.repeat(50_000)] });
    expect(b.error).toBeUndefined();
  });

  test('emoji around a real question do not stop it being answered', async () => {
    expectVerifiedAnswer(await briefing.ask('🤔 What happened on February 3? 🚢'));
  });
});

describe('briefbot ask', () => {
  const data = tempDir('badq-cli');
  const ask = (...args: string[]) => runBriefbot(['ask', '--corpus', CORPUS, '--data', data, ...args]);

  test.each([
    ['no question', []],
    ['an empty question', ['']],
    ['a whitespace question', ['   ']],
  ])('%s: exit 2, one line on stderr saying how to ask', async (_name, args) => {
    const r = await ask(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^briefbot: ask needs a question, e\.g\. briefbot ask ".+"[^\n]*\n$/);
    expectNoStack(r.stderr);
  });

  test.each([
    ['only emoji', EMOJI, /could not find any words/],
    ['20,000 characters', LONG, /20,000 characters long; please keep it under 2,000/],
  ])('%s: exit 2 and the clear message', async (_name, q, message) => {
    const r = await ask(q);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
    expectNoStack(r.stderr);
  });

  test('--json: the refusal is an Answer with its error code', async () => {
    const r = await ask('--json', EMOJI);
    expect(r.code).toBe(2);
    const a = JSON.parse(r.stdout);
    expect(a).toMatchObject({ error: 'no_words', abstained: true, quotes: [] });
  });

  test('another language: exit 0 with an abstention, not an error', async () => {
    const r = await ask('--json', JAPANESE);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.abstained).toBe(true);
    expect(a.quotes).toEqual([]);
    expect(textOf(a)).toMatch(/sources don't cover/);
  });

  // DESIGN (lead to decide): DESIGN.md "Expected errors print one clear line to stderr and exit
  // non-zero". For an unusable question src/cli.ts `ask` exits 2 (good) but prints the message on
  // stdout, followed by a timing line, and nothing on stderr; a script checking stderr sees nothing.
  it('an unusable question: the message is one line on stderr', async () => {
    const r = await ask(EMOJI);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^briefbot: .*could not find any words[^\n]*\n$/);
  });
});
