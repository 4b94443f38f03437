// A digest as one Slack message: parts in order, Slack's limits respected at the composer's maxima
// and beyond, every piece of source text escaped, and when blocks run out, whole quotes left out
// (least important first) with a line saying how many.
import { describe, expect, test } from 'vitest';
import { digestTitle, INDICATORS_HEADING, NEW_SINCE_HEADING, POINTS_HEADING } from '../../adapters/shared/digest-card.js';
import { HEADER_MAX, MAX_BLOCKS, renderDigest, TEXT_MAX } from '../../adapters/slack/render.js';
import { MAX_INDICATORS, MAX_NEW_DOCUMENTS, MAX_POINTS, QUOTES_PER_NEW_DOCUMENT } from '../../src/digest/compose.js';
import type { Digest } from '../../src/digest/types.js';
import type { Quote, Topic } from '../../src/types.js';
import { unescapeQuote } from './digest-harness.js';

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

function digest(sizes: { points: number; newDocs: number; newQuotes?: number; newQuote: number; indicators: number; indicator: number }): Digest {
  const titles: Record<string, string> = { 'base.md': 'Muscat Talks: A Fragile Opening' };
  const newSince = Array.from({ length: sizes.newDocs }, (_, d) => {
    const id = `new-${d}.md`;
    titles[id] = `New analysis ${d}`;
    const document = { id, title: `New analysis ${d}`, source: `Think tank ${d}`, published: `2026-03-1${d % 10}`, sections: ['Body'] };
    return {
      document,
      quotes: Array.from({ length: sizes.newQuotes ?? 2 }, (_, j) => quote(id, `Section ${j}`, sentence(`new ${d}.${j}`, sizes.newQuote), document.source, document.published)),
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

const sections = (blocks: any[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text.text as string);
/** The quote lines of a section, as the reader sees them. */
const quoted = (text: string) => unescapeQuote(text.split('\n').filter((l) => l.startsWith('> ')).join('\n'));

function expectWithinLimits(m: { text: string; blocks: any[] }): void {
  expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  expect(m.text.length).toBeLessThanOrEqual(TEXT_MAX);
  expect(m.text.length).toBeGreaterThan(0);
  for (const b of m.blocks) {
    if (b.type === 'section') expect(b.text.text.length).toBeLessThan(3000);
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(HEADER_MAX);
    if (b.type === 'context') for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(3000);
    // Nothing we did not write is parsed by Slack (no auto-linked names, no bare mentions).
    for (const t of b.type === 'context' ? b.elements : b.type === 'section' ? [b.text] : []) expect(t.verbatim).toBe(true);
  }
}

describe('renderDigest', () => {
  test('a typical digest: dated header, new documents first, then points labelled by topic, then indicators; each quote with outlet, date and section', () => {
    const d = digest({ points: 250, newDocs: 1, newQuote: 200, indicators: 2, indicator: 200 });
    const m = renderDigest(d);
    expectWithinLimits(m);
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'US–Iran nuclear talks: daily briefing, Tuesday 10 March 2026', emoji: false } });
    const s = sections(m.blocks);
    expect(s.filter((t) => /^\*[^*]+\*$/.test(t))).toEqual([`*${NEW_SINCE_HEADING}*`, `*${POINTS_HEADING}*`, `*${INDICATORS_HEADING}*`]);
    // A new document shows its outlet and date the way its quotes do.
    expect(s[1]).toMatch(/^• \*New analysis 0\* — Think tank 0, 10 Mar 2026\n> /);
    const quotes = [...d.newSince[0].quotes, ...d.points.map((p) => p.quote), ...d.indicators];
    expect(s.filter((t) => t.includes('> ')).map(quoted)).toEqual(quotes.map((q) => q.text));
    const points = s.filter((t) => t.includes('> ') && !t.startsWith('•')).slice(1, 7);
    expect(points.map((t) => t.split('\n')[0])).toEqual(topics.map((t) => `*${t.label}*`));
    // Under each quote, its outlet (the title where there is none), its date (none where there is none) and section.
    const sources = m.blocks.filter((b: any) => b.type === 'context').map((b: any) => b.elements[0].text);
    expect(sources.slice(0, quotes.length)).toEqual([
      '— Think tank 0, 10 Mar 2026 · Section 0',
      '— Think tank 0, 10 Mar 2026 · Section 1',
      ...topics.map((t) => `— Muscat Review, 9 Feb 2026 · Section on ${t.label}`),
      '— Muscat Talks: A Fragile Opening · Five Indicators',
      '— Muscat Talks: A Fragile Opening · Five Indicators',
    ]);
    expect(sources.at(-1)).toMatch(/quoted word for word/);
    expect(m.text.split('\n')[0]).toBe(digestTitle(d.date));
    expect(m.text).toContain('New since the last briefing: New analysis 0');
  });

  test('Slack control characters in sources are escaped everywhere, so nothing can ping or link', () => {
    const d = digest({ points: 100, newDocs: 1, newQuote: 100, indicators: 1, indicator: 100 });
    d.points[0] = { ...d.points[0], quote: quote('base.md', 'Q&A <b>', 'Alert <!channel> and <@U123>, see <https://evil.example|here> & more.') };
    d.newSince[0].document.title = 'The <!here> report & *notes*';
    d.titles['new-0.md'] = d.newSince[0].document.title;
    const m = renderDigest(d);
    const json = JSON.stringify(m);
    expect(json).not.toMatch(/<[!@#h]/);
    expect(sections(m.blocks).find((t) => t.includes('Alert'))).toContain('> Alert &lt;!channel&gt; and &lt;@U123&gt;, see &lt;https://evil.example|here&gt; &amp; more.');
    expect(quoted(sections(m.blocks).find((t) => t.includes('Alert'))!)).toBe(d.points[0].quote.text);
    expect(json).toContain('The &lt;!here&gt; report &amp; *notes*');
    expect(m.text).toContain('Alert &lt;!channel&gt;');
  });

  test('at the composer’s maxima everything fits in one message, nothing left out', () => {
    const d = digest({ points: 900, newDocs: MAX_NEW_DOCUMENTS, newQuotes: QUOTES_PER_NEW_DOCUMENT, newQuote: 900, indicators: MAX_INDICATORS, indicator: 900 });
    expect(d.points).toHaveLength(MAX_POINTS);
    const m = renderDigest(d);
    expectWithinLimits(m);
    const all = [...d.newSince.flatMap((n) => n.quotes), ...d.points.map((p) => p.quote), ...d.indicators];
    expect(sections(m.blocks).filter((t) => t.includes('> ')).map(quoted)).toEqual(all.map((q) => q.text));
    expect(JSON.stringify(m.blocks)).not.toContain('left out');
  });

  test('more than fits: whole quotes are left out, least important first, every new document stays listed, and the message says how many', () => {
    const d = digest({ points: 200, newDocs: 9, newQuotes: 3, newQuote: 200, indicators: 5, indicator: 200 });
    const all = [...d.newSince.flatMap((n) => n.quotes), ...d.points.map((p) => p.quote), ...d.indicators];
    const m = renderDigest(d);
    expectWithinLimits(m);
    const shown = sections(m.blocks)
      .filter((t) => t.includes('> '))
      .map(quoted);
    for (const text of shown) expect(all.map((q) => q.text)).toContain(text);
    const left = all.length - shown.length;
    expect(left).toBeGreaterThan(0);
    expect(JSON.stringify(m.blocks.at(-1))).toContain(`${left} more quotes left out to fit one Slack message`);
    // The extra passages of new documents go first (the last document's first), so points,
    // indicators and each new document's lead passage all survive.
    for (const q of [...d.points.map((p) => p.quote), ...d.indicators, ...d.newSince.map((n) => n.quotes[0])]) expect(shown).toContain(q.text);
    const extras = d.newSince.flatMap((n) => n.quotes.slice(1)).map((q) => q.text);
    expect(extras.filter((t) => shown.includes(t))).toEqual(extras.slice(0, extras.length - left));
    for (const n of d.newSince) expect(JSON.stringify(m.blocks)).toContain(`*${n.document.title}*`);
  });

  test('a quote longer than a section is cut inside the 3,000-character limit, visibly', () => {
    const d = digest({ points: 100, newDocs: 0, newQuote: 0, indicators: 0, indicator: 0 });
    d.points[0] = { ...d.points[0], quote: quote('base.md', 'Long', sentence('long & <odd>', 5000)) };
    const m = renderDigest(d);
    expectWithinLimits(m);
    expect(sections(m.blocks).find((t) => t.startsWith('*Trust deficit*'))).toMatch(/…$/);
  });

  test('the notes close the message; an empty digest says there is nothing, and only the caller’s note follows', () => {
    const d = digest({ points: 100, newDocs: 0, newQuote: 0, indicators: 0, indicator: 0 });
    const m = renderDigest(d, { note: 'Only you can see this.' });
    expect((m.blocks.at(-1) as any).elements.map((e: any) => e.text)).toEqual([
      'Every point is quoted word for word from the sources, with the outlet, date and section it comes from.',
      'Only you can see this.',
    ]);
    const empty: Digest = { ...d, points: [], newSince: [], indicators: [] };
    const e = renderDigest(empty, { note: 'Only you can see this.' });
    expect(sections(e.blocks)).toEqual(['The sources have nothing to brief on for this date.']);
    expect(e.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Only you can see this.', verbatim: true }] });
  });
});
