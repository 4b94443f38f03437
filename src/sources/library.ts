// Adding to and removing from the corpus folder (R2.5). An addition, from a link, a shared file or
// a path, is fetched (safely: fetch.ts), reduced to its text (extract.ts) and written into
// `added/` as a Markdown file with front matter, so the corpus stays plain files a person can read,
// edit or delete. The same URL, or the same text under another name, is never added twice.
// Additions run one at a time: two editors pasting one link at once get one document.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CodedError } from '../errors.js';
import { parseFrontMatter } from '../corpus/frontmatter.js';
import { listCorpusFiles, readCorpusFile } from '../corpus/load.js';
import { parseDocument } from '../corpus/parse.js';
import { corpusFileName, corpusMarkdown } from './corpus-markdown.js';
import { extractDocument, type ExtractInput } from './extract.js';
import { fetchUrl, MAX_FETCH_BYTES } from './fetch.js';
import type { AddRequest, AddedSource, RemovedSource } from './types.js';

/** Where additions are written, inside the corpus folder. */
export const ADDED_FOLDER = 'added';

/** What a link may serve: an article page, a PDF, Markdown or text. */
export const ACCEPTED_TYPES = ['text/html', 'application/xhtml+xml', 'application/pdf', 'text/markdown', 'text/x-markdown', 'text/plain'] as const;

export type LibraryAddOutcome = { kind: 'added'; added: AddedSource } | { kind: 'duplicate'; id: string; title: string; why: 'same_url' | 'same_content' };

export interface LibraryOptions {
  corpusDir: string;
  /** BRIEFBOT_ALLOW_PRIVATE_URLS. */
  allowPrivate: boolean;
  fetch?: typeof fetchUrl;
  now?: () => Date;
}

/** A document already in the folder, as far as telling a duplicate goes. */
interface Known {
  id: string;
  title: string;
  url?: string;
  content: string;
  stamp: string;
}

/**
 * A URL as two links to one article compare: no fragment, no tracking parameters, the host in
 * lower case, no trailing slash on the path. Only for comparing; the URL written is the page's own.
 */
export function comparableUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return raw.trim();
  }
  u.hash = '';
  for (const key of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$|mc_[ce]id$|ref$|ref_src$)/i.test(key)) u.searchParams.delete(key);
  u.searchParams.sort();
  const pathname = u.pathname.length > 1 ? u.pathname.replace(/\/+$/, '') : u.pathname;
  return `${u.protocol}//${u.host.toLowerCase()}${pathname}${u.search}`;
}

