// What a question asks for, read from its wording alone (src/answer/intent.ts).
import { describe, expect, test } from 'vitest';
import { readIntent } from '../../src/answer/intent.js';

describe('briefing requests', () => {
  test.each([
    ["Catch me up on Oman's role in all this.", "Oman's role in all this"],
    ['tl;dr on the military backdrop going into the meeting?', 'the military backdrop going into the meeting'],
    ['give me the gist of the sanctions piece', 'the sanctions piece'],
    ['Can someone summarize the sanctions angle for the desk? Two lines max.', 'the sanctions angle'],
    ['quick brief for the trading floor: what signposts should we watch before round two?', 'what signposts should we watch before round two'],
    ["What's the big picture on the trust problem between DC and Tehran?", 'the trust problem between DC and Tehran'],
    ['where do things stand', ''],
    ['bottom line?', ''],
  ])('%s -> subject %j', (question, subject) => {
    expect(readIntent(question).briefing).toEqual({ subject });
  });

  test('a briefing phrase in front of a question for one fact is that question', () => {
    const i = readIntent('tl;dr: when did the strikes happen?');
    expect(i.briefing).toBeUndefined();
    expect(i.answerType).toBe('date');
  });

  test('an ordinary question is no briefing request', () => {
    expect(readIntent('Why is Oman trusted as a mediator?').briefing).toBeUndefined();
  });
});

describe('parts', () => {
  test.each([
    ['What did the Gulf International Forum warn about, and which states would end up on the front line?', 2],
    ['What would kill the diplomatic track outright? And what would show Tehran is building confidence?', 2],
    ["Two things: what's Washington betting the economic squeeze achieves, and how could it backfire?", 2],
    // "and" inside one question, and a trailing remark, never split it.
    ['Did Egypt, Turkey and Qatar present a proposal?', 1],
    ['did araghchi say something about trust? need the exact quote for my piece', 2],
  ])('%s -> %d part(s)', (question, n) => {
    expect(readIntent(question).parts).toHaveLength(n);
  });
});

describe('the kind of fact asked for', () => {
  test.each([
    ['How many warships are in the armada?', 'quantity'],
    ['How long did the meeting last?', 'duration'],
    ['How old is the foreign minister?', 'age'],
    ['who were the three officials named', 'names'],
    ['When did Washington leave the JCPOA?', 'date'],
    ['Where was the meeting first planned?', 'place'],
    ["who's the admiral that showed up in uniform", 'person'],
    ['Which specific nuclear sites were hit?', 'names'],
    ['What are the four challenges in the Carnegie piece?', 'list'],
    ['Why did Tehran want the talks in Oman?', undefined],
  ])('%s -> %s', (question, type) => {
    expect(readIntent(question).answerType).toBe(type);
  });

  test.each([
    ['Can you name any of the 15 entities that were sanctioned?', 'entities'],
    ['list all the sanctioned vessels', 'vessels'],
  ])('%s asks for names beside "%s"', (question, category) => {
    expect(readIntent(question)).toMatchObject({ answerType: 'names', category });
  });

  test('"what were the other three challenges" is a list of three', () => {
    expect(readIntent('What were the other three challenges?')).toMatchObject({ answerType: 'list', count: 3 });
  });

  test('"who were the two individuals" asks for names beside that word', () => {
    expect(readIntent('Who were the two individuals sanctioned?')).toMatchObject({ answerType: 'names', category: 'individuals' });
  });

  test.each([
    ['What did the leaders agree at the summit?', true],
    ['what was decided in Vienna', true],
    ['What happened at the meeting?', true],
    ['What was planned for the summit?', false],
    ['When was the next round expected?', false],
    ['What will the leaders discuss?', false],
  ])('%s asks what happened: %s', (question, past) => {
    expect(readIntent(question).past).toBe(past);
  });

  test('a list question says how many items it expects', () => {
    expect(readIntent('What are the four challenges in the Carnegie piece?').count).toBe(4);
  });
});

describe('the attribute asked about', () => {
  test.each([
    ["What's the range of the Khorramshahr-4?", 'range'],
    ["what's the endurance / payload on the Shahed-139?", 'endurance / payload'],
    ['How many US troops are deployed across the Middle East?', 'troops'],
    // "what hardware did they show" names the kind of answer, not an attribute.
    ['What hardware did the IRGC show off?', undefined],
    ['What did Rubio say before the meeting?', undefined],
    ["What's the deal with the tariff?", undefined],
  ])('%s -> %s', (question, focus) => {
    expect(readIntent(question).focus).toBe(focus);
  });
});

test('long runs of whitespace or punctuation are read as one space (R2.4: no quadratic patterns)', () => {
  for (const ws of [' ', '\u00a0', '\u3000', '\u2003']) {
    const i = readIntent(`What did Oman${ws.repeat(40_000)}propose and who accepted it?`);
    expect(i.parts).toEqual(['What did Oman propose', 'who accepted it?']);
  }
  expect(readIntent(`brief me on Oman${'?.'.repeat(20_000)} x`).briefing).toBeDefined();
});
