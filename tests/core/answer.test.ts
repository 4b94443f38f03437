// Answering on the real corpus through the real Briefing: verified quotes with a lead naming the
// title and sections, abstention when the sources don't cover a question, topic questions, follow-ups
// and the aliases file.
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, test } from 'vitest';
import { ALIAS_TERM_WEIGHT, analyseQuery } from '../../src/answer/query.js';
import { Briefing } from '../../src/briefing.js';
import { loadAliases } from '../../src/corpus/aliases.js';
import { stemWord } from '../../src/text/tokens.js';
import { CORPUS, CORPUS_DOC, REAL_TEXT, copyCorpus, expectAbstention, expectVerifiedAnswer, readCorpusTexts, tempDir, leadOf, textOf } from './helpers.js';

const MILITARY = 'Military Posturing Overshadows Diplomatic Engagement';
const TRUST = 'The Trust Deficit at the Heart of Negotiations';
const SCOPE = 'Competing Agendas and the Scope Impasse';
const OMAN = 'Oman’s Indispensable but Insufficient Mediation';
const SANCTIONS = 'Sanctions Timing Reveals Washington’s Dual Strategy';

let briefing: Briefing;
beforeAll(async () => {
  briefing = await Briefing.open({ corpusDir: CORPUS, dataDir: tempDir('answer') });
});

describe('in-scope questions get verified quotes', () => {
  test.each([
    ['Why is Oman trusted as a mediator?', 'trusted by Iran’s leadership', OMAN],
    ['What happened on February 3?', 'shot down an Iranian Shahed-139 drone', MILITARY],
    ['Which missile did Iran display before the talks?', 'Khorramshahr-4 ballistic missile', MILITARY],
    ['Who led the American delegation?', 'Special Envoy Steve Witkoff and Jared Kushner led the team', MILITARY],
    ['What tariff did Trump impose?', '25 percent tariffs on imports from any country purchasing Iranian goods', SANCTIONS],
    // Curly quotes in the source come back exactly as written.
    ['Why did Iran object to Admiral Cooper being at the table?', 'Cooper’s attendance “endangered” the process', MILITARY],
    ['When did Iran exceed the JCPOA enrichment limits?', 'Beginning in 2019, Iran systematically exceeded JCPOA enrichment limits', TRUST],
  ])('%s', async (question, expected, section) => {
    const a = await briefing.ask(question);
    expectVerifiedAnswer(a);
    const hit = a.quotes.find((q) => q.text.includes(expected));
    expect(hit, textOf(a)).toBeDefined();
    expect(hit!.section).toBe(section);
    expect(leadOf(a)).toMatch(/^From “Muscat Talks: A Fragile Opening in US–Iran Nuclear Diplomacy” \(.+\):$/);
    expect(a.mode).toBe('offline');
    expect(a.droppedQuotes).toBe(0);
    expect(a.titles).toEqual({ [CORPUS_DOC]: 'Muscat Talks: A Fragile Opening in US–Iran Nuclear Diplomacy' });
  });

  test('em dashes inside a quote survive verbatim', async () => {
    const a = await briefing.ask('What tariff did Trump impose?');
    const q = a.quotes.find((x) => x.text.includes('25 percent'))!;
    expect(q.text).toContain('Iranian goods—a sweeping secondary sanctions measure');
    expect(REAL_TEXT.slice(q.start, q.end)).toBe(q.text);
  });

  test('the same question gives the same answer', async () => {
    const a = await briefing.ask('Why is Oman trusted as a mediator?');
    const b = await briefing.ask('Why is Oman trusted as a mediator?');
    expect(b.quotes).toEqual(a.quotes);
    expect(textOf(b)).toBe(textOf(a));
  });
});

describe('out-of-scope questions abstain', () => {
  test.each([
    ["What is Japan's view of the talks?", 'Japan'],
    ['How does Japan see the negotiations between Washington and Tehran?', 'Japan'],
    ['What is the capital of France?', 'France'],
  ])('%s (a name no source mentions)', async (question, name) => {
    const a = await briefing.ask(question);
    expectAbstention(a);
    expect(a.error).toBeUndefined();
    expect(textOf(a)).toContain(`never mention “${name}”`);
    // The abstention suggests what the sources do cover.
    expect(textOf(a)).toMatch(/They cover: .*Trust deficit/);
  });

  test.each(["What's a good recipe for banana bread?", 'Write me a poem about cats'])('%s (nothing relevant enough)', async (question) => {
    const a = await briefing.ask(question);
    expectAbstention(a);
    expect(a.coverage).toBe('none');
  });
});

