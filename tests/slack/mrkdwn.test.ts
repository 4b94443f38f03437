import { describe, expect, test } from 'vitest';
import { blockQuote, escapeMrkdwn, fitMrkdwn, slackToPlain, truncate } from '../../adapters/slack/mrkdwn.js';

describe('escapeMrkdwn', () => {
  test('escapes exactly &, < and >, ampersand first', () => {
    expect(escapeMrkdwn('a & b <!channel> <@U123> x > y &amp;')).toBe('a &amp; b &lt;!channel&gt; &lt;@U123&gt; x &gt; y &amp;amp;');
  });
});

describe('slackToPlain', () => {
  test('drops the bot mention, defuses other mentions, keeps link labels and unescapes entities', () => {
    const text = '<@UBOT> what did <@U123> and <@U9|maria> say in <#C1|general> about <!channel> <!here|here> <!subteam^S1|@nuclear-team> <https://x.test/a|this> <https://y.test> &lt;b&gt; &amp; more';
    expect(slackToPlain(text, 'UBOT')).toBe('what did @U123 and @maria say in #general about @channel @here @nuclear-team this https://y.test <b> & more');
  });
  test('a message that only mentions the bot is empty', () => {
    expect(slackToPlain('  <@UBOT>  ', 'UBOT')).toBe('');
  });
});

describe('length limits', () => {
  test('truncate cuts with an ellipsis and never splits a surrogate pair', () => {
    const s = `${'a'.repeat(9)}😀bbb`;
    const cut = truncate(s, 11);
    expect(cut.length).toBeLessThanOrEqual(11);
    expect(cut.endsWith('…')).toBe(true);
    expect(/[\uD800-\uDBFF]…$/.test(cut)).toBe(false);
  });
  test('fitMrkdwn stays within the limit after escaping and never leaves half an entity', () => {
    const out = fitMrkdwn('<'.repeat(5000), 2900);
    expect(out.length).toBeLessThanOrEqual(2900);
    expect(out).toMatch(/^(&lt;)+…$/);
  });
  test('blockQuote marks every line and escapes the content, within the limit', () => {
    expect(blockQuote('one <two>\n\nthree & four', 100)).toBe('> one &lt;two&gt;\n> three &amp; four');
    const long = blockQuote(Array.from({ length: 400 }, (_, i) => `line ${i} <x>`).join('\n'), 2900);
    expect(long.length).toBeLessThanOrEqual(2900);
    expect(long.split('\n').every((l) => l.startsWith('> '))).toBe(true);
  });
  test('slackToPlain joins lines without blank ones and trims them, whatever whitespace surrounds them', () => {
    expect(slackToPlain(' why\t\t is \r\n\r\n \u3000 Oman\u00a0\n\n trusted? ')).toBe('why is\nOman\ntrusted?');
    // Long runs of whitespace of every kind, around and between lines (R2.4: the old pattern was
    // quadratic on these and held up every other request for seconds).
    for (const ws of [' ', '\t', '\u00a0', '\u3000', '\u2003', '\r', ' \u3000\t\u00a0']) {
      const run = ws.repeat(Math.ceil(40_000 / ws.length));
      expect(slackToPlain(`<@UBOT> Why${run}\n${run}Oman?${run}`, 'UBOT')).toBe(`Why\nOman?`);
      expect(slackToPlain(`a${run}b`)).toBe(ws.includes(' ') || ws === '\t' ? `a${run.replace(/[ \t]+/g, ' ')}b` : `a${run}b`);
    }
  });
});
