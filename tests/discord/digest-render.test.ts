// A digest as one Discord message: sections in order, every limit respected, and when a digest is
// too big, whole quotes (least important first) are left out and the footer says so.
import { describe, expect, test } from 'vitest';
import { MAX_EMBEDS, messageSize, renderDigest } from '../../adapters/discord/render.js';
import { digestTitle, INDICATORS_HEADING, NEW_SINCE_HEADING, POINTS_HEADING } from '../../adapters/shared/digest-card.js';
import { CUT_MARK, LIMITS } from '../../adapters/discord/limits.js';
import type { Digest } from '../../src/digest/types.js';
import type { Quote, Topic } from '../../src/types.js';

const unquote = (v: string) => v.replace(/^> /gm, '');

function sentence(seed: string, chars: number): string {
  let s = '';
  for (let i = 0; s.length < chars; i++) s += `${seed} clause ${i} says something about the talks. `;
  return s.slice(0, chars).trimEnd() + '.';
}

/** The base analysis comes from "Muscat Review" (9 Feb 2026) unless a test says otherwise. */
function quote(document: string, section: string, text: string, source = 'Muscat Review', published = '2026-02-09'): Quote {
  return { text, document, section, start: 0, end: text.length, source, published };
}

const topics: Topic[] = ['Trust deficit', 'Scope dispute', "Oman's role", 'Military posture', 'Sanctions', 'Outlook'].map((label, i) => ({ id: `t${i}`, label, description: '' }));

function digest(sizes: { points: number; newDocs: number; newQuote: number; indicators: number; indicator: number }): Digest {
  const titles: Record<string, string> = { 'base.md': 'Muscat Talks: A Fragile Opening' };
  const newSince = Array.from({ length: sizes.newDocs }, (_, d) => {
    const id = `new-${d}.md`;
    titles[id] = `New analysis ${d}`;
    const document = { id, title: `New analysis ${d}`, source: `Think tank ${d}`, published: `2026-03-1${d}`, sections: ['Body'] };
    return {
      document,
      quotes: [0, 1].map((j) => quote(id, `Section ${j}`, sentence(`new ${d}.${j}`, sizes.newQuote), document.source, document.published)),
    };
  });
  return {
    date: '2026-03-10',
    newSince,
    points: topics.map((topic, i) => ({ topic, quote: quote('base.md', `Section on ${topic.label}`, sentence(`point ${i}`, sizes.points)) })),
    indicators: Array.from({ length: sizes.indicators }, (_, i) => quote('base.md', 'Five Indicators', sentence(`indicator ${i}`, sizes.indicator), '', '')),
    titles,
  };
}

