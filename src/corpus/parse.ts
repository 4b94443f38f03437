// One file's text -> a Document: title, sections, paragraphs and sentences, every one of them as
// character offsets into the text exactly as read, so a quote is always `text.slice(start, end)`.
import { createHash } from 'node:crypto';
import { sentenceSpans } from '../text/tokens.js';
import type { Document, Paragraph, Section, Span } from '../types.js';
import { FrontMatterError, parseFrontMatter } from './frontmatter.js';

/** An ATX heading's opening: one to six #'s, then a space or a tab. */
const HEADING_OPEN = /^#{1,6}[ \t]/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Line {
  start: number;
  end: number;
  text: string;
}

function lines(text: string, from: number): Line[] {
  const out: Line[] = [];
  let start = from;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const contentEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    out.push({ start, end: contentEnd, text: text.slice(start, contentEnd) });
    if (end === text.length) break;
    start = end + 1;
  }
  return out;
}

/**
 * Splits a paragraph's text into sentence spans shifted by `offset`. Ingest passes one that keeps
 * each sentence's tokens from the same wink-nlp pass (text/tokens.ts sentencesWithTokens).
 */
export type SentenceSplitter = (text: string, offset: number) => Span[];

export function parseDocument(id: string, text: string, bytes: Buffer, split: SentenceSplitter = sentenceSpans): Document {
  const paragraph = (start: number, end: number): Paragraph => ({ start, end, sentences: split(text.slice(start, end), start) });
  const isMarkdown = /\.md$/i.test(id);
  let fields: Record<string, string> = {};
  let bodyStart = 0;
  if (isMarkdown) {
    const fm = parseFrontMatter(text);
    if (fm) ({ fields, bodyStart } = fm);
  }

  const all = lines(text, bodyStart);
  let title = fields.title ?? '';
  // A .txt document takes its title from its first non-empty line, which is not part of the body.
  if (!isMarkdown) {
    const first = all.findIndex((l) => l.text.trim());
    if (first >= 0) {
      title ||= all[first].text.trim();
      all.splice(0, first + 1);
    }
  }

  const sections: Section[] = [];
  let current: Section | undefined;
  let para: { start: number; end: number } | undefined;
  const flush = () => {
    if (para && current) current.paragraphs.push(paragraph(para.start, para.end));
    para = undefined;
  };
  const openSection = (heading: string, at: number) => {
    flush();
    if (current) current.end = lastEnd(current, at);
    current = { title: heading, index: sections.length, start: at, end: at, paragraphs: [] };
    sections.push(current);
  };

  for (const line of all) {
    const h = isMarkdown ? heading(line.text) : undefined;
    if (h) {
      if (h.level === 1 && !title && sections.length === 0) {
        title = h.title;
        continue;
      }
      openSection(h.title, line.start);
      continue;
    }
    if (!line.text.trim()) {
      flush();
      continue;
    }
    if (!current) openSection('', line.start);
    const lead = line.text.length - line.text.trimStart().length;
    const trail = line.text.length - line.text.trimEnd().length;
    if (para) para.end = line.end - trail;
    else para = { start: line.start + lead, end: line.end - trail };
  }
  flush();
  if (current) current.end = lastEnd(current, text.length);

  title ||= id.replace(/\.[^.]+$/, '');
  // Text before the first heading reads as the document's introduction.
  for (const s of sections) if (!s.title) s.title = 'Introduction';
  const published = fields.published ?? fields.date ?? '';
  if (published && !isRealDate(published)) throw new FrontMatterError(`"published" must be a real date like 2026-02-09, got "${published}"`);

  return {
    id,
    title,
    source: fields.source ?? fields.author ?? '',
    published,
    text,
    sections: sections.filter((s) => s.paragraphs.length > 0),
    hash: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * An ATX heading line's level and title (a space or tab after the #'s, and something after that).
 * A closing run of #'s goes only when a space or tab stands before it, as in CommonMark: "## C#"
 * is about C#, "## Talks ##" about talks. Scanned from the end by hand: the pattern
 * `(.+?)[ \t#]*$` it replaces backtracked over every trailing space for every character before
 * them, quadratic in a long run of spaces (100,000 of them took seconds).
 */
export function heading(line: string): { level: number; title: string } | undefined {
  const open = HEADING_OPEN.exec(line);
  if (!open || line.length <= open[0].length) return undefined;
  const level = open[0].length - 1;
  const blank = (i: number) => line[i] === ' ' || line[i] === '\t';
  let end = line.length;
  while (end > level && blank(end - 1)) end--;
  let run = end;
  while (run > level && line[run - 1] === '#') run--;
  if (run < end && blank(run - 1)) end = run;
  return { level, title: line.slice(level, end).trim() };
}

function lastEnd(section: Section, fallback: number): number {
  const p = section.paragraphs[section.paragraphs.length - 1];
  return p ? p.end : fallback;
}

/** YYYY-MM-DD naming a day that exists (2026-02-30 does not). */
function isRealDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
