// One corpus file -> what the index caches of it: its parsed entry (the document, its text
// included, and chunk offsets), each chunk's sentence tokens and lexical terms, and, with the local
// embedder, its chunk vectors. The same functions run on the main thread and in the ingest threads
// (ingest-pool.ts), so a document parsed in either is the same document.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseCorpusFile, readCorpusFile, type CorpusFile, type CorpusWarning } from '../corpus/load.js';
import { sentencesWithTokens, sentenceTokens, terms, type SentenceTokens } from '../text/tokens.js';
import type { Document } from '../types.js';
import { writeAtomicAsync } from './cache-files.js';
import { encodeDocFile, readDocEntry, type DocFileLayout } from './doc-cache-file.js';
import { chunkDocument, type Chunk } from './chunk.js';
import type { LocalWordVectorEmbeddings } from './embedder-local.js';

/** Part of the vector graph's cache key too: points cached under another version may be other chunks. */
export const DOC_CACHE_VERSION = 10;

export type CachedChunkFields = Omit<Chunk, 'text' | 'id' | 'sentenceTokens'>;

/**
 * The document's text is cached with its entry (a part of its own in the file, doc-cache-file.ts):
 * an unchanged file is then never read again (file-manifest.ts), and the text always matches the
 * offsets cached beside it.
 */
export interface DocCacheEntry {
  version: number;
  doc: Document;
  chunks: CachedChunkFields[];
}

/** A document's cache file: keyed by its id and content hash (the same bytes under another name are another document). */
export function docCacheFile(cacheDir: string, id: string, hash: string): string {
  return path.join(cacheDir, `${createHash('sha256').update(`${id}\0${hash}`).digest('hex').slice(0, 32)}.doc`);
}

/** A document's cache: its file, and where in it each part lies. */
export interface DocCache {
  file: string;
  layout: DocFileLayout;
}

export interface ParsedDocument {
  entry: DocCacheEntry;
  /** Per chunk, per sentence. */
  tokens: SentenceTokens[][];
  /** Per chunk: its lexical terms. */
  stems: string[][];
}

/**
 * A corpus file looked up: why it is not a document, its cached entry (`read`: whether the file
 * was read to find it), or its bytes to parse.
 */
export type LookedUp = { warning: CorpusWarning } | { hash: string; cache: DocCache; entry: DocCacheEntry; read: boolean } | { hash: string; file: string; bytes: Buffer; text: string };

/**
 * A corpus file's cache entry, straight from `known` (the hash the file had when it was last read,
 * when its size and time are still those: file-manifest.ts), or else from the file read and hashed;
 * its bytes when it has none (`fresh`: a rebuild, or a cache folder with no document yet, where
 * none is looked for).
 */
export function lookUp(file: CorpusFile, cacheDir: string, fresh?: boolean, known?: string): LookedUp {
  if (known !== undefined && !fresh) {
    const cached = cachedEntry(docCacheFile(cacheDir, file.id, known));
    // An entry gone or damaged: the file is read as if it had changed.
    if (cached && cached.entry.doc.hash === known) return { hash: known, ...cached, read: false };
  }
  const read = readCorpusFile(file);
  if ('reason' in read) return { warning: read };
  const hash = createHash('sha256').update(read.bytes).digest('hex');
  const cacheFile = docCacheFile(cacheDir, file.id, hash);
  const cached = fresh ? undefined : cachedEntry(cacheFile);
  return cached ? { hash, ...cached, read: true } : { hash, file: cacheFile, ...read };
}

/**
 * What reading one corpus file gives the index: a warning (`parsed`: one from parsing it, not from
 * reading it), or its cache entry and hash (`read`: the file was read to find them), with what it
 * was parsed into (its chunk terms and vectors) when it had no cached entry. `embed` makes the
 * chunk vectors; the cache write goes to `writing`.
 */
export type FileResult = { warning: CorpusWarning; parsed: boolean } | { hash: string; entry: DocCacheEntry; cache: DocCache; read: boolean; stems?: string[][]; vectors?: Float32Array };

