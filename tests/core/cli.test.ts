// End to end: `node bin/briefbot.js` as a user runs it, on the real corpus, with a temp DATA_DIR.
// Shapes follow DESIGN.md "The briefbot command" and README "Using it from the terminal".
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, test } from 'vitest';
import type { Answer } from '../../src/types.js';
import { CORPUS, CORPUS_DOC, CORPUS_TITLE, DATED_DOCS, datedCorpus, expectAbstention, expectNoStack, expectVerifiedAnswer, jsonLines, runBriefbot, tempDir } from './helpers.js';

const data = tempDir('cli');
const engine = (args: string[], input?: string) => runBriefbot([...args, '--corpus', CORPUS, '--data', data], { input });
const OMAN = 'Why is Oman trusted as a mediator?';
/** The shipped analysis's front matter `source`, and its `published` date as every rendering shows it. */
const CORPUS_OUTLET = 'Original analysis inspired by Muhanad Seloom from Al Jazeera';
const CORPUS_DAY = '9 Feb 2026';

beforeAll(async () => {
  // Builds the index the later commands read from the cache.
  const r = await engine(['ingest']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 120_000);

describe('ingest', () => {
  test('prints documents, chunks and time', async () => {
    const r = await engine(['ingest']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 document\(s\), 22 chunks, \d+ ms \(index in .+\)\n$/);
    expect(r.stderr).toBe('');
  });
});

describe('ask', () => {
  test('--json prints one Answer whose quotes are the file text at their offsets', async () => {
    const r = await engine(['ask', '--json', OMAN]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(1);
    const a = lines[0] as unknown as Answer;
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['question', 'abstained', 'coverage', 'missing', 'conflict', 'answer', 'quotes', 'ms', 'mode', 'droppedQuotes']));
    expect(a.question).toBe(OMAN);
    expect(a.mode).toBe('offline');
    expectVerifiedAnswer(a);
    for (const q of a.quotes) {
      expect(Object.keys(q).sort()).toEqual(['document', 'end', 'published', 'section', 'source', 'start', 'text']);
      // Stamped from the document's front matter.
      expect(q).toMatchObject({ document: CORPUS_DOC, source: CORPUS_OUTLET, published: '2026-02-09' });
    }
  });

  test('human output: the lead, each quote in curly quotes with outlet, date and section, the time', async () => {
    const r = await engine(['ask', OMAN]);
    expect(r.code).toBe(0);
    const [lead] = r.stdout.split('\n');
    expect(lead).toBe(`From “${CORPUS_TITLE}” (Oman’s Indispensable but Insufficient Mediation):`);
    expect(r.stdout).toMatch(/\n“[^\n]*trusted by Iran’s leadership[^\n]*”\n {2}— Original analysis inspired by Muhanad Seloom from Al Jazeera, 9 Feb 2026 · Oman’s Indispensable but Insufficient Mediation\n/);
    expect(r.stdout).toMatch(/\n\(\d+ ms\)\n$/);
  });

  test('an abstention is an answer, exit 0', async () => {
    const r = await engine(['ask', '--json', "What is Japan's view of the talks?"]);
    expect(r.code).toBe(0);
    expectAbstention(JSON.parse(r.stdout));
  });

  test('--jsonl: one Answer a line, ids passed through, a bad line answered with an error object', async () => {
    const input = [
      JSON.stringify({ id: 1, question: OMAN }),
      JSON.stringify({ id: 'b-2', question: 'What is the capital of France?' }),
      'this is not JSON {',
      '',
      JSON.stringify({ id: { nested: [1, 2] }, question: '' }),
      JSON.stringify({ id: 4, question: 42 }),
      JSON.stringify({ question: 'What tariff did Trump impose?' }),
    ].join('\n');
    const r = await engine(['ask', '--jsonl'], input);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(6); // the blank line is skipped
    expect(out[0].id).toBe(1);
    expectVerifiedAnswer(out[0] as unknown as Answer);
    expect(out[1].id).toBe('b-2');
    expectAbstention(out[1] as unknown as Answer);
    expect(out[2]).toEqual({ error: 'invalid JSON line', line: 'this is not JSON {' });
    expect(out[3]).toMatchObject({ id: { nested: [1, 2] }, error: 'empty', abstained: true, quotes: [] });
    expect(out[4]).toMatchObject({ id: 4, error: 'empty' });
    expect(out[5].id).toBeUndefined();
    expectVerifiedAnswer(out[5] as unknown as Answer);
  });

  // Regression test (found by the test suite, fixed since):
  // that is valid JSON but `null` throws "Cannot read properties of null", the command exits 1 with
  // "briefbot: unexpected error" and every later line goes unanswered. It should be answered like
  // an invalid line (an error object) and the stream should go on.
  it('--jsonl: a `null` line does not stop the stream', async () => {
    const input = [JSON.stringify({ id: 1, question: OMAN }), 'null', JSON.stringify({ id: 3, question: OMAN })].join('\n');
    const r = await engine(['ask', '--jsonl'], input);
    expect(r.code).toBe(0);
    const out = jsonLines(r.stdout);
    expect(out).toHaveLength(3);
    expect(out[2].id).toBe(3);
  });
});

describe('rank', () => {
  test('one {id, scores} line per item, scores in candidate order', async () => {
    const items = [
      { id: 'q1', question: 'What is the capital of France?', candidates: ['Bananas are rich in potassium.', 'Paris is the capital and most populous city of France.', 'France is a country in Western Europe.'] },
      { id: 2, question: 'Who wrote Pride and Prejudice?', candidates: ['Pride and Prejudice is an 1813 novel of manners written by Jane Austen.', 'It has been adapted for film many times.'] },
    ];
    const r = await engine(['rank'], items.map((i) => JSON.stringify(i)).join('\n') + '\n');
    expect(r.code).toBe(0);
    const out = jsonLines(r.stdout) as { id: unknown; scores: number[] }[];
    expect(out.map((o) => o.id)).toEqual(['q1', 2]);
    expect(Object.keys(out[0]).sort()).toEqual(['id', 'scores']);
    expect(out[0].scores).toHaveLength(3);
    expect(out[0].scores.indexOf(Math.max(...out[0].scores))).toBe(1);
    expect(out[1].scores[0]).toBeGreaterThan(out[1].scores[1]);
  });

  test('a line that is not an item: exit 2 and one line naming the line', async () => {
    const r = await engine(['rank'], `${JSON.stringify({ id: 1, question: 'q', candidates: ['a'] })}\n{"id":2,"question":"q"}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('briefbot: rank: line 2 needs "question" (string) and "candidates" (array of strings)\n');
  });
});

describe('chat with piped stdin', () => {
  test('answers each line, keeps the thread for follow-ups, handles commands, exits 0 at end of input', async () => {
    const input = ['What happened on February 3?', 'What did they shoot down?', '', '/new', 'What is the capital of France?', '/topics', '/sources'].join('\n');
    const r = await engine(['chat'], input);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const answers = r.stdout.split('\n').filter((l) => l.startsWith('From “') || l.startsWith("The sources don't cover"));
    expect(answers).toHaveLength(3);
    expect(answers[0]).toBe(`From “${CORPUS_TITLE}” (Military Posturing Overshadows Diplomatic Engagement):`);
    // The follow-up is answered from the thread (alone it abstains; see answer.test.ts).
    expect(answers[1]).toBe(answers[0]);
    expect(r.stdout.match(/shot down an Iranian Shahed-139 drone/g)).toHaveLength(2);
    expect(answers[2]).toMatch(/never mention “France”/);
    expect(r.stdout).toContain('Starting a new conversation.');
    expect(r.stdout).toMatch(/ {2}trust {7}Trust deficit: /);
    expect(r.stdout).toContain(`${CORPUS_DOC}  ${CORPUS_TITLE} — ${CORPUS_OUTLET}, ${CORPUS_DAY}`);
    // Piped input gets no prompt or banner.
    expect(r.stdout).not.toContain('> ');
  });
});

describe('on analyses from several outlets and dates', () => {
  const { gulf, enrichment, notes } = DATED_DOCS;
  const corpus = datedCorpus();
  const datedData = tempDir('cli-dated');
  const dated = (args: string[]) => runBriefbot([...args, '--corpus', corpus, '--data', datedData]);

  test('sources: one line per document, newest first (undated last): id, title, outlet, date', async () => {
    const r = await dated(['sources']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `${gulf.id}  ${gulf.title} — Tidewater Gulf Monitor, 10 Mar 2026`,
        `${enrichment.id}  ${enrichment.title} — Caspian Policy Review, 20 Feb 2026`,
        `${notes.id}  ${notes.title} — outlet unknown, undated`,
        '',
      ].join('\n'),
    );
  });

  test('sources --json: the array, newest first, with the front matter outlet and ISO date', async () => {
    const r = await dated(['sources', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { id: gulf.id, title: gulf.title, ...gulf.front, sections: [gulf.section] },
      { id: enrichment.id, title: enrichment.title, ...enrichment.front, sections: [enrichment.section] },
      { id: notes.id, title: notes.title, ...notes.front, sections: [notes.section] },
    ]);
  });

  test.each(Object.values(DATED_DOCS))('ask: a quote from $id carries its front matter, in JSON and in the terminal text', async (doc) => {
    const json = await dated(['ask', '--json', doc.question]);
    expect(json.code).toBe(0);
    const a = JSON.parse(json.stdout) as Answer;
    expect(a.quotes.length).toBeGreaterThan(0);
    expect(a.quotes[0]).toMatchObject({ document: doc.id, section: doc.section, ...doc.front });
    const text = await dated(['ask', doc.question]);
    // The outlet (the title where there is none), the date as "D Mon YYYY" (left out where there is none), the section.
    expect(text.stdout).toContain(`”\n  — ${doc.shown} · ${doc.section}\n`);
  });
});

describe('usage errors', () => {
  test('an unknown command: exit 2, one line on stderr', async () => {
    const r = await runBriefbot(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('briefbot: unknown command "frobnicate"; try briefbot --help\n');
  });

  test('no command prints the usage and exits 2; --help exits 0', async () => {
    const none = await runBriefbot([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/^briefbot: .*\n\nusage: briefbot <command>/);
    const help = await runBriefbot(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(none.stdout);
    for (const cmd of ['ask "QUESTION"', 'ask --jsonl', 'rank', 'ingest', 'chat', 'sources']) expect(help.stdout).toContain(cmd);
  });

  test('a flag missing its value: exit 2, one line', async () => {
    const r = await runBriefbot(['ask', 'hello', '--corpus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('briefbot: --corpus needs a value\n');
    expectNoStack(r.stderr);
  });
});

describe('platform settings', () => {
  /** `briefbot ARGS` in a folder whose .env holds `lines` (the child's own environment has no platform variables). */
  const withEnv = (lines: string[], args: string[]) => {
    const cwd = tempDir('platform-env');
    writeFileSync(path.join(cwd, '.env'), `${lines.join('\n')}\n`);
    return runBriefbot([...args, '--corpus', CORPUS, '--data', data], { cwd });
  };

  test.each([
    [['SLACK_BOT_TOKEN=xoxb-0000-test'], 'Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) besides SLACK_BOT_TOKEN'],
    [['SLACK_SIGNING_SECRET=secret'], 'SLACK_BOT_TOKEN is missing (SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set)'],
    [['DISCORD_TOKEN=token'], 'Discord is half-configured: DISCORD_APPLICATION_ID missing'],
    [['DISCORD_GUILD_ID=1'], 'Discord is half-configured: DISCORD_TOKEN and DISCORD_APPLICATION_ID missing'],
    [['SLACK_BOT_TOKEN=xoxb-0000-test', 'SLACK_APP_TOKEN=xapp-1-test', 'SLACK_PORT=eighty'], 'SLACK_PORT must be a whole number, got "eighty"'],
  ])('start with %j: one line naming what is missing, exit 2, nothing started', async (lines, message) => {
    const r = await withEnv(lines, ['start']);
    expect(r.stderr).toBe(`briefbot: ${message}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  test('discord register without Discord settings: one line saying which are needed', async () => {
    const r = await withEnv([], ['discord', 'register']);
    expect(r.stderr).toBe('briefbot: discord register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID\n');
    expect(r.code).toBe(2);
  });
});
