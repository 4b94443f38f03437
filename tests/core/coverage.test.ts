// Graded coverage on the real corpus (issue R2.1): answered, partial (the subject without the asked
// detail), related (the closest passages) and none; casual text, paraphrase and briefing requests.
import { beforeAll, describe, expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { CORPUS, expectVerifiedAnswer, tempDir, leadOf } from './helpers.js';

let briefing: Briefing;
beforeAll(async () => {
  briefing = await Briefing.open({ corpusDir: CORPUS, dataDir: tempDir('coverage') });
});

const quoted = (a: { quotes: { text: string }[] }) => a.quotes.map((q) => q.text).join('\n');

describe('answered: casual text and paraphrase find the passage', () => {
  test.each([
    ['wat did rubio say b4 the mtg', '“all those issues”'],
    ['whos this cooper guy n why was he at the talks in full uniform lol', 'Admiral Brad Cooper'],
    ['whats the deal w/ the 25% tarrif thing trump signed', '25 percent tariffs'],
    ['Did the Muscat discus\u200Bsions stick to the nuclear issue?? 🙏', 'hewed closely to nuclear matters'],
    // "face to face" finds "face-to-face"; "Iran's foreign minister" is Araghchi (aliases file).
    ["Which outlet said Witkoff sat down face to face with Iran's foreign minister?", 'According to Axios reporting'],
    ['What kind of Iranian UAV got downed near the US carrier?', 'Shahed-139 drone'],
    // The number stands before what it counts.
    ['how many gunboats went after the tanker', 'six Iranian gunboats'],
  ])('%s', async (question, phrase) => {
    const a = await briefing.ask(question);
    expectVerifiedAnswer(a);
    expect(a.coverage === 'answered' || a.coverage === 'related').toBe(true);
    expect(quoted(a)).toContain(phrase);
  });

  test('a lone w is "with", and FM is a foreign minister (aliases file): neither is a missing name', async () => {
    for (const [question, phrase] of [
      ['so wat happened w the stena imperative in the strait', 'Stena Imperative'],
      ['what did the omani fm call the talks', 'Foreign Minister Badr al-Busaidi'],
    ]) {
      const a = await briefing.ask(question);
      expectVerifiedAnswer(a);
      expect(a.missing, question).toEqual([]);
      expect(quoted(a), question).toContain(phrase);
    }
  });

  test('an unknown chat word is never taken for a missing name', async () => {
    const a = await briefing.ask('lol so did the stena imperative actually cut its engines or wat');
    expect(a.abstained).toBe(false);
    expect(a.missing).toEqual([]);
  });
});

describe('partial: the sources mention the subject but not the asked detail', () => {
  test.each([
    ["What's the range of the Khorramshahr-4?", 'range', 'Khorramshahr-4'],
    ["what's the endurance / payload on the Shahed-139?", 'payload', 'Shahed-139'],
    ['How many US troops are deployed across the Middle East right now?', 'troops', 'armada'],
    ['Who is the prime minister of Israel?', 'prime minister', 'US-Israeli'],
  ])('%s', async (question, detail, inQuote) => {
    const a = await briefing.ask(question);
    expect(a.coverage).toBe('partial');
    expect(a.abstained).toBe(false);
    expect(a.missing.join(' ')).toContain(detail);
    expect(leadOf(a)).toMatch(/^The sources mention .* but (don't give|say nothing about) /);
    // The quotes show what the sources do say about the subject.
    expect(quoted(a)).toContain(inQuote);
  });

  test.each([
    // The kind of fact asked for, which the quotes about the subject lack.
    ['how old is the omani foreign minister', 'age'],
    // "hours of indirect discussions" names hours but counts none; "three days after" counts days.
    ['how many hours did the indirect discussions in the omani capital go on', 'figure'],
    // "two individuals" are named by neither the quote nor any other passage.
    ['who were the two individuals the State Department sanctioned', 'names'],
    // "14 shadow fleet vessels" names none of them.
    ['list the sanctioned shadow fleet vessels', 'names'],
    // "Admiral Brad Cooper" names an admiral but counts none.
    ['how many admirals were at the talks', 'figure'],
  ])('%s: partial, the %s missing', async (question, detail) => {
    const a = await briefing.ask(question);
    expectVerifiedAnswer(a);
    expect(a.coverage).toBe('partial');
    expect(a.missing).toContain(detail);
  });

  test('a name is the subject with the nouns it modifies: "the Muscat session", not "the Muscat"', async () => {
    const a = await briefing.ask('who were the two individuals sanctioned right after the Muscat session');
    expect(leadOf(a)).toMatch(/^The sources mention the Muscat session but /);
  });

  test('a year no source has is a missing detail, not a refusal: the rest of the question is answered', async () => {
    const a = await briefing.ask('what year did the us leave the 2015 nuclear agreement');
    expectVerifiedAnswer(a);
    expect(a.coverage).toBe('partial');
    expect(a.missing).toEqual(['2015']);
    expect(quoted(a)).toContain('unilateral withdrawal');
  });

  test('the lead names the subject and the detail in one sentence', async () => {
    const a = await briefing.ask("What's the range of the Khorramshahr-4?");
    expect(leadOf(a)).toMatch(/^The sources mention the Khorramshahr-4 but don't give its range\./);
  });
});

describe('none: nothing relevant, or a subject the sources never name', () => {
  test.each([
    ["What is India's view of the talks?", ['India']],
    ['How many moons does Jupiter have?', ['Jupiter']],
    ["What's a good recipe for banana bread?", []],
  ])('%s', async (question, missing) => {
    const a = await briefing.ask(question);
    expect(a.coverage).toBe('none');
    expect(a.abstained).toBe(true);
    expect(a.quotes).toEqual([]);
    expect(a.missing).toEqual(missing);
  });

  test('a reply never calls a topic uncovered that the question names', async () => {
    const a = await briefing.ask("What did Oman's sultan eat for breakfast?");
    if (a.abstained) expect(leadOf(a)).not.toMatch(/don't cover/);
  });
});

describe('abstained is true exactly when coverage is none', () => {
  test.each(['Why is Oman trusted as a mediator?', "What's the range of the Khorramshahr-4?", 'What did they shoot down?', 'Write me a poem about cats'])('%s', async (question) => {
    const a = await briefing.ask(question);
    expect(a.abstained).toBe(a.coverage === 'none');
    expect(['answered', 'partial', 'related', 'none']).toContain(a.coverage);
  });
});

describe('briefing requests', () => {
  test.each([
    ["Catch me up on Oman's role in all this.", 'Oman’s Indispensable but Insufficient Mediation'],
    ['tl;dr on the military backdrop going into the meeting?', 'Military Posturing Overshadows Diplomatic Engagement'],
    ['Can someone summarize the sanctions angle for the desk? Two lines max.', 'Sanctions Timing Reveals Washington’s Dual Strategy'],
    ['quick brief for the trading floor: what signposts should we watch before round two?', 'Five Indicators That Will Define the Coming Weeks'],
  ])('%s', async (question, section) => {
    const a = await briefing.ask(question);
    expectVerifiedAnswer(a);
    expect(a.coverage).toBe('answered');
    expect(a.quotes.every((q) => q.section === section)).toBe(true);
  });

  test('a short question in a topic\'s own words gets that topic, with no heading naming it', async () => {
    for (const question of ['any signposts to watch?', 'what should we be watching']) {
      const a = await briefing.ask(question);
      expectVerifiedAnswer(a);
      expect(a.quotes.every((q) => q.section === 'Five Indicators That Will Define the Coming Weeks'), question).toBe(true);
    }
    // A name keeps the question about the name.
    expect((await briefing.ask('what did the Pentagon watch')).quotes.some((q) => q.section === 'Five Indicators That Will Define the Coming Weeks')).toBe(false);
  });

  test('catch me up without a subject gives the opening and the outlook', async () => {
    const a = await briefing.ask('catch me up on the talks');
    expectVerifiedAnswer(a);
    expect(a.quotes[0].text).toContain('The resumption of diplomatic contact');
    expect(quoted(a)).toContain('What Muscat established was modest but not insignificant');
  });
});

describe('two-part questions quote each part', () => {
  test('What did the Gulf International Forum warn about, and which states would end up on the front line?', async () => {
    const a = await briefing.ask('What would kill the diplomatic track outright? And what would show Tehran is building confidence?');
    expectVerifiedAnswer(a);
    expect(quoted(a)).toContain('credible evidence of resumed enrichment activity');
    expect(quoted(a)).toContain('progress on new inspection arrangements');
  });
});