/** The body's words, as two copies of one text compare: no front matter, no Markdown marks, no case, one space. */
export function comparableText(text: string): string {
  const fm = parseFrontMatterSafe(text);
  const body = fm ? text.slice(fm.bodyStart) : text;
  return createHash('sha256')
    .update(body.replace(/^\uFEFF/, '').replace(/[#>*_`]+/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase())
    .digest('hex');
}

function parseFrontMatterSafe(text: string): ReturnType<typeof parseFrontMatter> | undefined {
  try {
    return parseFrontMatter(text);
  } catch {
    return undefined;
  }
}

const TYPE_BY_EXTENSION: Record<string, string> = { '.html': 'text/html', '.htm': 'text/html', '.xhtml': 'application/xhtml+xml', '.pdf': 'application/pdf', '.md': 'text/markdown', '.markdown': 'text/markdown', '.txt': 'text/plain' };

/** A local file's bytes, read no further than the fetch cap. */
function readLocalFile(file: string): Buffer {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new CodedError('source_path', `no such file: ${file}`, { userSafe: true });
  }
  if (!st.isFile()) throw new CodedError('source_path', `not a regular file: ${file}`, { userSafe: true });
  if (st.size > MAX_FETCH_BYTES) throw new CodedError('source_too_large', `${file} is larger than ${MAX_FETCH_BYTES / 1024 / 1024} MB`, { userSafe: true });
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(st.size);
    let n = 0;
    for (let got = -1; got !== 0 && n < buffer.length; n += got) got = readSync(fd, buffer, n, buffer.length - n, n);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export class Library {
  private readonly known = new Map<string, Known>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly fetch: typeof fetchUrl;
  private readonly now: () => Date;

  constructor(private readonly options: LibraryOptions) {
    this.fetch = options.fetch ?? fetchUrl;
    this.now = options.now ?? (() => new Date());
  }

  /** Adds one analysis; refusals the user can act on (a private address, no article text) are thrown user-safe. */
  add(request: AddRequest): Promise<LibraryAddOutcome> {
    const next = this.queue.then(() => this.addNow(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async addNow(request: AddRequest): Promise<LibraryAddOutcome> {
    const known = this.scan();
    let input: ExtractInput;
    let fetchedFrom: string | undefined;
    if ('url' in request) {
      const asked = comparableUrl(request.url);
      const same = known.find((k) => k.url !== undefined && comparableUrl(k.url) === asked);
      if (same) return { kind: 'duplicate', id: same.id, title: same.title, why: 'same_url' };
      const page = await this.fetch(request.url, { allowPrivate: this.options.allowPrivate, accept: ACCEPTED_TYPES });
      input = { body: page.body, contentType: page.contentType, charset: page.charset, url: page.url };
      fetchedFrom = page.url;
    } else if ('file' in request) {
      // A chat's link to an upload is private to that workspace: neither the document's address nor its outlet.
      input = { body: request.file.bytes, contentType: request.file.contentType, fileName: request.file.name };
    } else {
      const file = path.resolve(request.path);
      input = { body: readLocalFile(file), contentType: TYPE_BY_EXTENSION[path.extname(file).toLowerCase()], fileName: path.basename(file) };
    }
    const extracted = await extractDocument(input);
    for (const url of [fetchedFrom, extracted.url]) {
      const same = url ? known.find((k) => k.url !== undefined && comparableUrl(k.url) === comparableUrl(url)) : undefined;
      if (same) return { kind: 'duplicate', id: same.id, title: same.title, why: 'same_url' };
    }
    // The address written is the one it was fetched from (after redirects): what the next editor
    // pastes, and what a feed links to, so a repeat is known before anything is fetched. A page's
    // canonical address that differs is caught by its text.
    const doc = fetchedFrom ? { ...extracted, url: fetchedFrom } : extracted;
    const markdown = corpusMarkdown(doc, { addedBy: request.by, addedAt: this.now().toISOString() });
    const content = comparableText(markdown);
    const twin = known.find((k) => k.content === content);
    if (twin) return { kind: 'duplicate', id: twin.id, title: twin.title, why: 'same_content' };
    const id = this.write(corpusFileName(doc), markdown);
    // The sections as the index will have them: the file read back as the loader reads it.
    const sections = parseDocument(id, markdown, Buffer.from(markdown)).sections.map((s) => s.title);
    return { kind: 'added', added: { id, title: doc.title, source: doc.source ?? '', published: doc.published ?? '', ...(doc.url ? { url: doc.url } : {}), sections, bytes: Buffer.byteLength(markdown) } };
  }

  /** Writes the file whole or not at all: a hidden temporary name (the watcher and the loader pass over it), then a rename. */
  private write(fileName: string, markdown: string): string {
    const folder = path.join(this.options.corpusDir, ADDED_FOLDER);
    mkdirSync(folder, { recursive: true });
    const ext = path.extname(fileName);
    const stem = fileName.slice(0, fileName.length - ext.length);
    let name = fileName;
    for (let n = 2; existsSync(path.join(folder, name)); n++) name = `${stem}-${n}${ext}`;
    const temp = path.join(folder, `.${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(temp, markdown, { flag: 'wx' });
    renameSync(temp, path.join(folder, name));
    return `${ADDED_FOLDER}/${name}`;
  }

  /** Removes a document by its id (as `sources` lists it); an id that names no document is refused. */
  remove(id: string): Omit<RemovedSource, 'live'> {
    const wanted = id.trim().replace(/\\/g, '/');
    const file = listCorpusFiles(this.options.corpusDir).files.find((f) => f.id === wanted);
    if (!file) throw new CodedError('source_unknown', `no document with the id "${wanted.slice(0, 200)}"; the sources list shows each one's id`, { userSafe: true });
    const title = this.scan().find((k) => k.id === file.id)?.title ?? file.id;
    rmSync(file.file);
    this.known.delete(file.id);
    return { id: file.id, title };
  }

  /** The folder's documents for telling duplicates: read once each, again only when a file changes. */
  private scan(): Known[] {
    const { files } = listCorpusFiles(this.options.corpusDir);
    const present = new Set(files.map((f) => f.id));
    for (const id of this.known.keys()) if (!present.has(id)) this.known.delete(id);
    const out: Known[] = [];
    for (const f of files) {
      const stamp = `${f.size}:${f.mtimeMs}`;
      let k = this.known.get(f.id);
      if (!k || k.stamp !== stamp) {
        const read = readCorpusFile(f);
        if ('reason' in read) continue;
        const fields = parseFrontMatterSafe(read.text)?.fields ?? {};
        const firstLine = read.text.replace(/^\uFEFF/, '').split('\n', 1)[0].replace(/^#+\s*/, '').trim();
        k = { id: f.id, title: fields.title || firstLine || f.id, ...(fields.url ? { url: fields.url } : {}), content: comparableText(read.text), stamp };
        this.known.set(f.id, k);
      }
      out.push(k);
    }
    return out;
  }
}
