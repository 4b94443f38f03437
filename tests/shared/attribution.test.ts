// Where and when a quote comes from: the one attribution line every rendering shows, the date as
// people read it, the order sources are listed in, and the gate that stamps each quote.
import { describe, expect, test } from 'vitest';
import { quoteAttribution } from '../../adapters/shared/card.js';
import { verifyQuotes } from '../../src/answer/verify.js';
import { attribution, byline, listedByline } from '../../src/text/attribution.js';
import { formatDay, newestFirst } from '../../src/text/dates.js';
import type { Document, Quote } from '../../src/types.js';

const quote = (over: Partial<Quote> = {}): Quote => ({ text: 't', document: 'a.md', section: 'Divisions', start: 0, end: 1, source: 'Tidewater Gulf Monitor', published: '2026-03-10', ...over });

describe('formatDay', () => {
  test('"D Mon YYYY", no leading zero, English month abbreviations', () => {
    expect(formatDay('2026-03-10')).toBe('10 Mar 2026');
    expect(formatDay('2026-02-09')).toBe('9 Feb 2026');
    expect(formatDay('2025-12-31')).toBe('31 Dec 2025');
  });
  test('"" for an unknown or impossible date', () => {
    for (const bad of ['', '2026-02-30', '2026-13-01', '10 March 2026', '2026-3-1']) expect(formatDay(bad)).toBe('');
  });
});

describe('attribution', () => {
  test('outlet, date and section', () => {
    expect(attribution(quote(), 'Gulf Capitals Split')).toBe('Tidewater Gulf Monitor, 10 Mar 2026 · Divisions');
  });
  test('the title stands in for a missing outlet; a missing date is left out', () => {
    expect(attribution(quote({ source: '' }), 'Gulf Capitals Split')).toBe('Gulf Capitals Split, 10 Mar 2026 · Divisions');
    expect(attribution(quote({ published: '' }), 'Gulf Capitals Split')).toBe('Tidewater Gulf Monitor · Divisions');
    expect(attribution(quote({ source: '', published: '' }), 'Shipping Notes')).toBe('Shipping Notes · Divisions');
  });
  test('a section that only repeats the name before it is left out; a title-named lead section is kept after an outlet', () => {
    expect(attribution(quote({ source: '', section: 'Shipping Notes' }), 'Shipping Notes')).toBe('Shipping Notes, 10 Mar 2026');
    expect(attribution(quote({ section: 'Gulf Capitals Split' }), 'Gulf Capitals Split')).toBe('Tidewater Gulf Monitor, 10 Mar 2026 · Gulf Capitals Split');
  });
  test('adapters: the title from an answer’s titles, else the document id; a quote stored before the stamp reads as undated', () => {
    expect(quoteAttribution(quote({ source: '' }), { 'a.md': 'Gulf Capitals Split' })).toBe('Gulf Capitals Split, 10 Mar 2026 · Divisions');
    expect(quoteAttribution(quote({ source: '' }), undefined)).toBe('a.md, 10 Mar 2026 · Divisions');
    const stored = { text: 't', document: 'a.md', section: 'Divisions', start: 0, end: 1 } as Quote;
    expect(quoteAttribution(stored, { 'a.md': 'Gulf Capitals Split' })).toBe('Gulf Capitals Split · Divisions');
  });
  test('a document’s byline after its title, and in a list of sources', () => {
    expect(byline('Tidewater Gulf Monitor', '2026-03-10')).toBe('Tidewater Gulf Monitor, 10 Mar 2026');
    expect(byline('', '2026-03-10')).toBe('10 Mar 2026');
    expect(byline('', '')).toBe('');
    expect(listedByline('', '')).toBe('outlet unknown, undated');
  });
});

describe('newestFirst', () => {
  test('by publication date, newest first; undated last; the same date by title', () => {
    const docs = [
      { id: 'u.txt', title: 'Undated', published: '' },
      { id: 'b.md', title: 'Beta', published: '2026-02-20' },
      { id: 'n.md', title: 'Newest', published: '2026-03-10' },
      { id: 'a.md', title: 'Alpha', published: '2026-02-20' },
      { id: 'c.txt', title: 'Also undated', published: '' },
    ];
    expect(newestFirst(docs).map((d) => d.id)).toEqual(['n.md', 'a.md', 'b.md', 'c.txt', 'u.txt']);
    expect(docs[0].id).toBe('u.txt'); // a sorted copy; the input is left alone
  });
});

describe('verifyQuotes', () => {
  const text = 'Riyadh and Abu Dhabi disagreed.';
  const doc = (over: Partial<Document>) => new Map([['g.md', { text, source: 'Tidewater Gulf Monitor', published: '2026-03-10', ...over }]]);
  const span = { text: 'Abu Dhabi', document: 'g.md', section: 'Divisions', start: 11, end: 20 };

  test('stamps each verified quote with its document’s outlet and date, replacing any it carried', () => {
    expect(verifyQuotes([span], doc({}))).toEqual([{ ...span, source: 'Tidewater Gulf Monitor', published: '2026-03-10' }]);
    const forged = { ...span, source: 'Somebody else', published: '1999-01-01' } as typeof span;
    expect(verifyQuotes([forged], doc({}))[0]).toMatchObject({ source: 'Tidewater Gulf Monitor', published: '2026-03-10' });
    expect(verifyQuotes([span], doc({ source: undefined, published: undefined }))[0]).toMatchObject({ source: '', published: '' });
  });
  test('still drops a quote that is not the file text at its offsets', () => {
    expect(verifyQuotes([{ ...span, start: 10 }], doc({}))).toEqual([]);
    expect(verifyQuotes([{ ...span, document: 'x.md' }], doc({}))).toEqual([]);
  });
});