export async function readForIndex(
  file: CorpusFile,
  at: { cacheDir: string; fresh?: boolean; known?: string },
  embed: (parsed: ParsedDocument) => Float32Array | Promise<Float32Array>,
  writing: (write: Promise<void>) => void,
): Promise<FileResult> {
  const found = lookUp(file, at.cacheDir, at.fresh, at.known);
  if ('warning' in found) return { warning: found.warning, parsed: false };
  if ('entry' in found) return { hash: found.hash, entry: found.entry, cache: found.cache, read: found.read };
  const parsed = parseForIndex(file, found.text, found.bytes);
  if ('reason' in parsed) return { warning: parsed, parsed: true };
  const vectors = await embed(parsed);
  const { text, ...doc } = parsed.entry.doc;
  const entry = JSON.stringify({ ...parsed.entry, doc });
  const { bytes, layout } = encodeDocFile({ entry, text, vectors, stems: JSON.stringify(parsed.stems), tokens: JSON.stringify(parsed.tokens) });
  writing(writeAtomicAsync(found.file, bytes));
  // The sentence tokens are let go once written: most of a document's cache, needed only to score
  // its sentences (read back then), they were kept for every document parsed on the main thread:
  // the heap after a cold ingest of synthetic 10k was 79 MB with them, 51 MB without (bench/).
  return { hash: found.hash, entry: parsed.entry, cache: { file: found.file, layout }, read: true, stems: parsed.stems, vectors };
}

/** A document's cache entry, when its file holds one of this version. */
export function cachedEntry(file: string): { entry: DocCacheEntry; cache: DocCache } | undefined {
  const read = readDocEntry(file);
  if (!read) return undefined;
  let entry: DocCacheEntry;
  try {
    entry = JSON.parse(read.entry) as DocCacheEntry;
  } catch {
    return undefined;
  }
  if (!entry || entry.version !== DOC_CACHE_VERSION || typeof entry.doc !== 'object' || !entry.doc) return undefined;
  entry.doc.text = read.text;
  return { entry, cache: { file, layout: read.layout } };
}

/** A corpus file's text parsed, chunked and tokenised, or why it is not a document. */
export function parseForIndex(file: CorpusFile, text: string, bytes: Buffer): ParsedDocument | CorpusWarning {
  // One wink-nlp pass per paragraph finds its sentences and their tokens, which then serve the
  // sentence scorer, BM25 and the local embedding alike: tokenising each chunk three times kept
  // ingest near 200 chunks/s, and each sentence again after splitting its paragraph near 500.
  const bySentence = new Map<number, SentenceTokens>();
  const doc = parseCorpusFile(file, text, bytes, (t, offset) => {
    const split = sentencesWithTokens(t, offset);
    split.spans.forEach((sp, i) => bySentence.set(sp.start, split.tokens[i]));
    return split.spans;
  });
  if ('reason' in doc) return doc;
  const chunks = chunkDocument(doc);
  const tokens = tokenizeChunks(doc.text, chunks, bySentence);
  const entry: DocCacheEntry = {
    version: DOC_CACHE_VERSION,
    doc,
    chunks: chunks.map(({ text: _t, id: _i, sentenceTokens: _s, ...c }) => c),
  };
  return { entry, tokens, stems: chunkStems(tokens, chunks) };
}

/** Per chunk, per sentence, its tokens: those of the parsing pass when given (keyed by sentence start). */
export function tokenizeChunks(text: string, chunks: readonly Pick<Chunk, 'sentences'>[], known?: Map<number, SentenceTokens>): SentenceTokens[][] {
  // A paragraph with no sentence found is one chunk of one span, tokenised here.
  return chunks.map((c) => c.sentences.map((sp) => known?.get(sp.start) ?? sentenceTokens(text.slice(sp.start, sp.end))));
}

/** A chunk's lexical terms include its section heading: a question naming the topic finds it. */
export function chunkStems(tokens: SentenceTokens[][], chunks: readonly Pick<Chunk, 'section'>[]): string[][] {
  const headings = new Map<string, string[]>();
  return tokens.map((t, j) => {
    const section = chunks[j].section;
    let heading = headings.get(section);
    if (!heading) headings.set(section, (heading = terms(section)));
    const out: string[] = [];
    for (const s of t) for (const stem of s.stems) if (stem) out.push(stem);
    for (const h of heading) out.push(h);
    return out;
  });
}

/** Chunk vectors from the sentence tokens already at hand, as rows of one array. */
export function embedLocal(embeddings: LocalWordVectorEmbeddings, tokens: SentenceTokens[][]): Float32Array {
  const dims = embeddings.dimensions;
  const out = new Float32Array(tokens.length * dims);
  tokens.forEach((t, j) => out.set(embeddings.embedSentences(t), j * dims));
  return out;
}

/** Rows of a vector array as the plain arrays the graph takes. */
export function vectorRows(data: Float32Array, dims: number): number[][] {
  return Array.from({ length: data.length / dims }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims)));
}