describe('topic questions quote the matching section', () => {
  test.each([
    ['Explain the trust deficit', TRUST],
    ["Oman's role?", OMAN],
    ['Tell me about the scope dispute', SCOPE],
  ])('%s', async (question, section) => {
    const a = await briefing.ask(question);
    expectVerifiedAnswer(a);
    expect(a.quotes.length).toBeGreaterThanOrEqual(2);
    expect(a.quotes.every((q) => q.section === section)).toBe(true);
    expect(leadOf(a)).toContain(`(${section})`);
    // In reading order, as the section makes its case.
    const starts = a.quotes.map((q) => q.start);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
  });
});

describe('follow-ups', () => {
  test('the earlier question of the thread gives a pronoun its meaning', async () => {
    // Alone, "they" could be anyone: the drone passage is only the closest one.
    const alone = await briefing.ask('What did they shoot down?');
    expect(alone.coverage).not.toBe('answered');
    const followUp = await briefing.ask('What did they shoot down?', { history: ['What happened on February 3?'] });
    expectVerifiedAnswer(followUp);
    expect(followUp.quotes[0].text).toContain('Shahed-139 drone');
  });

  test('a follow-up narrows to the thread’s subject', async () => {
    const a = await briefing.ask('And what about Turkey?', { history: ['Why is Oman trusted as a mediator?'] });
    expectVerifiedAnswer(a);
    expect(a.quotes[0].section).toBe(OMAN);
  });

  // A thread that changes subject is answered on the new subject's terms; a real follow-up
  // ("And what about Turkey?") is scored both with the earlier question and on its own.
  it.each([
    ['Why is Oman trusted as a mediator?', 'What happened on February 3?', 'Shahed-139 drone'],
    ['What tariff did Trump impose?', 'Which missile did Iran display before the talks?', 'Khorramshahr-4'],
    ['hello', 'Who led the American delegation?', 'Steve Witkoff and Jared Kushner led the team'],
    ['Why is Oman trusted as a mediator?', 'And what about Turkey?', 'Turkey'],
  ])('in a thread, %s -> %s is answered on its own terms', async (earlier, question, expected) => {
    const alone = await briefing.ask(question);
    expect(alone.quotes[0].text).toContain(expected);
    const inThread = await briefing.ask(question, { history: [earlier] });
    expectVerifiedAnswer(inThread);
    expect(inThread.quotes[0].text).toContain(expected);
  });
});

describe('the aliases file', () => {
  test('corpus/aliases.txt is read: "nuclear deal" also searches for "JCPOA"', () => {
    const aliases = loadAliases(CORPUS);
    const q = analyseQuery('What did the nuclear deal limit?', aliases);
    expect(q.weighted.get(stemWord('jcpoa'))).toBe(ALIAS_TERM_WEIGHT);
    const none = analyseQuery('What did the nuclear deal limit?', []);
    expect(none.weighted.has(stemWord('jcpoa'))).toBe(false);
  });

  test('"nuclear deal" phrasing finds the Joint Comprehensive Plan of Action passage', async () => {
    const a = await briefing.ask('Who withdrew from the nuclear deal?');
    expectVerifiedAnswer(a);
    expect(a.quotes[0].text).toContain('withdrawal from the Joint Comprehensive Plan of Action');
  });

  test('editing aliases.txt changes retrieval (temp copy of the corpus)', async () => {
    const question = 'Why was the Pentagon at the table?';
    const before = await briefing.ask(question);
    expectAbstention(before);
    expect(textOf(before)).toContain('never mention “Pentagon”');

    const dir = copyCorpus();
    appendFileSync(path.join(dir, 'aliases.txt'), '\nPentagon, Central Command, CENTCOM\n');
    const edited = await Briefing.open({ corpusDir: dir, dataDir: tempDir('aliases') });
    const after = await edited.ask(question);
    expectVerifiedAnswer(after, readCorpusTexts(dir));
    expect(after.quotes.some((q) => q.text.includes('head of US Central Command'))).toBe(true);
  });

  test('a corpus without an aliases file still answers', async () => {
    const dir = copyCorpus();
    rmSync(path.join(dir, 'aliases.txt'));
    const plain = await Briefing.open({ corpusDir: dir, dataDir: tempDir('no-aliases') });
    expect(plain.answerer.aliases).toEqual([]);
    expectVerifiedAnswer(await plain.ask('What happened on February 3?'), readCorpusTexts(dir));
  });
});
