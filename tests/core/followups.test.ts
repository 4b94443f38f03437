// Several dated analyses (issue R2.2): a question naming an outlet is answered from it; "latest"
// puts the newest source first; "since" and dates scope the answer; sources that disagree are both
// quoted, newest first, with `conflict`.
import { beforeAll, describe, expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { readTime } from '../../src/answer/time.js';
import { namedSource } from '../../src/answer/named-sources.js';
import { corpusWith, tempDir, leadOf } from './helpers.js';

const doc = (title: string, source: string, published: string, body: string) => `---\ntitle: "${title}"\nsource: "${source}"\npublished: ${published}\n---\n\n${body}\n`;

const FILES = {
  'early.md': doc('Reactor Talks Open in Geneva', 'Harbour Street Journal', '2026-04-02', `## The Opening

Negotiators met in Geneva on 1 April to discuss the Keldara research reactor. Officials said that fuel loading at the Keldara reactor had stopped after the winter accident and would not restart before a deal.

The delegations agreed to meet again within a month, and the chief negotiator described the first day as constructive.

## Who Was There

The delegation was led by Minister Ilse Varga, who spoke about inspections and the timetable for a second session.`),
  'late.md': doc('Keldara Reactor Back in Operation', 'Copperline Dispatch', '2026-05-20', `## New Findings

Inspectors who visited the Keldara site on 12 May reported that fuel loading at the reactor has resumed, on a smaller scale than before the accident.

The finding contradicts the April account, and officials have not denied it.

## The Second Session

A second session was held in Vienna on 15 May, where negotiators discussed a new inspection schedule and the export of spent fuel.`),
};

let briefing: Briefing;
beforeAll(async () => {
  briefing = await Briefing.open({ corpusDir: corpusWith(FILES), dataDir: tempDir('followups') });
});

describe('sources that disagree', () => {
  test('both sides are quoted, newest first, and the answer says so', async () => {
    const a = await briefing.ask('Has fuel loading at the Keldara reactor resumed?');
    expect(a.conflict).toBe(true);
    expect(a.quotes[0].document).toBe('late.md');
    expect(a.quotes.some((q) => q.document === 'early.md' && q.text.includes('had stopped'))).toBe(true);
    expect(leadOf(a)).toMatch(/disagree/);
  });

  test('no disagreement is invented', async () => {
    const a = await briefing.ask('Who led the delegation?');
    expect(a.conflict).toBe(false);
  });
});

describe('time in questions', () => {
  test('"latest" puts the newest source first', async () => {
    const a = await briefing.ask("What's the latest on fuel loading at Keldara?");
    expect(a.abstained).toBe(false);
    expect(a.quotes[0].document).toBe('late.md');
  });

  test('"since" keeps what was published after the date', async () => {
    const a = await briefing.ask('What has happened since 1 May?');
    expect(a.quotes.length).toBeGreaterThan(0);
    expect(a.quotes.every((q) => q.document === 'late.md')).toBe(true);
  });

  test('a date written in the text is found', async () => {
    const a = await briefing.ask('What happened on 15 May?');
    expect(a.quotes[0].text).toContain('15 May');
  });

  test('readTime anchors relative dates to the newest document, not the clock', () => {
    const t = readTime('what happened last week?', '2026-05-20', () => undefined);
    expect(t.during).toEqual({ from: '2026-05-13', to: '2026-05-13' });
    expect(readTime('Is the reactor still running?', '2026-05-20', () => undefined).recent).toBe(true);
    expect(readTime('What happened in May?', '2026-05-20', () => undefined).during).toEqual({ from: '2026-05-01', to: '2026-05-31' });
  });

  test('"since" a month without a year looks back to the last one', () => {
    expect(readTime('Has the reactor stopped since the June accident?', '2026-05-20', () => undefined).after).toBe('2025-06-01');
    expect(readTime('What changed since April?', '2026-05-20', () => undefined).after).toBe('2026-04-01');
    expect(readTime('What changed since June 2026?', '2026-05-20', () => undefined).after).toBe('2026-06-01');
  });

  test('"since" an event takes the date the sources give it', () => {
    const t = readTime("What's new since the Geneva meeting?", '2026-05-20', (phrase) => (phrase.includes('Geneva') ? '2026-04-01' : undefined));
    expect(t.after).toBe('2026-04-01');
    expect(t.recent).toBe(true);
  });
});

describe('questions that name an outlet', () => {
  test('are answered from that outlet', async () => {
    const a = await briefing.ask('What did the Copperline Dispatch report about inspections?');
    expect(a.abstained).toBe(false);
    expect(a.quotes.every((q) => q.document === 'late.md')).toBe(true);
  });

  test('an outlet with nothing on the point says so', async () => {
    const a = await briefing.ask('What did the Harbour Street Journal report about spent fuel exports?');
    if (a.abstained) expect(leadOf(a)).toContain('Harbour Street Journal');
    else expect(a.quotes.every((q) => q.document === 'early.md')).toBe(true);
  });

  test('a verb that is also an outlet word names nothing', () => {
    const docs = [{ id: 'a.md', title: 'T', source: 'Tidewater Gulf Monitor', published: '', text: '', sections: [], hash: '' }];
    expect(namedSource('Who will monitor the strait?', docs)).toBeUndefined();
    expect(namedSource('What did Tidewater Gulf Monitor say?', docs)?.documents).toEqual(['a.md']);
  });
});

describe('documents that agree, and documents named by title', () => {
  let agreeing: Briefing;
  beforeAll(async () => {
    agreeing = await Briefing.open({
      corpusDir: corpusWith({
        'a.md': doc('Port Talks Stall Over Shipping Fees', 'Northgate Wire', '2026-06-01', `## Fees\n\nThe port authority said that shipping fees at Valmont will rise by ten percent in July.\n\nDockworkers plan a meeting next week to discuss the change.`),
        'b.md': doc('Valmont Harbour Prepares for Summer', 'Eastbay Courier', '2026-06-09', `## Fees\n\nThe port authority said that shipping fees at Valmont will rise by ten percent in July.\n\nLocal hotels expect a busy season as cruise ships return.`),
      }),
      dataDir: tempDir('agreeing'),
    });
  });

  test('the newest is quoted first and the others are said to concur, with no conflict', async () => {
    const a = await agreeing.ask('Will shipping fees at Valmont rise?');
    expect(a.conflict).toBe(false);
    expect(a.quotes[0].document).toBe('b.md');
    expect(leadOf(a)).toMatch(/another says the same/);
  });

  test('a question quoting a title is answered from that document', async () => {
    const a = await agreeing.ask('What does “Valmont Harbour Prepares for Summer” say about hotels?');
    expect(a.abstained).toBe(false);
    expect(a.quotes.every((q) => q.document === 'b.md')).toBe(true);
  });
});

test('a quote that points back brings what it points to, two sentences back if need be', async () => {
  const b = await Briefing.open({
    corpusDir: corpusWith({
      'e3.md': doc('Europe and the Tariff', 'Ridgeway Bulletin', '2026-07-01', `## Europe\n\nFrance, Germany and Italy issued a joint statement on 3 July that criticised the new grain levy. The three governments urged Brussels to answer with a common position. Their diplomats say privately that a quarrel over the grain levy could split the alliance.`),
    }),
    dataDir: tempDir('anaphora'),
  });
  const a = await b.ask('What do diplomats say privately about the grain levy quarrel?');
  expect(a.quotes[0].text).toContain('Their diplomats say privately');
  expect(a.quotes[0].text).toContain('The three governments urged');
  expect(a.quotes[0].text).toContain('France, Germany and Italy issued a joint statement');
});
describe('a newer source revising an older account', () => {
  const files = {
    'april.md': doc('Keldara Talks Open', 'Harbour Street Journal', '2026-04-02', '## Next Steps\n\nThe delegations said a second session on the Keldara reactor was expected within days, and both called the first day constructive.\n\n## Fuel\n\nFuel deliveries to the reactor continued through March.'),
    'may.md': doc('Keldara Talks Stall', 'Copperline Dispatch', '2026-05-20', '## Delays\n\nThe second session, once expected within days, has slipped repeatedly while the inspection terms were argued over.\n\n## Venue\n\nVienna will host the second session when it is held, the foreign ministry said.'),
  };
  let b: Briefing;
  beforeAll(async () => {
    b = await Briefing.open({ corpusDir: corpusWith(files), dataDir: tempDir('followups-revision') });
  });

  test('a yes/no question gets both: the correction first, then the account it corrects', async () => {
    const a = await b.ask('Was the second session really just days away?');
    expect(a.conflict).toBe(true);
    expect(a.quotes[0].document).toBe('may.md');
    expect(a.quotes[0].text).toContain('has slipped repeatedly');
    expect(a.quotes.some((q) => q.document === 'april.md' && q.text.includes('expected within days'))).toBe(true);
  });

  test('a question for another fact is answered, not turned into the disagreement', async () => {
    const a = await b.ask('Where will the second session be held?');
    expect(a.conflict).toBe(false);
    expect(a.quotes[0].text).toContain('Vienna will host');
  });
});

describe('what no source can have reported yet', () => {
  test('how a meeting dated after the newest source turned out is a partial answer: its plan, not its outcome', async () => {
    // The newest document (late.md) is from 20 May; the third session is set for 2 June.
    const files = { ...FILES, 'plan.md': doc('A Third Session', 'Copperline Dispatch', '2026-05-20', '## Next\n\nA third session on the Keldara reactor will be held in Vienna on 2 June, where negotiators hope to settle the inspection schedule.') };
    const b = await Briefing.open({ corpusDir: corpusWith(files), dataDir: tempDir('followups-beyond') });
    const past = await b.ask('What did negotiators agree at the third session on 2 June?');
    expect(past.coverage).toBe('partial');
    expect(past.missing).toContain('outcome');
    expect(past.quotes[0].text).toContain('will be held in Vienna on 2 June');
    expect(leadOf(past)).toMatch(/^The sources mention .+ but don't give how it turned out, which came after the newest of them was published\./);
    // Asked as what is to come, the plan is the answer.
    const future = await b.ask('What will negotiators discuss at the third session on 2 June?');
    expect(future.missing).not.toContain('outcome');
    expect(future.quotes[0].text).toContain('will be held in Vienna on 2 June');
  });

  test('a question about what happened in a month after the newest document means last year\'s; a day stays', () => {
    expect(readTime('Did fuel loading stop after the June accident?', '2026-05-20', () => undefined, true).during).toEqual({ from: '2025-06-01', to: '2025-06-30' });
    expect(readTime('What is planned for June?', '2026-05-20', () => undefined, false)).toMatchObject({ during: { from: '2026-06-01', to: '2026-06-30' }, beyond: true });
    expect(readTime('What did they agree on 2 June?', '2026-05-20', () => undefined, true)).toMatchObject({ during: { from: '2026-06-02', to: '2026-06-02' }, beyond: true });
  });

  test('readTime marks a span after the newest document', () => {
    expect(readTime('What happened on 2 June?', '2026-05-20', () => undefined).beyond).toBe(true);
    expect(readTime('What happened on 12 May?', '2026-05-20', () => undefined).beyond).toBeUndefined();
    // "on the 24th" is a day of the newest document's month; a day the month lacks is no date.
    expect(readTime('What did they agree on the 24th?', '2026-05-20', () => undefined)).toMatchObject({ during: { from: '2026-05-24', to: '2026-05-24' }, beyond: true });
    expect(readTime('What happened on the 31st?', '2026-02-18', () => undefined).during).toBeUndefined();
  });
});

describe('the latest, among the passages nearly as good as the best', () => {
  test('a newer analysis that only touches the subject does not go first', async () => {
    const files = {
      'first.md': doc('Keldara Talks Open', 'Harbour Street Journal', '2026-04-02', '## Geneva\n\nThe first round of talks on the Keldara reactor was held in Geneva on 1 April, and both delegations called it constructive.'),
      'venue.md': doc('Vienna to Host Keldara Round', 'Copperline Dispatch', '2026-04-20', '## The Next Round\n\nThe foreign ministry confirmed that the next round of talks on the Keldara reactor will be held in Vienna on 15 May, with Geneva staying involved as co-host.'),
      'lawmakers.md': doc('Lawmakers and the Tariff', 'Capitol Ledger', '2026-05-01', '## Congress\n\nLawmakers backed the talks on the Keldara reactor in a statement, but warned that the export tariff risked the next round.'),
    };
    const b = await Briefing.open({ corpusDir: corpusWith(files), dataDir: tempDir('followups-latest') });
    const a = await b.ask("What's the latest on when and where the next round of talks happens?");
    expect(a.abstained).toBe(false);
    expect(a.quotes[0].document).toBe('venue.md');
  });
});
