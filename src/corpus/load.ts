// Reads every .md and .txt document under the corpus folder. A bad file is skipped with one warning
// naming it and why; the rest still load. No usable document at all is an error.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CodedError } from '../errors.js';
import type { Document } from '../types.js';
import { FrontMatterError } from './frontmatter.js';
import { parseDocument } from './parse.js';

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

/** Document files under `dir`, sorted by id so every build sees them in the same order. */
export function listCorpusFiles(dir: string): CorpusFile[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new CorpusError(`corpus folder not found: ${dir}`);
  }
  if (!st.isDirectory()) throw new CorpusError(`corpus path is not a folder: ${dir}`);
  const out: CorpusFile[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && DOCUMENT.test(entry.name) && !(sub === '' && RESERVED_FILES.has(entry.name.toLowerCase()))) {
        const s = statSync(path.join(dir, rel));
        out.push({ id: rel, file: path.join(dir, rel), size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  walk('');
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Decodes and checks one file; returns the reason it is unusable, or its text. */
export function readDocumentText(bytes: Buffer): { text: string } | { reason: string } {
  if (bytes.length === 0) return { reason: 'the file is empty' };
  if (bytes.length > MAX_DOCUMENT_BYTES) return { reason: `the file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB` };
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

export function loadDocument(file: CorpusFile): Document | CorpusWarning {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.file);
  } catch (e) {
    return { file: file.id, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  const decoded = readDocumentText(bytes);
  if ('reason' in decoded) return { file: file.id, reason: decoded.reason };
  try {
    const doc = parseDocument(file.id, decoded.text, bytes);
    if (doc.sections.length === 0) return { file: file.id, reason: 'the file has no paragraphs of text' };
    return doc;
  } catch (e) {
    if (e instanceof FrontMatterError) return { file: file.id, reason: `broken front matter: ${e.message}` };
    throw e;
  }
}

export function loadCorpus(dir: string): Corpus {
  const documents: Document[] = [];
  const warnings: CorpusWarning[] = [];
  for (const f of listCorpusFiles(dir)) {
    const r = loadDocument(f);
    if ('reason' in r) warnings.push(r);
    else documents.push(r);
  }
  if (documents.length === 0) {
    const why = warnings.length ? ` (${warnings.map((w) => `${w.file}: ${w.reason}`).join('; ')})` : '';
    throw new CorpusError(`no usable documents in ${dir}: add .md or .txt analyses${why}`);
  }
  return { dir, documents, warnings };
}
