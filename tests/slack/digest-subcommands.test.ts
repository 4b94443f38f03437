// The digest rows of the /brief table: how `/brief subscribe ...` is read, which texts are commands
// and which stay questions, and how a run time is written for Slack.
import { describe, expect, test } from 'vitest';
import { describeRun, digestSubcommands, parseSubscribeArgs } from '../../adapters/slack/digest-subcommands.js';
import { defaultSubcommands, matchSubcommand } from '../../adapters/slack/brief-command.js';
import { SubscriptionError } from '../../src/store/subscriptions.js';

describe('parseSubscribeArgs', () => {
  test.each([
    ['', { weekdaysOnly: false }],
    ['8:00', { time: '08:00', weekdaysOnly: false }],
    ['08:00 Europe/London', { time: '08:00', timeZone: 'Europe/London', weekdaysOnly: false }],
    ['america/new_york 18:30 weekdays', { time: '18:30', timeZone: 'America/New_York', weekdaysOnly: true }],
    ['Weekdays 07:15', { time: '07:15', weekdaysOnly: true }],
    ['daily UTC', { timeZone: 'UTC', weekdaysOnly: false }],
    ['Etc/GMT+5', { timeZone: 'Etc/GMT+5', weekdaysOnly: false }],
    ['  09:00    Asia/Tehran  ', { time: '09:00', timeZone: 'Asia/Tehran', weekdaysOnly: false }],
  ])('%j', (args, expected) => {
    expect(parseSubscribeArgs(args)).toEqual(expected);
  });

  test.each([
    ['24:00', 'Time must be HH:MM on a 24-hour clock, like 08:00 or 17:30 (got "24:00").'],
    ['8am', 'Time must be HH:MM on a 24-hour clock'],
    ['0800', 'Time must be HH:MM on a 24-hour clock'],
    ['08:00 09:00', 'Give one time, not "08:00" and "09:00".'],
    ['Europe/London Asia/Tehran', 'Give one time zone'],
    ['Mars/Olympus_Mons', '"Mars/Olympus_Mons" is not a time zone I know.'],
    ['+03:30', '"+03:30" is not a time zone I know.'],
    ['tehran', 'Did you mean Asia/Tehran?'],
    ['weekdays daily', 'Give either "weekdays" or "daily", not both.'],
    ['to the talks please', 'is not a time zone I know'],
  ])('%j is refused with a message for the user', (args, message) => {
    let error: unknown;
    try {
      parseSubscribeArgs(args);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubscriptionError);
    expect((error as Error).message).toContain(message);
  });
});

describe('the full /brief table', () => {
  const table = [...defaultSubcommands(), ...digestSubcommands()];
  test.each([
    ['', ''],
    ['help', 'help'],
    ['status', 'status'],
    ['STATUS', 'status'],
    ['unsubscribe', 'unsubscribe'],
    ['subscribe', 'subscribe'],
    ['subscribe 08:00 Europe/London weekdays', 'subscribe'],
  ])('%j runs %j', (text, name) => {
    expect(matchSubcommand(table, text)?.subcommand.name).toBe(name);
  });

  test.each(['status of the talks?', 'unsubscribe me from this', 'help me understand the enrichment dispute', 'What is the status of sanctions relief?'])('%j is a question', (text) => {
    expect(matchSubcommand(table, text)).toBeUndefined();
  });

  test('every row has a usage for help, and names are unique', () => {
    expect(new Set(table.map((s) => s.name)).size).toBe(table.length);
    expect(table.map((s) => s.usage)).toEqual(['/brief', '/brief sources', '/brief help', '/brief subscribe [HH:MM] [Area/City] [weekdays]', '/brief unsubscribe', '/brief status']);
  });
});

describe('describeRun', () => {
  test('the run in the subscription’s zone (daylight saving included), then each reader’s own through Slack’s date token', () => {
    // 1 July: London is on BST, so 07:00 UTC is 08:00 there.
    const at = new Date('2026-07-01T07:00:00Z');
    expect(describeRun(at, 'Europe/London')).toBe(
      `Wednesday 1 July 2026 at 08:00 (Europe/London); your time: <!date^${at.getTime() / 1000}^{date_short_pretty} at {time}|Wednesday 1 July 2026 at 08:00 (Europe/London)>`,
    );
    // Late evening in New York is already the next day in UTC: the local date is the one written.
    expect(describeRun(new Date('2026-03-11T03:30:00Z'), 'America/New_York')).toMatch(/^Tuesday 10 March 2026 at 23:30 \(America\/New_York\);/);
  });
});
