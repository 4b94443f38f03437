// Turning a fetched page or an uploaded file into a corpus document (R2.5 "Formats"): three news
// and analysis pages with their navigation, ads, related links, newsletter boxes, share buttons,
// comments and cookie banners around the article; a PDF written byte by byte; Markdown and text;
// character sets; the refusals; pages built to be slow; and the Markdown file written from it all.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseFrontMatter } from '../../src/corpus/frontmatter.js';
import { parseDocument } from '../../src/corpus/parse.js';
import { corpusFileName, corpusMarkdown } from '../../src/sources/corpus-markdown.js';
import { capNesting } from '../../src/sources/extract-html.js';
import { ExtractError, extractDocument, isoDay, MIN_ARTICLE_CHARS, type ExtractedDocument, type ExtractInput } from '../../src/sources/extract.js';
import { pdfBytes, typeset, type PdfLine } from './pdf-fixture.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const ADDED = { addedBy: 'slack:U0EDITOR', addedAt: '2026-03-21T10:15:00.000Z' };

interface Expected {
  fixture: string;
  input: Omit<ExtractInput, 'body'>;
  title: string;
  source: string;
  published: string;
  url: string;
  sections: ExtractedDocument['sections'];
  clutter: string[];
}

const expected = (name: string): Expected => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8'));
const html = (body: string, input: Omit<ExtractInput, 'body'> = {}) => extractDocument({ body: Buffer.from(body), contentType: 'text/html', ...input });
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ExtractError);
  expect((e as ExtractError).userSafe).toBe(true);
  return e as ExtractError;
};
const allText = (doc: ExtractedDocument) => [doc.title, doc.source ?? '', ...doc.sections.flatMap((s) => [s.heading ?? '', ...s.paragraphs])].join('\n');
const para = (n: number) => `Paragraph ${n}: negotiators met again in Geneva and went through enrichment caps, inspections and the order of sanctions relief.`;

describe('article pages', () => {
  test.each(['think-tank-analysis', 'wire-story-cp1252', 'blog-post-jsonld'])('%s: metadata, every paragraph under its heading, none of the clutter', async (name) => {
    const want = expected(name);
    const doc = await extractDocument({ body: readFileSync(path.join(FIXTURES, want.fixture)), ...want.input });
    expect({ title: doc.title, source: doc.source, published: doc.published, url: doc.url }).toEqual({ title: want.title, source: want.source, published: want.published, url: want.url });
    expect(doc.sections).toEqual(want.sections);
    const text = allText(doc);
    expect(want.clutter.filter((c) => text.includes(c))).toEqual([]);
  });

  test('the corpus file written from each page reads back through the corpus parser with the same title, outlet, date, headings and paragraphs', async () => {
    for (const name of ['think-tank-analysis', 'wire-story-cp1252', 'blog-post-jsonld']) {
      const want = expected(name);
      const doc = await extractDocument({ body: readFileSync(path.join(FIXTURES, want.fixture)), ...want.input });
      const md = corpusMarkdown(doc, ADDED);
      const parsed = parseDocument(`added/${corpusFileName(doc)}`, md, Buffer.from(md));
      expect([parsed.title, parsed.source, parsed.published]).toEqual([want.title, want.source, want.published]);
      expect(parsed.sections.map((s) => s.title)).toEqual(['Introduction', ...want.sections.slice(1).map((s) => s.heading)]);
      expect(parsed.sections.map((s) => s.paragraphs.map((p) => md.slice(p.start, p.end)))).toEqual(want.sections.map((s) => s.paragraphs));
      expect(parseFrontMatter(md)!.fields).toMatchObject({ url: want.url, added_by: ADDED.addedBy, added_at: ADDED.addedAt });
    }
  });

  test('a page served as-is passes the nesting guard byte for byte', () => {
    for (const name of ['think-tank-analysis', 'blog-post-jsonld']) {
      const page = readFileSync(path.join(FIXTURES, `${name}.html`), 'utf8');
      expect(capNesting(page)).toBe(page);
    }
  });

  test('with no metadata: the title from <title> minus the outlet, the outlet from the host, the URL as fetched, the date from <time>', async () => {
    const page = `<html><head><title>Oman hosts a third round | Gulf Notes</title></head><body><nav><a href="/">Home</a></nav>
      <div class="post"><h1>Oman hosts a third round</h1><p>Posted <time datetime="2026-04-02T09:00:00+04:00">2 April</time></p>
      ${[1, 2, 3].map((n) => `<p>${para(n)}</p>`).join('')}</div></body></html>`;
    const doc = await html(page, { url: 'https://www.gulfnotes.example/2026/04/02/third-round#top' });
    expect(doc).toMatchObject({ title: 'Oman hosts a third round', source: 'gulfnotes.example', published: '2026-04-02', url: 'https://www.gulfnotes.example/2026/04/02/third-round' });
  });

  test('no title anywhere: the first heading becomes the title and leaves the sections; then the URL path', async () => {
    const body = [1, 2, 3].map((n) => `<p>${para(n)}</p>`).join('');
    const headed = await html(`<html><body><div><h2>Centrifuge counts</h2>${body}<h2>Next</h2><p>${para(4)}</p></div></body></html>`);
    expect(headed.title).toBe('Centrifuge counts');
    expect(headed.sections.map((s) => s.heading)).toEqual([undefined, 'Next']);
    const bare = await html(`<html><body><div>${body}</div></body></html>`, { url: 'https://example.test/reports/iran-enrichment_update.html' });
    expect(bare.title).toBe('iran enrichment update');
  });

  test('a page without an article is extract_empty; so is one whose article is shorter than MIN_ARTICLE_CHARS', async () => {
    const nav = `<html><body><nav><ul>${'<li><a href="/x">Section</a></li>'.repeat(30)}</ul></nav><footer>© 2026</footer></body></html>`;
    expect((await refusal(html(nav))).code).toBe('extract_empty');
    const short = `<html><body><article><h1>Brief</h1><p>${'x'.repeat(MIN_ARTICLE_CHARS - 50)}</p></article></body></html>`;
    expect((await refusal(html(short))).code).toBe('extract_empty');
    expect((await refusal(html(''))).code).toBe('extract_empty');
  });

  test('markup without <html> or <body> is read as a body', async () => {
    const doc = await html(`<!doctype html><title>A fragment</title><h2>First</h2>${[1, 2, 3].map((n) => `<p>${para(n)}`).join('')}`);
    expect(doc).toMatchObject({ title: 'A fragment', sections: [{ heading: 'First', paragraphs: [1, 2, 3].map(para) }] });
  });
});

