// A fetched page or an uploaded file -> the document briefbot files in its corpus: title, outlet,
// date, canonical URL and sections of paragraphs. This file decides what the bytes are and decodes
// their text; each format's reader (extract-html.ts, extract-pdf.ts, corpus-markdown.ts for
// Markdown and plain text) returns a draft, and `finish` applies the rules every format shares, so
// the fallbacks (a title from the first heading or the file name, the outlet from the host) and
// the cleaning are made once.
import { FrontMatterError } from '../corpus/frontmatter.js';
import { CodedError } from '../errors.js';
import { oneLine, readMarkdown, readPlainText } from './corpus-markdown.js';
import { extractHtml } from './extract-html.js';
import { extractPdf, pdfFailure } from './extract-pdf.js';
import type { Draft, ExtractedDocument } from './extracted.js';

export type { Draft, ExtractedDocument };

export type ExtractInput = { body: Buffer; contentType?: string; charset?: string; fileName?: string; url?: string };

export type ExtractErrorCode = 'extract_format' | 'extract_empty' | 'extract_broken';

/** The file is not something briefbot can file; every message is one sentence for the person who added it. */
export class ExtractError extends CodedError {
  override name = 'ExtractError';

  constructor(code: ExtractErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { userSafe: true, cause: options.cause });
  }
}

/** A web page whose article holds less text than this is navigation or a teaser, not an analysis. */
export const MIN_ARTICLE_CHARS = 250;

/** What a format's reader found, before the shared fallbacks and cleaning. */

type Format = 'html' | 'pdf' | 'markdown' | 'text';

export async function extractDocument(input: ExtractInput): Promise<ExtractedDocument> {
  const format = formatOf(input);
  let draft: Draft;
  if (format === 'pdf') {
    try {
      draft = await extractPdf(input.body);
    } catch (e) {
      const why = pdfFailure(e);
      if (why) throw new ExtractError('extract_broken', `The PDF could not be read: ${why}.`, { cause: e });
      throw e;
    }
  } else {
    const declared = input.charset ?? charsetParam(input.contentType);
    const text = decodeText(input.body, format === 'html' ? (declared ?? htmlCharset(input.body)) : declared);
    if (format !== 'html' && text.includes('\0')) throw new ExtractError('extract_broken', 'The file looks binary (it contains NUL bytes), not text.');
    draft = format === 'html' ? extractHtml(text, input.url) : format === 'markdown' ? markdownDraft(text) : readPlainText(text);
  }
  return finish(draft, format, input);
}

const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown', 'application/force-download', 'application/x-download']);
const BY_TYPE: Record<string, Format> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
};
const BY_EXTENSION: Record<string, Format> = { html: 'html', htm: 'html', xhtml: 'html', pdf: 'pdf', md: 'markdown', markdown: 'markdown', txt: 'text', text: 'text' };

/**
 * The server's content type decides, except that PDF bytes are PDF whatever they were labelled and
 * a .md file served as text/plain (as raw file hosts do) is Markdown. A generic type falls to the
 * file name's extension, then the URL's, then a look at the bytes.
 */
function formatOf(input: ExtractInput): Format {
  const magic = input.body.subarray(0, 1029).indexOf('%PDF-');
  if (magic >= 0 && magic < 1024 && !input.body.subarray(0, magic).includes('<')) return 'pdf';
  const type = (input.contentType ?? '').split(';')[0].trim().toLowerCase();
  const fileExt = extensionOf(input.fileName);
  const urlExt = extensionOf(urlPath(input.url));
  const ext = fileExt ?? urlExt;
  if (!GENERIC_TYPES.has(type)) {
    const known = BY_TYPE[type];
    if (known === 'text' && ext && BY_EXTENSION[ext] === 'markdown') return 'markdown';
    if (known) return known;
    if (/[/+]xml$/.test(type) && looksLikeHtml(input.body)) return 'html';
    throw unsupported(type);
  }
  if (ext && BY_EXTENSION[ext]) return BY_EXTENSION[ext];
  if (looksLikeHtml(input.body)) return 'html';
  // A URL's path often ends in .aspx or .php for an ordinary page; only an uploaded file's name is a claim.
  if (fileExt) throw unsupported(`.${fileExt}`);
  if (input.body.subarray(0, 4096).includes(0)) throw unsupported(type || 'binary');
  return 'text';
}

function unsupported(what: string): ExtractError {
  return new ExtractError('extract_format', `briefbot cannot read ${printable(what)} files; add a web page, a PDF, a Markdown or a plain-text file.`);
}

/** A name from outside, short and without control characters, for a message. */
function printable(s: string): string {
  const cleaned = s.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return cleaned.length > 60 ? `${cleaned.slice(0, 60)}…` : cleaned;
}

function extensionOf(name: string | undefined): string | undefined {
  const base = name?.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : undefined;
}

function urlPath(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function looksLikeHtml(body: Buffer): boolean {
  const head = body.subarray(0, 2048).toString('latin1').toLowerCase();
  return /<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]/.test(head);
}

function charsetParam(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
}

function markdownDraft(text: string): Draft {
  try {
    return readMarkdown(text);
  } catch (e) {
    if (e instanceof FrontMatterError) throw new ExtractError('extract_broken', `The Markdown file's front matter is broken: ${e.message}.`, { cause: e });
    throw e;
  }
}

