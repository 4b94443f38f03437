import { describe, expect, it } from 'vitest';
import { composeDigest, MAX_POINTS, ROTATION_DEPTH } from '../../src/digest/compose.js';
import { FakeSource } from './helpers.js';

describe('composeDigest', () => {
  it('is deterministic for a date and corpus', () => {
    const a = composeDigest(new FakeSource(), { date: '2026-03-10' });
    const b = composeDigest(new FakeSource(), { date: '2026-03-10' });
    expect(a).toEqual(b);
    expect(a.date).toBe('2026-03-10');
    // An outcome, not prose: the dated title and headings are the edge's (adapters/shared/digest-card.ts).
    expect(Object.keys(a).sort()).toEqual(['date', 'indicators', 'newSince', 'points', 'titles']);
  });

  it('gives one point per covered topic, at most six, each a verbatim quote with its title', () => {
    const source = new FakeSource(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const d = composeDigest(source, { date: '2026-03-10' });
    expect(d.points).toHaveLength(MAX_POINTS);
    expect(d.points.map((p) => p.topic.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    for (const p of d.points) {
      const doc = source.docs.get(p.quote.document)!;
      expect(doc.text.slice(p.quote.start, p.quote.end)).toBe(p.quote.text);
      expect(d.titles[p.quote.document]).toBe(doc.info.title);
    }
  });

  it('skips a topic the corpus does not cover', () => {
    const source = new FakeSource(['a', 'b', 'c']);
    const plain = source.topics();
    source.topics = () => [...plain, { id: 'uncovered', label: 'Uncovered', description: '' }];
    const d = composeDigest(source, { date: '2026-03-10' });
    expect(d.points.map((p) => p.topic.id)).toEqual(['a', 'b', 'c']);
  });

  it('rotates day by day through each topic’s strongest passages', () => {
    const source = new FakeSource(['trust', 'scope', 'oman'], 8);
    const days = ['2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15'];
    const byDay = days.map((date) => composeDigest(source, { date }).points.map((p) => p.quote.text));
    for (let i = 1; i < byDay.length; i++) {
      for (let t = 0; t < 3; t++) expect(byDay[i][t]).not.toBe(byDay[i - 1][t]);
    }
    // Five days walk through exactly the five strongest passages of a topic, then it repeats.
    const trust = byDay.map((points) => points[0]);
    const strongest = source.topicQuotes('trust').slice(0, ROTATION_DEPTH).map((q) => q.text);
    expect(new Set(trust.slice(0, ROTATION_DEPTH))).toEqual(new Set(strongest));
    expect(trust[ROTATION_DEPTH]).toBe(trust[0]);
  });

  it('lists indicators when the sources name them, never repeating a point', () => {
    const source = new FakeSource(['trust'], 1);
    expect(composeDigest(source, { date: '2026-03-10' }).indicators).toEqual([]);
    const doc = source.addDocument('watch.md', 'What to watch', '2026-02-09', 'Watch enrichment. Watch the carrier group.');
    const repeated = source.topicQuotes('trust')[0];
    source.setIndicators([source.quote(doc, 'Watch enrichment.'), repeated, source.quote(doc, 'Watch the carrier group.')]);
    const d = composeDigest(source, { date: '2026-03-10' });
    expect(d.indicators.map((q) => q.text)).toEqual(['Watch enrichment.', 'Watch the carrier group.']);
    expect(d.titles['watch.md']).toBe('What to watch');
  });

  it('has nothing "new" in a first digest, or when no document changed', () => {
    const source = new FakeSource();
    expect(composeDigest(source, { date: '2026-03-10' }).newSince).toEqual([]);
    expect(composeDigest(source, { date: '2026-03-10', previous: source.documentHashes() }).newSince).toEqual([]);
  });

  it('leads with documents added or changed since the previous digest, newest first, undated last', () => {
    const source = new FakeSource();
    const previous = source.documentHashes();
    source.addDocument('a-undated.md', 'Undated note', '', 'An undated note.');
    source.addDocument('round-two.md', 'Second round in Muscat', '2026-02-20', 'Delegations met again. Both sides returned.');
    source.docs.get('oman.md')!.hash = 'h-oman-2';
    const d = composeDigest(source, { date: '2026-03-10', previous });
    expect(d.newSince.map((n) => n.document.id)).toEqual(['round-two.md', 'oman.md', 'a-undated.md']);
    expect(d.newSince[0].document).toMatchObject({ title: 'Second round in Muscat', source: 'Source of round-two.md', published: '2026-02-20' });
    // Each new document's quotes carry its outlet and date, as the renderers show them.
    for (const n of d.newSince) for (const q of n.quotes) expect(q).toMatchObject({ document: n.document.id, source: n.document.source, published: n.document.published });
    expect(d.newSince[0].quotes.map((q) => q.text)).toEqual(['Delegations met again.', 'Both sides returned.']);
    // The changed document's passages are not repeated as the day's point for its topic.
    const omanPoint = d.points.find((p) => p.topic.id === 'oman')!;
    expect(d.newSince[1].quotes.map((q) => q.text)).not.toContain(omanPoint.quote.text);
  });

  it('rejects a date that is not a real YYYY-MM-DD date', () => {
    expect(() => composeDigest(new FakeSource(), { date: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(() => composeDigest(new FakeSource(), { date: '10/03/2026' })).toThrow(/YYYY-MM-DD/);
  });
});
