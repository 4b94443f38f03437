// The one wording of each coverage level, before any platform escapes or places it.
import { describe, expect, test } from 'vitest';
import { coverageNote, coverageOf } from '../../adapters/shared/card.js';

describe('coverageNote', () => {
  test('answered and none add nothing', () => {
    expect(coverageNote({ abstained: false, coverage: 'answered', missing: [] })).toBeUndefined();
    expect(coverageNote({ abstained: true, coverage: 'none', missing: ['Paris'] })).toBeUndefined();
  });

  test('partial names what is missing, in a natural list on one line', () => {
    const partial = (missing: string[]) => coverageNote({ abstained: false, coverage: 'partial', missing });
    expect(partial(['range'])).toBe('Partly covered. Not in the sources: range.');
    expect(partial(['range', 'payload'])).toBe('Partly covered. Not in the sources: range and payload.');
    expect(partial(['range', 'payload', 'test dates'])).toBe('Partly covered. Not in the sources: range, payload and test dates.');
    expect(partial(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('Partly covered. Not in the sources: a, b, c, d and 2 more.');
    expect(partial([' its\n range ', 'Its range', ''])).toBe('Partly covered. Not in the sources: its range.');
    expect(partial([])).toBe('Partly covered: the sources answer only part of this.');
  });

  test('related says these are the closest passages', () => {
    expect(coverageNote({ abstained: false, coverage: 'related', missing: [] })).toBe('Closest passages: the sources may not answer this exactly.');
  });

  test('a missing coverage field falls back to abstained ? none : answered', () => {
    expect(coverageOf({ abstained: true })).toBe('none');
    expect(coverageOf({ abstained: false })).toBe('answered');
    expect(coverageNote({ abstained: false })).toBeUndefined();
  });

  test('an abstention never gets a note, whatever coverage claims', () => {
    expect(coverageNote({ abstained: true, coverage: 'related', missing: [] })).toBeUndefined();
  });
});