/** The character set a page declares in its first 1024 bytes (<meta charset>, http-equiv, an XML declaration), as browsers prescan it. */
function htmlCharset(body: Buffer): string | undefined {
  const head = body.subarray(0, 1024).toString('latin1');
  const label = (/<meta\s[^>]*charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /^\s*<\?xml\s[^>]*encoding\s*=\s*["']([\w.:-]+)/i.exec(head))?.[1];
  // A page that says UTF-16 in ASCII bytes is not UTF-16 (HTML's encoding sniffing rule).
  return label && /^utf-?16/i.test(label) ? 'utf-8' : label;
}

// Node 20's TextDecoder decodes windows-1252 (and the latin1 labels the web maps to it) as
// ISO-8859-1, leaving 0x80-0x9F as C1 controls; the WHATWG table for those bytes, in order.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** The text in its declared character set (a byte-order mark overrides it, as browsers do); UTF-8 by default. */
function decodeText(body: Buffer, declared: string | undefined): string {
  let label = (declared ?? 'utf-8').trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) label = 'utf-8';
  else if (body[0] === 0xff && body[1] === 0xfe) label = 'utf-16le';
  else if (body[0] === 0xfe && body[1] === 0xff) label = 'utf-16be';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch (e) {
    throw new ExtractError('extract_broken', `The text is in a character set briefbot does not know ("${printable(label)}").`, { cause: e });
  }
  let text: string;
  try {
    text = decoder.decode(body);
  } catch (e) {
    throw new ExtractError('extract_broken', `The text is not valid ${decoder.encoding.toUpperCase()}, so it cannot be read.`, { cause: e });
  }
  if (decoder.encoding === 'windows-1252') text = text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
  return text;
}

function finish(draft: Draft, format: Format, input: ExtractInput): ExtractedDocument {
  let sections: ExtractedDocument['sections'] = [];
  for (const s of draft.sections) {
    const paragraphs = s.paragraphs.map(oneLine).filter(Boolean);
    const heading = s.heading === undefined ? '' : oneLine(s.heading);
    if (paragraphs.length) sections.push(heading ? { heading, paragraphs } : { paragraphs });
  }
  let title = oneLine(draft.title ?? '');
  if (!title && sections[0]?.heading) title = sections[0].heading;
  sections = withoutTitleHeadings(sections, title);
  const chars = sections.reduce((n, s) => n + s.paragraphs.reduce((m, p) => m + p.length, 0), 0);
  if (chars === 0 || (format === 'html' && chars < MIN_ARTICLE_CHARS)) {
    const what = format === 'html' ? 'The page has no article text briefbot can find' : format === 'pdf' ? 'The PDF has no text layer (it may be a scanned image)' : 'The file has no text';
    throw new ExtractError('extract_empty', `${what}.`);
  }
  title ||= nameTitle(input) || sections[0].paragraphs[0].slice(0, 80);
  const url = httpUrl(draft.url, input.url) ?? httpUrl(input.url);
  const source = oneLine(draft.source ?? '') || hostOf(url);
  const published = draft.dates.map(isoDay).find(Boolean);
  return { title, ...(source ? { source } : {}), ...(published ? { published } : {}), ...(url ? { url } : {}), sections };
}

/** Headings that repeat the title are dropped; their paragraphs join the section before. */
function withoutTitleHeadings(sections: ExtractedDocument['sections'], title: string): ExtractedDocument['sections'] {
  const same = title.toLowerCase();
  const out: ExtractedDocument['sections'] = [];
  for (const s of sections) {
    const repeatsTitle = s.heading !== undefined && s.heading.toLowerCase() === same;
    const prev = out[out.length - 1];
    if (repeatsTitle && prev) for (const p of s.paragraphs) prev.paragraphs.push(p);
    else out.push(repeatsTitle ? { paragraphs: s.paragraphs } : s);
  }
  return out;
}

/** "iran-talks_update.txt" or ".../iran-talks-update/" -> "iran talks update". */
function nameTitle(input: ExtractInput): string {
  const fromPath = (p: string | undefined) => {
    const last = (p ?? '').split(/[\\/]/).filter(Boolean).pop() ?? '';
    let name = last.replace(/\.[a-z0-9]{1,8}$/i, '');
    try {
      name = decodeURIComponent(name);
    } catch {
      // A malformed escape stays as written.
    }
    return oneLine(name.replace(/[-_+]+/g, ' '));
  };
  return fromPath(input.fileName) || fromPath(urlPath(input.url)) || hostOf(httpUrl(input.url)) || '';
}

/** An http(s) URL, resolved against `base` when relative; anything else is no URL. */
function httpUrl(value: string | undefined, base?: string): string | undefined {
  if (!value?.trim()) return undefined;
  try {
    const u = new URL(value.trim(), base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}

function hostOf(url: string | undefined): string {
  return url ? new URL(url).hostname.replace(/^www\./, '') : '';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The day a date string names, as written (an ISO time with an offset keeps its own date rather
 * than becoming UTC's): ISO and compact forms, PDF's "D:YYYYMMDD...", "10 March 2026", "March 10, 2026".
 */
export function isoDay(value: string): string | undefined {
  const s = value.trim().slice(0, 80).replace(/^D:/, '');
  let m = /^(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(s) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?!\d)/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})/.exec(s);
  if (m) return realDay(+m[1], +m[2], +m[3]);
  m = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})\b/i.exec(s);
  if (m) return realDay(+m[3], MONTHS.indexOf(m[2].toLowerCase()) + 1, +m[1]);
  m = /\b([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i.exec(s);
  if (m) return realDay(+m[3], MONTHS.indexOf(m[1].toLowerCase()) + 1, +m[2]);
  return undefined;
}

function realDay(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2200 || month < 1) return undefined;
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}
