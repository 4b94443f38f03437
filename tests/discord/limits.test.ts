// Splitting and embed layout, without Discord: every limit holds and no text is lost or silently cut.
import { describe, expect, test } from 'vitest';
import { blockQuote, cardToEmbeds, cardToMessages, MAX_MESSAGES } from '../../adapters/discord/render.js';
import { CUT_MARK, LIMITS, splitText } from '../../adapters/discord/limits.js';
import { embedTotal } from './helpers.js';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
/** The chunks put back together, cut marks removed: must be the original text. */
const rejoin = (chunks: string[]) => squash(chunks.map((c) => (c.endsWith(CUT_MARK) ? c.slice(0, -CUT_MARK.length) : c)).join(' '));

describe('splitText', () => {
  test('keeps short text whole', () => {
    expect(splitText('  One sentence.  ', (c) => c.length <= 100)).toEqual(['One sentence.']);
  });

  test('breaks at sentence ends and loses nothing', () => {
    const text = 'Alpha is first. Beta comes second! Gamma asks why? Delta ends it.';
    const chunks = splitText(text, (c) => c.length <= 35);
    expect(chunks).toEqual(['Alpha is first. Beta comes second!', 'Gamma asks why? Delta ends it.']);
    expect(rejoin(chunks)).toBe(squash(text));
  });

  test('cuts an over-long sentence at word gaps and marks every cut', () => {
    const sentence = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ') + '.';
    const chunks = splitText(sentence, (c) => c.length <= 50);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(50);
    for (const c of chunks.slice(0, -1)) expect(c.endsWith(CUT_MARK)).toBe(true);
    expect(chunks.at(-1)!.endsWith('word59.')).toBe(true);
    expect(rejoin(chunks)).toBe(squash(sentence));
  });

  test('cuts a single huge word by characters, still marked', () => {
    const chunks = splitText('x'.repeat(250), (c) => c.length <= 100);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(100);
    expect(chunks.slice(0, -1).every((c) => c.endsWith(CUT_MARK))).toBe(true);
    expect(chunks.join('').replaceAll(CUT_MARK, '')).toBe('x'.repeat(250));
  });

  test('measures the formatted chunk, so block-quote markers count', () => {
    const text = 'Line one is here.\nLine two is here.\nLine three is here.';
    const chunks = splitText(text, (c) => blockQuote(c).length <= 40);
    for (const c of chunks) expect(blockQuote(c).length).toBeLessThanOrEqual(40);
    expect(rejoin(chunks)).toBe(squash(text));
  });
});

describe('cardToEmbeds', () => {
  const sentence = (i: number) => `Sentence number ${i} of a very long quoted passage about the talks.`;
  const longQuote = Array.from({ length: 120 }, (_, i) => sentence(i)).join(' ');

  test('a huge card stays within every limit and says where quotes continue', () => {
    const card = {
      title: 'Q'.repeat(400),
      description: Array.from({ length: 200 }, (_, i) => sentence(i)).join(' '),
      blocks: Array.from({ length: 40 }, (_, i) => ({ name: `[${i + 1}] Document — Section`, text: i % 5 === 0 ? longQuote : sentence(i), quote: true })),
      footer: 'Sources: ' + 'Title; '.repeat(500),
    };
    const embeds = cardToEmbeds(card);
    expect(embeds.length).toBeGreaterThan(3);
    for (const e of embeds) {
      expect(e.title!.length).toBeLessThanOrEqual(LIMITS.title);
      expect((e.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
      expect((e.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
      for (const f of e.fields ?? []) {
        expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
        expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
        expect(f.value.startsWith('> ')).toBe(true);
      }
      expect(e.footer!.text.length).toBeLessThanOrEqual(LIMITS.footer);
      expect(embedTotal(e)).toBeLessThanOrEqual(LIMITS.embedTotal);
    }
    expect(embeds[0].title!.endsWith('…')).toBe(true);
    expect(embeds[1].title!.endsWith('(continued)')).toBe(true);
    expect(embeds.at(-1)!.footer!.text).toMatch(new RegExp(`part ${embeds.length}/${embeds.length}$`));

    const fields = embeds.flatMap((e) => e.fields ?? []);
    const parts = fields.filter((f) => f.name.startsWith('[1] '));
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((f, i) => expect(f.name).toBe(`[1] Document — Section (part ${i + 1} of ${parts.length})`));
    // The split quote, put back together, is the quote: nothing dropped, nothing invented.
    expect(squash(parts.map((f) => f.value.replace(/^> /gm, '')).join(' '))).toBe(squash(longQuote));
    // Whole sentences per part: each part ends where a sentence ends.
    for (const f of parts) expect(f.value.endsWith('talks.')).toBe(true);
  });

  test('more parts than MAX_MESSAGES: capped, and the last message says so', () => {
    const card = { title: 'Big', blocks: Array.from({ length: 30 * MAX_MESSAGES }, (_, i) => ({ name: `q${i}`, text: longQuote.slice(0, 900), quote: true })) };
    const messages = cardToMessages(card);
    expect(messages).toHaveLength(MAX_MESSAGES);
    expect(messages.at(-1)!.content).toMatch(/^Showing 10 of \d+ parts; the rest was left out/);
    expect(messages.slice(0, -1).every((m) => m.content === undefined)).toBe(true);
  });
});
