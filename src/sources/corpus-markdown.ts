// Markdown in and out. Out: a document -> the text of its corpus file, YAML front matter written by
// the `yaml` package (so any title, with colons, quotes, '#' or line breaks, reads back the same
// through src/corpus/frontmatter.ts), then the lead, then `## heading` and paragraphs per section,
// each paragraph one line between blank lines: the shape src/corpus/parse.ts reads. In: a Markdown
// or plain-text file someone adds -> a draft of sections, read with the same line rules.
import { stringify } from 'yaml';
import { parseFrontMatter } from '../corpus/frontmatter.js';
import type { Draft, ExtractedDocument } from './extracted.js';

export interface AddedBy {
  addedBy: string;
  /** ISO timestamp. */
  addedAt: string;
}

export function corpusMarkdown(doc: ExtractedDocument, meta: AddedBy): string {
  const fields: Record<string, string> = { title: doc.title };
  if (doc.source) fields.source = doc.source;
  // parse.ts refuses a file whose date is not a real day, so only a real one is written.
  if (doc.published && isRealDay(doc.published)) fields.published = doc.published;
  if (doc.url) fields.url = doc.url;
  fields.added_by = meta.addedBy;
  fields.added_at = meta.addedAt;
  // YAML 1.2 core, as frontmatter.ts reads it: "2026-03-10" stays text, "yes" or "null" get quoted; no folding of long titles.
  const front = stringify(fields, { version: '1.2', schema: 'core', lineWidth: 0 });
  const out = ['---', front.endsWith('\n') ? front.slice(0, -1) : front, '---', ''];
  for (const section of doc.sections) {
    const heading = oneLine(section.heading ?? '');
    const paragraphs = section.paragraphs.map(oneLine).filter(Boolean);
    if (!paragraphs.length) continue;
    if (heading) out.push(`## ${heading}`, '');
    for (const p of paragraphs) out.push(literalLine(p), '');
  }
  return out.join('\n');
}

const THEMATIC_BREAK = /^(?:-{3,}|\*{3,}|_{3,})$/;

/**
 * A paragraph line that Markdown reads as text: a start that would open a heading, quote, list,
 * rule, fence, HTML block or link definition gets one backslash, and nothing else is touched.
 */
function literalLine(p: string): string {
  const opensBlock =
    /^#{1,6}(?:[ \t]|$)/.test(p) ||
    /^(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|`{3}|~{3}|<[a-zA-Z/!?])/.test(p) ||
    THEMATIC_BREAK.test(p.replace(/[ \t]/g, '')) ||
    /^\[[^\]\n]{0,999}\]:/.test(p);
  if (!opensBlock) return p;
  const ordered = /^(\d{1,9})([.)])/.exec(p);
  return ordered ? `${ordered[1]}\\${p.slice(ordered[1].length)}` : `\\${p}`;
}

const TRANSLITERATE: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };
const MAX_NAME = 80;

/** "2026-03-10-iran-says-talks-constructive.md": the date (or "undated") and the title in ASCII, at most 80 characters, safe on every file system. */
export function corpusFileName(doc: ExtractedDocument): string {
  const date = doc.published && isRealDay(doc.published) ? doc.published : 'undated';
  const ascii = doc.title
    .toLowerCase()
    .replace(/[ßæøœđðłþı]/g, (c) => TRANSLITERATE[c])
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['’`]/g, '');
  const words = ascii.split(/[^a-z0-9]+/).filter(Boolean);
  const room = MAX_NAME - date.length - '-'.length - '.md'.length;
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > room) {
      if (!slug) slug = w.slice(0, room);
      break;
    }
    slug = next;
  }
  return `${date}-${slug || 'document'}.md`;
}

function isRealDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

// Characters that are not text a person reads: C0/C1 controls other than whitespace, soft hyphens,
// zero-width spaces and joiners, word joiners and stray byte-order marks.
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200d\u2060\ufeff]/g;

/** One line of readable text: invisible characters gone, every run of whitespace one space. */
export function oneLine(s: string): string {
  return s.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * A Markdown file keeps its own front matter fields and headings; a `#` heading before any text is
 * the title. List and quote markers are Markdown, not text. Broken front matter throws
 * FrontMatterError.
 */
export function readMarkdown(text: string): Draft {
  const fm = parseFrontMatter(text);
  const fields = fm?.fields ?? {};
  const draft: Draft = { title: fields.title, source: fields.source || fields.author, dates: [fields.published, fields.date].filter((d): d is string => !!d), url: fields.url, sections: [] };
  let para: string[] = [];
  let fence = '';
  const flush = () => {
    if (!para.length) return;
    if (!draft.sections.length) draft.sections.push({ paragraphs: [] });
    draft.sections[draft.sections.length - 1].paragraphs.push(para.join(' '));
    para = [];
  };
  for (const raw of text.slice(fm?.bodyStart ?? 0).split('\n')) {
    const line = raw.trim();
    if (fence) {
      if (line.startsWith(fence)) {
        fence = '';
        flush();
      } else para.push(line);
      continue;
    }
    if (line.startsWith('```') || line.startsWith('~~~')) {
      flush();
      fence = line.slice(0, 3);
      continue;
    }
    const heading = atxHeading(line);
    if (heading) {
      flush();
      if (heading.level === 1 && !draft.title && !draft.sections.length) draft.title = heading.text;
      else draft.sections.push({ heading: heading.text, paragraphs: [] });
    } else if (!line || THEMATIC_BREAK.test(line.replace(/[ \t]/g, ''))) {
      flush();
    } else {
      const item = /^(?:[-*+]|\d{1,9}[.)]|>)[ \t]+/.exec(line);
      if (item) flush();
      para.push(item ? line.slice(item[0].length) : line);
    }
  }
  flush();
  return draft;
}

/** `## Heading ##` -> level and text, read without a regular expression over the line's length. */
function atxHeading(line: string): { level: number; text: string } | undefined {
  let level = 0;
  while (level < line.length && line[level] === '#') level++;
  if (level < 1 || level > 6 || (line.length > level && line[level] !== ' ' && line[level] !== '\t')) return undefined;
  let end = line.length;
  while (end > level && line[end - 1] === '#') end--;
  // A closing run of #s counts only after a space ("C#" keeps its #).
  if (end < line.length && end > level && line[end - 1] !== ' ' && line[end - 1] !== '\t') end = line.length;
  const text = line.slice(level, end).trim();
  return text ? { level, text } : undefined;
}

/** Plain text: paragraphs are separated by blank lines; a first line of up to 120 characters is the title. */
export function readPlainText(text: string): Draft {
  const draft: Draft = { dates: [], sections: [{ paragraphs: [] }] };
  const paragraphs = draft.sections[0].paragraphs;
  let para: string[] = [];
  let first = true;
  for (const line of text.split('\n')) {
    if (line.trim()) {
      if (first && oneLine(line).length <= 120) draft.title = line;
      else para.push(line);
      first = false;
    } else if (para.length) {
      paragraphs.push(para.join(' '));
      para = [];
    }
  }
  if (para.length) paragraphs.push(para.join(' '));
  return draft;
}