describe('character sets', () => {
  test('windows-1252 bytes decode as the web decodes them (Node 20 reads 0x80-0x9F as controls)', async () => {
    const doc = await extractDocument({ body: readFileSync(path.join(FIXTURES, 'wire-story-cp1252.html')), contentType: 'text/html' });
    expect(allText(doc)).toMatch(/“This is a beginning, not a conclusion,” the agency’s spokeswoman, Ingrid Sølberg/);
    expect(allText(doc)).not.toMatch(/[\u0080-\u009f]/);
  });

  test('the charset the server sends wins over the page; a byte-order mark wins over both', async () => {
    const page = (text: string) => `<html><head><meta charset="windows-1252"></head><body><article><h1>Łódź</h1><p>${text} ${para(1)} ${para(2)}</p></article></body></html>`;
    const latin2 = Buffer.from(page('\u00a3'), 'latin1'); // 0xA3: "£" in windows-1252, "Ł" in ISO-8859-2
    expect(allText(await extractDocument({ body: latin2, contentType: 'text/html', charset: 'iso-8859-2' }))).toContain(`Ł ${para(1)}`);
    expect(allText(await extractDocument({ body: latin2, contentType: 'text/html' }))).toContain(`£ ${para(1)}`);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page('é'))]);
    expect(allText(await extractDocument({ body: bom, contentType: 'text/html; charset=iso-8859-1' }))).toContain(`é ${para(1)}`);
  });

  test('bytes that are not valid in their character set, or a character set nobody knows, are extract_broken', async () => {
    const bad = Buffer.concat([Buffer.from('<html><body><p>'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</p></body></html>')]);
    expect((await refusal(extractDocument({ body: bad, contentType: 'text/html; charset=utf-8' }))).message).toMatch(/not valid UTF-8/);
    expect((await refusal(extractDocument({ body: Buffer.from('hello'), contentType: 'text/plain', charset: 'x-klingon' }))).code).toBe('extract_broken');
  });
});

describe('PDF', () => {
  const header: PdfLine = { text: 'Caspian Policy Review  |  Working Paper 14', y: 760, size: 8 };
  const page1: PdfLine[] = [
    header,
    { text: 'Counting Centrifuges After the Freeze', y: 720, size: 18, bold: true },
    ...typeset(690, [
      'Six weeks into the Salalah framework, the question that matters most is',
      'not how much uranium Iran holds but how many centrifuges it can still',
      'build. This paper sets out what inspectors can count and what they can-',
      'not.',
      '',
      'WHAT INSPECTORS CAN SEE',
      '',
      'Declared enrichment halls are visited under the framework every week.',
      'Component workshops are not, and the agency has had no cameras in them',
      'since 2022.',
      '',
      'The gap matters because rotor production is the bottleneck for any',
      'breakout. A state that can build two thousand advanced rotors a year',
    ]),
    { text: '1', y: 40 },
  ];
  const page2: PdfLine[] = [
    header,
    ...typeset(720, [
      'can replace an entire cascade between two board meetings.',
      { heading: 'Options for the Next Round' },
      'The simplest step is a declared inventory of rotors, checked against the',
      'records of the two known workshops at Isfahan and Karaj. A US-',
      'Iranian side letter could set the schedule.',
    ]),
    { text: 'Page 2 of 2', y: 40 },
  ];
  const sections = [
    { paragraphs: ['Six weeks into the Salalah framework, the question that matters most is not how much uranium Iran holds but how many centrifuges it can still build. This paper sets out what inspectors can count and what they cannot.'] },
    {
      heading: 'WHAT INSPECTORS CAN SEE',
      paragraphs: [
        'Declared enrichment halls are visited under the framework every week. Component workshops are not, and the agency has had no cameras in them since 2022.',
        'The gap matters because rotor production is the bottleneck for any breakout. A state that can build two thousand advanced rotors a year can replace an entire cascade between two board meetings.',
      ],
    },
    { heading: 'Options for the Next Round', paragraphs: ['The simplest step is a declared inventory of rotors, checked against the records of the two known workshops at Isfahan and Karaj. A US-Iranian side letter could set the schedule.'] },
  ];

  test('paragraphs from line gaps, words re-joined across hyphens and pages, headings by size or capitals, running header and page numbers gone', async () => {
    const body = pdfBytes([page1, page2], { Title: 'Counting Centrifuges After the Freeze', CreationDate: "D:20260320093000+03'30'" });
    const doc = await extractDocument({ body, contentType: 'application/pdf', url: 'https://www.caspianreview.example/papers/wp14.pdf' });
    expect(doc).toEqual({ title: 'Counting Centrifuges After the Freeze', source: 'caspianreview.example', published: '2026-03-20', url: 'https://www.caspianreview.example/papers/wp14.pdf', sections });
  });

  test('without an info dictionary the first line is the title; PDF bytes are read as PDF whatever they are labelled', async () => {
    const doc = await extractDocument({ body: pdfBytes([page1, page2]), contentType: 'application/octet-stream', fileName: 'download' });
    expect(doc.title).toBe('Counting Centrifuges After the Freeze');
    expect(doc.published).toBeUndefined();
    expect(doc.sections).toEqual(sections);
  });

  test('a damaged PDF is extract_broken; one with no text layer is extract_empty', async () => {
    const broken = await refusal(extractDocument({ body: Buffer.from(`%PDF-1.7\n${'garbage '.repeat(200)}`), contentType: 'application/pdf' }));
    expect([broken.code, broken.message]).toEqual(['extract_broken', 'The PDF could not be read: the file is damaged or is not a PDF.']);
    expect((await refusal(extractDocument({ body: pdfBytes([page1]).subarray(0, 300), fileName: 'cut.pdf' }))).code).toBe('extract_broken');
    expect((await refusal(extractDocument({ body: pdfBytes([[], []]), fileName: 'scan.pdf' }))).message).toMatch(/no text layer/);
  });
});

describe('Markdown and plain text', () => {
  test('Markdown keeps its own front matter and headings; list and quote markers go; a text/plain .md is Markdown', async () => {
    const md = `---\ntitle: "Salalah: Round Three"\nsource: Gulf Notes\npublished: 2026-04-10\nurl: https://gulfnotes.example/r3\n---\n\n# Salalah: Round Three\n\nThe lead paragraph\nwraps over two lines.\n\n## What changed ##\n\n- Inspections resume.\n- Funds move in tranches.\n\n> "A step," said one envoy.\n\n### C# and other asides\n\n\`\`\`\n# not a heading\n\`\`\`\n`;
    for (const input of [{ contentType: 'text/markdown' }, { contentType: 'text/plain', fileName: 'r3.md' }, { fileName: 'r3.markdown' }]) {
      expect(await extractDocument({ body: Buffer.from(md), ...input })).toEqual({
        title: 'Salalah: Round Three',
        source: 'Gulf Notes',
        published: '2026-04-10',
        url: 'https://gulfnotes.example/r3',
        sections: [
          { paragraphs: ['The lead paragraph wraps over two lines.'] },
          { heading: 'What changed', paragraphs: ['Inspections resume.', 'Funds move in tranches.', '"A step," said one envoy.'] },
          { heading: 'C# and other asides', paragraphs: ['# not a heading'] },
        ],
      });
    }
    expect((await refusal(extractDocument({ body: Buffer.from('---\ntitle: [a, b]\n---\nText.\n'), fileName: 'x.md' }))).code).toBe('extract_broken');
  });

  test('plain text: paragraphs split on blank lines, a short first line is the title, else the file name', async () => {
    const text = 'Envoys meet in Muscat\r\n\r\nThe first paragraph\r\nruns on.\r\n\r\n   \r\nThe second.\n';
    expect(await extractDocument({ body: Buffer.from(text), contentType: 'text/plain' })).toEqual({ title: 'Envoys meet in Muscat', sections: [{ paragraphs: ['The first paragraph runs on.', 'The second.'] }] });
    const long = `${'A first line far too long to be a title, '.repeat(4)}\n\nMore.`;
    expect((await extractDocument({ body: Buffer.from(long), fileName: 'iran-sanctions_brief.txt' })).title).toBe('iran sanctions brief');
    expect((await refusal(extractDocument({ body: Buffer.from('\n  \n'), fileName: 'empty.txt' }))).code).toBe('extract_empty');
    expect((await refusal(extractDocument({ body: Buffer.from('a\0b'), fileName: 'x.txt' }))).message).toMatch(/binary/);
  });

  test('anything else is extract_format, named', async () => {
    expect((await refusal(extractDocument({ body: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' }))).message).toMatch(/cannot read image\/png files/);
    const docx = await refusal(extractDocument({ body: Buffer.from('PK\u0003\u0004'), contentType: 'application/octet-stream', fileName: 'brief.docx' }));
    expect([docx.code, docx.message]).toEqual(['extract_format', 'briefbot cannot read .docx files; add a web page, a PDF, a Markdown or a plain-text file.']);
  });
});

describe('hostile pages finish, and still read right', () => {
  const article = `<h1>Deep page</h1>${[1, 2, 3, 4].map((n) => `<p>${para(n)}</p>`).join('')}<h2>Next steps</h2>${[5, 6].map((n) => `<p>${para(n)}</p>`).join('')}`;
  const shape = [
    { paragraphs: [1, 2, 3, 4].map(para) },
    { heading: 'Next steps', paragraphs: [5, 6].map(para) },
  ];

  test('an article inside 2 MB of nested <div>s keeps its paragraphs and headings', async () => {
    const depth = Math.floor((2 * 1024 * 1024) / 11);
    const doc = await html(`<html><head><title>Deep page</title></head><body>${'<div>'.repeat(depth)}${article}${'</div>'.repeat(depth)}</body></html>`);
    expect([doc.title, doc.sections]).toEqual(['Deep page', shape]);
  });

  test('half a megabyte of nested lists, and of nested tables, before the article', async () => {
    for (const wrapper of ['<ul><li>', '<table><tr><td>']) {
      const doc = await html(`<html><body>${wrapper.repeat(Math.floor(500_000 / wrapper.length))}${article}</body></html>`);
      expect([doc.title, doc.sections]).toEqual(['Deep page', shape]);
    }
  });

  test('2 MB of nested, never-closed elements and nothing else is extract_empty', async () => {
    expect((await refusal(html(`<html><body>${'<div><span>'.repeat(190_000)}x</body></html>`))).code).toBe('extract_empty');
  });

  test('100,000 spaces inside and between paragraphs', async () => {
    const spaces = ' '.repeat(100_000);
    const doc = await html(`<html><body>${spaces}<article>${article.replace('Paragraph 2:', `Paragraph${spaces}2:`)}<p>${spaces}</p></article>${spaces}</body></html>`);
    expect(doc.sections).toEqual(shape);
  });

  test('a class attribute of 200,000 words and a million stray "<"', async () => {
    expect((await html(`<html><body><div class="${'a '.repeat(200_000)}">${article}</div></body></html>`)).sections).toEqual(shape);
    const doc = await html(`<html><body><article>${article}</article><p>${'<'.repeat(1_000_000)}</p></body></html>`);
    expect(doc.sections[1].paragraphs.at(-1)).toHaveLength(1_000_000);
  });
});

describe('the corpus file', () => {
  const doc = (title: string, extra: Partial<ExtractedDocument> = {}): ExtractedDocument => ({ title, sections: [{ paragraphs: ['Text.'] }], ...extra });

  test.each([
    'Iran: "talks" are \'constructive\'',
    '# Not a heading #',
    'Line one\nline two\n---\nline four',
    '--- starts like front matter',
    'null',
    'yes',
    '2026',
    '- [x] {a: b} &anchor *alias !tag %x @y `z` | > <',
    `${'Long title '.repeat(30)}ends here`,
    '  spaced  ',
  ])('title %j reads back exactly through parseFrontMatter', (title) => {
    const md = corpusMarkdown(doc(title, { source: 'Outlet: The "Review"', published: '2026-03-10', url: 'https://example.test/a?b=c#d' }), ADDED);
    expect(parseFrontMatter(md)!.fields).toEqual({ title, source: 'Outlet: The "Review"', published: '2026-03-10', url: 'https://example.test/a?b=c#d', added_by: ADDED.addedBy, added_at: ADDED.addedAt });
  });

  test('paragraphs that would start a Markdown construct are escaped; only the real headings read as headings', () => {
    const risky = ['# not a heading', '###### nor this', '---', '***', '_ _ _', '- not a list', '+ nor this', '* nor this', '1. not a list', '2) nor this', '> not a quote', '```js', '~~~', '<div>not html</div>', '[ref]: https://example.test'];
    const md = corpusMarkdown(doc('Risky', { sections: [{ paragraphs: ['Lead.'] }, { heading: 'Real\nheading', paragraphs: [...risky, 'Line\n\n# split'] }] }), ADDED);
    const parsed = parseDocument('x.md', md, Buffer.from(md));
    expect(parsed.sections.map((s) => [s.title, s.paragraphs.length])).toEqual([['Introduction', 1], ['Real heading', risky.length + 1]]);
    expect(md).toContain('\n\\# not a heading\n\n\\###### nor this\n\n\\---\n\n\\***\n\n\\_ _ _\n\n\\- not a list\n\n\\+ nor this\n\n\\* nor this\n\n1\\. not a list\n\n2\\) nor this\n\n\\> not a quote\n\n\\```js\n\n\\~~~\n\n\\<div>not html</div>\n\n\\[ref]: https://example.test\n\nLine # split\n');
    const plain = ['#hashtags stay', '-1 degrees', '**Bold** start', 'C++ and 3.5 percent'];
    const kept = corpusMarkdown(doc('Plain', { sections: [{ paragraphs: plain }] }), ADDED);
    expect(kept.split('\n---\n')[1]).toBe(`\n${plain.join('\n\n')}\n`);
  });

  test('a date that is not a real day is left out rather than written', () => {
    expect(parseFrontMatter(corpusMarkdown(doc('T', { published: '2026-02-30' }), ADDED))!.fields.published).toBeUndefined();
  });

  test.each([
    [{ title: "Iran says talks 'constructive'", published: '2026-03-10' }, '2026-03-10-iran-says-talks-constructive.md'],
    [{ title: 'Téhéran’s “Ça va” moment: Œuvre of Straße' }, 'undated-teherans-ca-va-moment-oeuvre-of-strasse.md'],
    [{ title: 'CON: AUX? <prn>|*nul*' }, 'undated-con-aux-prn-nul.md'],
    [{ title: 'گفت‌وگوهای مسقط' }, 'undated-document.md'],
  ])('file name for %j', (fields, name) => {
    expect(corpusFileName(doc(fields.title, fields))).toBe(name);
  });

  test('a long title is cut at a word, within 80 characters', () => {
    const name = corpusFileName(doc('Why the interim enrichment freeze negotiated in Salalah could unravel before the June Board of Governors meeting', { published: '2026-03-10' }));
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toBe('2026-03-10-why-the-interim-enrichment-freeze-negotiated-in-salalah-could.md');
    expect(corpusFileName(doc('x'.repeat(200))).length).toBe(80);
  });
});

test('dates read as the day they name, in the time zone they were written in', () => {
  const days = ['2026-03-10T23:30:00-05:00', 'D:20260310120000Z', '2026/3/10', '10 March 2026', 'Tue, 10 Mar 2026 09:00:00 GMT', 'March 10th, 2026', '20260310'].map(isoDay);
  expect(days).toEqual(Array(7).fill('2026-03-10'));
  expect(['2026-02-30', 'soon', '1741600000', ''].map(isoDay)).toEqual([undefined, undefined, undefined, undefined]);
});
