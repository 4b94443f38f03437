// The platform-neutral digest card: the words every platform shows, and how a card shrinks to fit
// one message (whole quotes left out, least important first, the count said in the platform's words).
import { describe, expect, it } from 'vitest';
import { digestCard, digestTitle, dropOrder, fitWithin } from '../../adapters/shared/digest-card.js';
import { composeDigest } from '../../src/digest/compose.js';
import { FakeSource } from './helpers.js';

const dialect = { platform: 'Test', fullPassages: 'ask for more' };

function digestWithNews() {
  const source = new FakeSource(['trust', 'scope', 'oman', 'military'], 3);
  const previous = source.documentHashes();
  source.addDocument('round-two.md', 'Second round', '2026-02-20', 'Delegations met again. Both sides returned.');
  source.setIndicators([source.quote(source.addDocument('watch.md', 'What to watch', '2026-02-09', 'Watch enrichment. Watch the carriers.'), 'Watch the carriers.')]);
  return composeDigest(source, { date: '2026-03-10', previous });
}

describe('digestCard', () => {
  it('dates the title in words, and lists the parts under their headings with outlet, date and section', () => {
    expect(digestTitle('2026-03-10')).toBe('US–Iran nuclear talks: daily briefing, Tuesday 10 March 2026');
    const card = digestCard(digestWithNews());
    expect(card.title).toBe('US–Iran nuclear talks: daily briefing, Tuesday 10 March 2026');
    expect(card.newSince?.heading).toBe('New since the last briefing');
    expect(card.newSince?.documents.map((d) => [d.title, d.byline])).toEqual([
      ['Second round', 'Source of round-two.md, 20 Feb 2026'],
      ['What to watch', 'Source of watch.md, 9 Feb 2026'],
    ]);
    expect(card.points?.heading).toBe('Key points');
    expect(card.points?.quotes.map((p) => p.label)).toEqual(['Topic trust', 'Topic scope', 'Topic oman', 'Topic military']);
    expect(card.points?.quotes[0].attribution).toBe('Source of trust.md, 1 Feb 2026 · Body');
    expect(card.indicators?.heading).toBe('Indicators to watch');
    expect(card.method).toMatch(/quoted word for word/);
    expect(card.nothing).toBeUndefined();
    expect(card.leftOut).toBeUndefined();
  });

  it('an empty day has no parts, only the line saying there is nothing', () => {
    const card = digestCard({ date: '2026-03-10', newSince: [], points: [], indicators: [], titles: {} });
    expect(card).toMatchObject({ nothing: 'The sources have nothing to brief on for this date.' });
    expect([card.method, card.newSince, card.points, card.indicators]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('fitWithin', () => {
  const quotesOf = (card: ReturnType<typeof digestCard>) => [
    ...(card.newSince?.documents.flatMap((d) => d.quotes) ?? []),
    ...(card.points?.quotes ?? []),
    ...(card.indicators?.quotes ?? []),
  ];

  it('leaves whole quotes out, least important first, until the measure fits, and says how many', () => {
    const d = digestWithNews();
    const all = quotesOf(digestCard(d)).length;
    const card = fitWithin(d, dialect, all - 3, (c) => quotesOf(c).length);
    expect(quotesOf(card)).toHaveLength(all - 3);
    expect(card.leftOut).toEqual({ count: 3, note: '3 more quotes left out to fit one Test message; ask for more.' });
    // Every new document stays listed; the first point is the last thing ever given up.
    expect(card.newSince?.documents).toHaveLength(2);
    expect(card.points?.quotes[0].label).toBe('Topic trust');
  });

  it('changes nothing when the whole card fits, and gives up every quote when nothing does', () => {
    const d = digestWithNews();
    expect(fitWithin(d, dialect, Infinity, () => 0)).toEqual(digestCard(d));
    const bare = fitWithin(d, dialect, 0, (c) => quotesOf(c).length + 1);
    expect(quotesOf(bare)).toEqual([]);
    expect(bare.newSince?.documents.map((doc) => doc.title)).toEqual(['Second round', 'What to watch']);
  });

  it('drops extra passages of new documents first and the first point last', () => {
    expect(dropOrder([['n0a', 'n0b'], ['n1a', 'n1b']], ['p0', 'p1', 'p2', 'p3', 'p4'], ['i0', 'i1'])).toEqual([
      'n1b', 'n0b', 'i1', 'n1a', 'p4', 'p3', 'i0', 'p2', 'p1', 'n0a', 'p0',
    ]);
  });
});
