import { describe, expect, it } from 'vitest';
import { locate, locateAll } from '../../src/answer/locate.js';
import { muscatDocument } from './fixtures.js';

const doc = muscatDocument();

function found(span: string, text = doc.text): string | null {
  const loc = locate(span, text);
  return loc ? text.slice(loc.start, loc.end) : null;
}

describe('locate', () => {
  it('finds an exact span and returns offsets into the file text', () => {
    const span = 'a fragile turning point';
    const loc = locate(span, doc.text)!;
    expect(loc).not.toBeNull();
    expect(doc.text.slice(loc.start, loc.end)).toBe(span);
    expect(loc.start).toBe(doc.text.indexOf(span));
  });

  it('tolerates straight quotes and apostrophes for curly ones, returning the source text', () => {
    expect(found(`Cooper's attendance "endangered" the process`)).toBe('Cooper’s attendance “endangered” the process');
    expect(found('described by President Trump as a "massive armada"')).toBe('described by President Trump as a “massive armada”');
  });

  it('tolerates collapsed, added or line-broken whitespace', () => {
    expect(found('a fragile   turning\n point')).toBe('a fragile turning point');
    expect(found('  a fragile turning point  ')).toBe('a fragile turning point');
    // The source has "region—described" with no spaces around the dash.
    expect(found('in the region — described by President Trump')).toBe('in the region—described by President Trump');
    // A paragraph break in the source matches a single space in the quote.
    expect(found('toward a nuclear agreement. Three days after')).toBe('toward a nuclear agreement.\n\nThree days after');
  });

  it('does not tolerate anything else: case, spelling, a changed or dropped word, joined words, ellipses', () => {
    expect(found('A Fragile Turning Point')).toBeNull();
    expect(found('a fragile turning-point')).toBeNull();
    expect(found('a fragile turning moment')).toBeNull();
    expect(found('a turning point')).toBeNull();
    expect(found('afragile turning point')).toBeNull();
    expect(found('a fragile … point')).toBeNull();
    expect(found('massive army')).toBeNull();
  });

  it('treats regular-expression characters in the span literally', () => {
    const text = 'Costs rose (by 3.5%) [est.] to $1.2bn? Yes.*';
    expect(found('(by 3.5%) [est.] to $1.2bn?', text)).toBe('(by 3.5%) [est.] to $1.2bn?');
    expect(found('(by 3x5%)', text)).toBeNull();
    expect(found('Yes.*', text)).toBe('Yes.*');
  });

  it('counts offsets in JavaScript string units, also after astral characters', () => {
    const text = '🚢 The armada arrived. 🚢 The armada left.';
    const all = locateAll('The armada', text);
    expect(all).toHaveLength(2);
    for (const l of all) expect(text.slice(l.start, l.end)).toBe('The armada');
  });

  it('prefers an occurrence inside the given range, then the nearest one', () => {
    const text = 'red line. blue. red line. green. red line.';
    const all = locateAll('red line', text);
    expect(all.map((l) => l.start)).toEqual([0, 16, 33]);
    expect(locate('red line', text, { start: 14, end: 27 })!.start).toBe(16);
    expect(locate('red line', text, { start: 30, end: 31 })!.start).toBe(33);
    expect(locate('red line', text)!.start).toBe(0);
  });

  it('returns null for an empty span', () => {
    expect(locate('   ', doc.text)).toBeNull();
  });
});
