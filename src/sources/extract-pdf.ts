// A PDF -> a draft document. unpdf (PDF.js) gives positioned text items per page; lines are rebuilt
// from their positions, then joined into paragraphs the way a reader sees them: a blank line's worth
// of vertical space, a change of type size or a sentence ending a page closes a paragraph; a word
// hyphenated across a line break is whole again; running headers, footers and page numbers go.
import { extractTextItems, getDocumentProxy, getMeta, type StructuredTextItem } from 'unpdf';
import type { Draft, ExtractedDocument } from './extracted.js';

interface Line {
  text: string;
  /** Baseline, in PDF units from the bottom of the page. */
  y: number;
  size: number;
}

interface Block {
  lines: Line[];
  size: number;
}

// PDF.js's own exception names for a file it cannot open; anything else thrown is a bug of ours.
const FAILURES: Record<string, string> = {
  InvalidPDFException: 'the file is damaged or is not a PDF',
  PasswordException: 'it is protected by a password',
  XRefParseException: 'the file is damaged',
  XRefEntryException: 'the file is damaged',
  ParserEOFException: 'the file is cut short',
  FormatException: 'the file is damaged',
  UnknownErrorException: 'the file is damaged',
};

/** Why PDF.js could not read a file, when the error is PDF.js saying so. */
export function pdfFailure(e: unknown): string | undefined {
  const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  return typeof name === 'string' && Object.hasOwn(FAILURES, name) ? FAILURES[name] : undefined;
}

export async function extractPdf(body: Buffer): Promise<Draft> {
  // A copy: PDF.js may transfer (detach) the buffer it is handed. Verbosity 0: errors only, no console chatter.
  const pdf = await getDocumentProxy(new Uint8Array(body), { verbosity: 0 });
  try {
    // The info dictionary is optional; a damaged one costs the title and date, not the text.
    const { info } = await getMeta(pdf).catch(() => ({ info: {} as Record<string, unknown> }));
    const { items } = await extractTextItems(pdf);
    const pages = withoutRunningLines(items.map(pageLines));
    const blocks = paragraphBlocks(pages);
    const bodySize = commonSize(blocks);
    let title = usableTitle(info?.Title);
    const first = blocks[0] ? joinLines(blocks[0].lines) : '';
    if (!title && first.length <= 150) title = first;
    if (title && blocks.length && sameText(first, title)) blocks.shift();
    const sections: ExtractedDocument['sections'] = [{ paragraphs: [] }];
    for (const block of blocks) {
      const text = joinLines(block.lines);
      if (isHeading(block, text, bodySize)) sections.push({ heading: text, paragraphs: [] });
      else sections[sections.length - 1].paragraphs.push(text);
    }
    const created = typeof info?.CreationDate === 'string' ? [info.CreationDate] : [];
    return { title, dates: created, sections };
  } finally {
    await pdf.destroy();
  }
}

/** A page's items -> its lines, top to bottom as the file draws them; items on one baseline are one line. */
function pageLines(items: StructuredTextItem[]): Line[] {
  const lines: Line[] = [];
  let parts: string[] = [];
  let line: Line | undefined;
  let xEnd = 0;
  const close = () => {
    if (line) line.text = parts.join('').replace(/\s+/g, ' ').trim();
    if (line?.text) lines.push(line);
  };
  for (const item of items) {
    if (!item.str) continue; // PDF.js's empty end-of-line markers: positions tell lines apart
    const size = item.fontSize || item.height || 1;
    if (line && Math.abs(item.y - line.y) <= Math.max(line.size, size) * 0.5) {
      const gap = item.x - xEnd;
      if (gap > size * 0.15 && !/\s$/.test(parts[parts.length - 1]) && !/^\s/.test(item.str)) parts.push(' ');
      parts.push(item.str);
      line.size = Math.max(line.size, size);
    } else {
      close();
      parts = [item.str];
      line = { text: '', y: item.y, size };
    }
    xEnd = item.x + item.width;
  }
  close();
  return lines;
}

const PAGE_NUMBER = /^(?:page\s+)?[-–—(]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—)]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;
/** How many lines at the top and bottom of a page may be a running header or footer. */
const EDGE_LINES = 2;