function expectWithinLimits(embeds: any[]): void {
  expect(embeds.length).toBeLessThanOrEqual(MAX_EMBEDS);
  expect(messageSize(embeds)).toBeLessThanOrEqual(LIMITS.embedTotal);
  for (const e of embeds) {
    expect(e.title.length).toBeLessThanOrEqual(LIMITS.title);
    expect((e.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
  }
}

describe('renderDigest', () => {
  test('a typical digest: title with the date, new documents first, points labelled by topic, outlet, date and section, then indicators', () => {
    const d = digest({ points: 250, newDocs: 1, newQuote: 200, indicators: 2, indicator: 200 });
    const { embeds } = renderDigest(d);
    expectWithinLimits(embeds!);
    expect(embeds!.map((e) => e.title)).toEqual(['US–Iran nuclear talks: daily briefing, Tuesday 10 March 2026', NEW_SINCE_HEADING, POINTS_HEADING, INDICATORS_HEADING]);
    // A new document shows its outlet and date the way its quotes do.
    expect(embeds![1].description).toBe('• **New analysis 0** — Think tank 0, 10 Mar 2026');
    expect(embeds![1].fields!.map((f) => [f.name, unquote(f.value)])).toEqual(d.newSince[0].quotes.map((q) => [`Think tank 0, 10 Mar 2026 · ${q.section}`, q.text]));
    expect(embeds![2].fields!.map((f) => f.name)).toEqual(topics.map((t) => `${t.label} — Muscat Review, 9 Feb 2026 · Section on ${t.label}`));
    // No outlet: the title stands in for it; no date: none is shown.
    expect(embeds![3].fields!.map((f) => f.name)).toEqual(['Muscat Talks: A Fragile Opening · Five Indicators', 'Muscat Talks: A Fragile Opening · Five Indicators']);
    expect(embeds![2].fields!.map((f) => unquote(f.value))).toEqual(d.points.map((p) => p.quote.text));
    expect(embeds![3].fields!.map((f) => unquote(f.value))).toEqual(d.indicators.map((q) => q.text));
    expect(embeds![3].footer!.text).toBe('Sources: New analysis 0; Muscat Talks: A Fragile Opening');
  });

  test('the first embed says how the quotes were chosen; an empty digest says there is nothing', () => {
    const d = digest({ points: 100, newDocs: 0, newQuote: 0, indicators: 0, indicator: 0 });
    expect(renderDigest(d).embeds![0].description).toBe('Every point is quoted word for word from the sources, with the outlet, date and section it comes from.');
    const empty: Digest = { ...d, points: [], newSince: [], indicators: [] };
    expect(renderDigest(empty).embeds).toEqual([expect.objectContaining({ title: digestTitle(d.date), description: 'The sources have nothing to brief on for this date.' })]);
  });

  test('too big for one message: whole quotes are left out, least important first, and the footer says how many', () => {
    const d = digest({ points: 320, newDocs: 5, newQuote: 600, indicators: 5, indicator: 300 });
    const all = [...d.newSince.flatMap((n) => n.quotes), ...d.points.map((p) => p.quote), ...d.indicators];
    const { embeds } = renderDigest(d);
    expectWithinLimits(embeds!);
    const shown = embeds!.flatMap((e) => e.fields ?? []).map((f) => unquote(f.value));
    // Every field is one whole quote: nothing is cut.
    for (const text of shown) expect(all.map((q) => q.text)).toContain(text);
    const left = all.length - shown.length;
    expect(left).toBeGreaterThan(0);
    expect(embeds!.at(-1)!.footer!.text).toContain(`${left} more quotes left out to fit one Discord message`);
    // The points survive; the second passages of new documents go first; every new document stays listed.
    for (const p of d.points) expect(shown).toContain(p.quote.text);
    for (const n of d.newSince) expect(shown).not.toContain(n.quotes[1].text);
    expect(shown).toContain(d.newSince[0].quotes[0].text);
    for (const n of d.newSince) expect(embeds![1].description).toContain(n.document.title);
  });

  test('a quote longer than a field is split at sentences across fields, each part labelled', () => {
    const long = sentence('long', 1800);
    const d = digest({ points: 100, newDocs: 0, newQuote: 0, indicators: 0, indicator: 0 });
    d.points[0] = { ...d.points[0], quote: quote('base.md', 'Long section', long) };
    const { embeds } = renderDigest(d);
    expectWithinLimits(embeds!);
    const parts = embeds![1].fields!.filter((f) => f.name.startsWith('Trust deficit'));
    expect(parts.map((f) => f.name.replace(/.*\(/, '('))).toEqual(['(part 1 of 2)', '(part 2 of 2)']);
    const joined = parts.map((f) => unquote(f.value)).join(' ');
    expect(joined.replaceAll(CUT_MARK, '').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
  });

  test('markdown in document titles is escaped in the list of new documents', () => {
    const d = digest({ points: 100, newDocs: 1, newQuote: 100, indicators: 0, indicator: 0 });
    d.newSince[0].document.title = 'The *real* __story__';
    expect(renderDigest(d).embeds![1].description).toContain('**The \\*real\\* \\_\\_story\\_\\_**');
  });
});
