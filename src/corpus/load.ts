// Reads every .md and .txt document under the corpus folder. A bad file is skipped with one warning
// naming it and why; the rest still load. No usable document at all is an error.
import { closeSync, openSync, readdirSync, readSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { CodedError } from '../errors.js';
import type { Document } from '../types.js';
import { FrontMatterError } from './frontmatter.js';
import { parseDocument, type SentenceSplitter } from './parse.js';

/** A corpus folder that is missing or holds nothing usable: the user's to fix, so shown as it is. */
export class CorpusError extends CodedError {
  override name = 'CorpusError';

  constructor(message: string) {
    super('corpus', message, { userSafe: true });
  }
}

export interface CorpusWarning {
  file: string;
  reason: string;
}

export interface Corpus {
  dir: string;
  documents: Document[];
  warnings: CorpusWarning[];
}

const DOCUMENT = /\.(md|txt)$/i;
/** Files in the corpus folder that configure it rather than being documents. */
export const RESERVED_FILES = new Set(['aliases.txt', 'readme.md']);
/** Larger files are almost certainly not analyses (and would dominate memory). */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface CorpusFile {
  id: string;
  file: string;
  size: number;
  mtimeMs: number;
}

/**
 * A name as a terminal or a chat may show it: control and format characters (a newline that
 * would forge a "warning:" line, a bidi override that reverses the text) written as \u{...}.
 */
export function displayName(name: string): string {
  return name.replace(UNSAFE_IN_NAMES, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

const UNSAFE_IN_NAMES = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** What an entry of the corpus folder is, when it is not a document briefbot reads. */
function skipReason(entry: Dirent, name: string): string | undefined {
  if (name.startsWith('.')) return entry.isDirectory() ? 'a hidden folder (its name starts with a dot)' : 'a hidden file (its name starts with a dot)';
  if (UNSAFE_IN_NAMES.test(name)) return 'its name holds control characters; rename it';
  if (entry.isSymbolicLink()) return 'a symbolic link (briefbot reads only regular files inside the corpus folder)';
  if (entry.isDirectory()) return undefined;
  if (!entry.isFile()) return `not a regular file (${entry.isFIFO() ? 'a named pipe' : entry.isSocket() ? 'a socket' : 'a device'})`;
  if (!DOCUMENT.test(name)) return 'not a .md or .txt file';
  return undefined;
}

/**
 * Document files under `dir`, sorted by id so every build sees them in the same order, and a
 * warning for every entry passed over (hidden, linked, not a regular file, another format).
 */
export function listCorpusFiles(dir: string): { files: CorpusFile[]; skipped: CorpusWarning[] } {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new CorpusError(`corpus folder not found: ${dir}`);
  }
  if (!st.isDirectory()) throw new CorpusError(`corpus path is not a folder: ${dir}`);
  const files: CorpusFile[] = [];
  const skipped: CorpusWarning[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (sub === '' && RESERVED_FILES.has(entry.name.toLowerCase())) continue;
      const why = skipReason(entry, entry.name);
      if (why) skipped.push({ file: displayName(rel), reason: why });
      else if (entry.isDirectory()) walk(rel);
      else {
        const s = statSync(path.join(dir, rel));
        files.push({ id: rel, file: path.join(dir, rel), size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  walk('');
  const byId = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  files.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { files, skipped: skipped.sort(byId) };
}

const TOO_LARGE = `the file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`;

/** Decodes and checks one file's bytes; returns the reason it is unusable, or its text. */
export function readDocumentText(bytes: Buffer): { text: string } | { reason: string } {
  if (bytes.length === 0) return { reason: 'the file is empty' };
  if (bytes.length > MAX_DOCUMENT_BYTES) return { reason: TOO_LARGE };
  if (bytes.includes(0)) return { reason: 'the file looks binary (it contains NUL bytes)' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: 'the file is not valid UTF-8' };
  }
  // A BOM is kept in the text (offsets index the text as read) but must not hide the front matter.
  if (!text.replace(/^\uFEFF/, '').trim()) return { reason: 'the file has no text' };
  return { text };
}

/**
 * A corpus file's bytes and text, read no further than the size limit (a 500 MB file is refused
 * from its size, never read whole), or why it cannot be used.
 */
export function readCorpusFile(file: CorpusFile): { bytes: Buffer; text: string } | CorpusWarning {
  if (file.size > MAX_DOCUMENT_BYTES) return { file: file.id, reason: TOO_LARGE };
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(file.file, 'r');
    // The file may have grown since it was listed: read one byte past the limit to know.
    const buffer = Buffer.alloc(Math.min(MAX_DOCUMENT_BYTES + 1, Math.max(file.size, 0) + 1));
    let n = 0;
    for (let got = -1; got !== 0 && n < buffer.length; n += got) got = readSync(fd, buffer, n, buffer.length - n, n);
    bytes = buffer.subarray(0, n);
  } catch (e) {
    return { file: file.id, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const decoded = readDocumentText(bytes);
  return 'reason' in decoded ? { file: file.id, reason: decoded.reason } : { bytes, text: decoded.text };
}

/** A corpus file's text as a Document, or why it is not one (broken front matter, no paragraphs). */
export function parseCorpusFile(file: CorpusFile, text: string, bytes: Buffer, split?: SentenceSplitter): Document | CorpusWarning {
  try {
    const doc = parseDocument(file.id, text, bytes, split);
    return doc.sections.length ? doc : { file: file.id, reason: 'the file has no paragraphs of text' };
  } catch (e) {
    if (e instanceof FrontMatterError) return { file: file.id, reason: `broken front matter: ${e.message}` };
    throw e;
  }
}

/** No usable document at all: the error names the folder and every file's reason. */
export function noDocuments(dir: string, warnings: CorpusWarning[]): CorpusError {
  const why = warnings.length ? ` (${warnings.map((w) => `${w.file}: ${w.reason}`).join('; ')})` : '';
  return new CorpusError(`no usable documents in ${dir}: add .md or .txt analyses${why}`);
}

export function loadCorpus(dir: string): Corpus {
  const documents: Document[] = [];
  const { files, skipped } = listCorpusFiles(dir);
  const warnings = [...skipped];
  for (const f of files) {
    const read = readCorpusFile(f);
    const r = 'reason' in read ? read : parseCorpusFile(f, read.text, read.bytes);
    if ('reason' in r) warnings.push(r);
    else documents.push(r);
  }
  if (documents.length === 0) throw noDocuments(dir, warnings);
  return { dir, documents, warnings };
}