/** Drops page numbers and the header and footer lines that repeat (numbers aside) on at least half the pages. */
function withoutRunningLines(pages: Line[][]): Line[][] {
  const key = (l: Line) => l.text.toLowerCase().replace(/\d+/g, '#');
  const isEdge = (i: number, n: number) => i < EDGE_LINES || i >= n - EDGE_LINES;
  const seen = new Map<string, number>();
  for (const lines of pages) {
    const keys = new Set(lines.filter((_, i) => isEdge(i, lines.length)).map(key));
    for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const enough = Math.max(2, Math.ceil(pages.length / 2));
  return pages.map((lines) => lines.filter((l, i) => !isEdge(i, lines.length) || (!PAGE_NUMBER.test(l.text) && (seen.get(key(l)) ?? 0) < enough)));
}

/** The usual distance between baselines of body text, for telling a paragraph gap from a line break. */
function lineSpacing(pages: Line[][]): number {
  const gaps: number[] = [];
  for (const lines of pages) for (let i = 1; i < lines.length; i++) if (lines[i - 1].y - lines[i].y > 0) gaps.push(lines[i - 1].y - lines[i].y);
  gaps.sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
}

const SENTENCE_END = new Set([...'.!?:;"”’)']);

function paragraphBlocks(pages: Line[][]): Block[] {
  const spacing = lineSpacing(pages);
  const blocks: Block[] = [];
  let block: Block | undefined;
  for (const lines of pages) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const prev = i > 0 ? lines[i - 1] : undefined;
      let breaks: boolean;
      if (!block) breaks = true;
      else {
        const changedSize = Math.abs(line.size - block.size) > block.size * 0.1;
        // The first line of a page continues the paragraph before unless that one ended a sentence.
        const dy = prev ? prev.y - line.y : 0;
        breaks = changedSize || (prev ? dy <= 0 || dy > Math.max(spacing, line.size) * 1.4 : SENTENCE_END.has(block.lines[block.lines.length - 1].text.slice(-1)));
      }
      if (breaks) {
        block = { lines: [line], size: line.size };
        blocks.push(block);
      } else block!.lines.push(line);
    }
  }
  return blocks;
}

/** The body text's size: the one most of the characters are set in. */
function commonSize(blocks: Block[]): number {
  const chars = new Map<number, number>();
  for (const b of blocks) for (const l of b.lines) chars.set(Math.round(l.size * 10) / 10, (chars.get(Math.round(l.size * 10) / 10) ?? 0) + l.text.length);
  let best = 0;
  let most = -1;
  for (const [size, n] of chars) if (n > most) [best, most] = [size, n];
  return best;
}

const SMALL_WORDS = new Set('a an and as at but by for from in into nor of on or over per the to up via vs with'.split(' '));

/**
 * Conservative: a line standing alone, short, not ending like a sentence, and either set larger
 * than the body, in capitals, or in title case over at least two words.
 */
function isHeading(block: Block, text: string, bodySize: number): boolean {
  if (block.lines.length !== 1 || text.length > 90 || /[.,;:!?]$/.test(text) || !/\p{L}/u.test(text)) return false;
  const words = text.split(' ');
  if (words.length > 12) return false;
  if (block.size >= bodySize * 1.15) return true;
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 4 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return true;
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w));
  const titleCase = words.every((w, i) => /^[\p{Lu}\d"“‘'(]/u.test(w) || (i > 0 && SMALL_WORDS.has(w.toLowerCase())));
  return titleCase && capitalised.length >= 2;
}

/** Lines -> one paragraph; "negoti-" + "ations" is one word again, "US-" + "Iran" keeps its hyphen. */
function joinLines(lines: Line[]): string {
  const parts: string[] = [];
  for (const { text } of lines) {
    // Only the last two characters are looked at: a paragraph may be many lines joined this way.
    const last = parts.length ? parts[parts.length - 1] : '';
    const end = last.slice(-2);
    if (!last) parts.push(text);
    else if (/^\p{Ll}[-\u00ad]$/u.test(end) && /^\p{Ll}/u.test(text)) parts[parts.length - 1] = last.slice(0, -1) + text;
    else if (/^\p{L}-$/u.test(end)) parts[parts.length - 1] = last + text;
    else parts.push(text);
  }
  return parts.join(' ');
}

/** A document's Title field, unless it is the name of a file or a word processor's placeholder. */
function usableTitle(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.replace(/\s+/g, ' ').trim();
  if (!t || /^(?:untitled|document\d*|microsoft word\b)|\.(?:docx?|pdf|indd|odt|rtf|pages)$/i.test(t)) return undefined;
  return t;
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}
