// Front matter is YAML, read by the `yaml` package (R2.4): titles with colons and quotes, comments,
// dates kept as written, and long runs of whitespace read in linear time; richer values are refused
// with the line or field named.
import { describe, expect, test } from 'vitest';
import { FrontMatterError, parseFrontMatter } from '../../src/corpus/frontmatter.js';

const fm = (block: string, body = 'Body.\n') => `---\n${block}\n---\n${body}`;

describe('front matter', () => {
  test('quoted titles with colons and quotes, a comment, and a date kept as written', () => {
    const text = fm(`title: "Oman's Role: \\"Quiet\\" Mediation"\nsource: 'Tidewater: Gulf Monitor' # the outlet\npublished: 2026-03-10\nurl: https://example.test/a?b=c`);
    const r = parseFrontMatter(text)!;
    expect(r.fields).toEqual({ title: 'Oman\'s Role: "Quiet" Mediation', source: 'Tidewater: Gulf Monitor', published: '2026-03-10', url: 'https://example.test/a?b=c' });
    expect(text.slice(r.bodyStart)).toBe('Body.\n');
  });

  test('a value with 150,000 inner spaces is read whole', () => {
    const r = parseFrontMatter(fm(`title: a${' '.repeat(150_000)}b # comment`))!;
    expect(r.fields.title).toBe(`a${' '.repeat(150_000)}b`);
  });

  test('keys are case-insensitive; empty values are empty text; CRLF and a BOM are fine', () => {
    const r = parseFrontMatter('\uFEFF---\r\nTitle: X\r\nsource:\r\n---\r\nBody')!;
    expect(r.fields).toEqual({ title: 'X', source: '' });
    expect('\uFEFF---\r\nTitle: X\r\nsource:\r\n---\r\nBody'.slice(r.bodyStart)).toBe('Body');
  });

  test('no front matter is undefined; unclosed, invalid or non-text values are errors that say where', () => {
    expect(parseFrontMatter('# Just a heading\n')).toBeUndefined();
    expect(() => parseFrontMatter('---\ntitle: x\n')).toThrow(/never closed/);
    expect(() => parseFrontMatter(fm('title: x\nbad: "unclosed'))).toThrow(/front matter line \d+ is not valid YAML/);
    expect(() => parseFrontMatter(fm('title: [a, b]'))).toThrow(/"title" must be text, not a list/);
    expect(() => parseFrontMatter(fm('title: x\ntitle: y'))).toThrow(FrontMatterError);
  });
});
