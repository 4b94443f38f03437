// One corpus file -> what the index caches of it: its parsed entry (sections, chunk offsets), each
// chunk's sentence tokens and lexical terms, and, with the local embedder, its chunk vectors. The
// same function runs on the main thread and in the ingest threads (ingest-pool.ts), so a document
// parsed in either is the same document.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseCorpusFile, type CorpusFile, type CorpusWarning } from '../corpus/load.js';
import { sentencesWithTokens, sentenceTokens, terms, type SentenceTokens } from '../text/tokens.js';
import type { Document } from '../types.js';
import { writeAtomicAsync } from './cache-files.js';
import { chunkDocument, type Chunk } from './chunk.js';
import type { LocalWordVectorEmbeddings } from './embedder-local.js';

/** Part of the vector graph's cache key too: points cached under another version may be other chunks. */
export const DOC_CACHE_VERSION = 9;

export type CachedChunkFields = Omit<Chunk, 'text' | 'id' | 'sentenceTokens'>;

export interface DocCacheEntry {
  version: number;
  doc: Omit<Document, 'text'>;
  chunks: CachedChunkFields[];
}

export interface DocCacheFiles {
  entry: string;
  vectors: string;
  tokens: string;
  stems: string;
}

/** A document's cache files: keyed by its id and content hash (the same bytes under another name are another document). */
export function docCacheFiles(cacheDir: string, id: string, hash: string): DocCacheFiles {
  const base = path.join(cacheDir, createHash('sha256').update(`${id}\0${hash}`).digest('hex').slice(0, 32));
  return { entry: `${base}.json`, vectors: `${base}.f32`, tokens: `${base}.tokens.json`, stems: `${base}.stems.json` };
}

export interface ParsedDocument {
  entry: DocCacheEntry;
  /** Per chunk, per sentence. */
  tokens: SentenceTokens[][];
  /** Per chunk: its lexical terms. */
  stems: string[][];
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
  const { text: _text, ...rest } = doc;
  const entry: DocCacheEntry = {
    version: DOC_CACHE_VERSION,
    doc: rest,
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
  tokens.forEach((t, j) => out.set(embeddings.embedNorms(t.flatMap((s) => s.norms)), j * dims));
  return out;
}

/** Rows of a vector array as the plain arrays the graph takes. */
export function vectorRows(data: Float32Array, dims: number): number[][] {
  return Array.from({ length: data.length / dims }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims)));
}

/**
 * Saves a parsed document. The entry goes last: a document whose entry is on disk is cached, and
 * a part missing beside it (a crash between writes) is rebuilt from the text when first needed.
 */
export async function writeDocCache(files: DocCacheFiles, parsed: ParsedDocument, vectors: Float32Array): Promise<void> {
  await Promise.all([
    writeAtomicAsync(files.stems, JSON.stringify(parsed.stems)),
    writeAtomicAsync(files.vectors, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength)),
    // The sentence tokens are most of a document's cache and needed only to score its
    // sentences: parsing them for every document at every start doubled the start-up time.
    writeAtomicAsync(files.tokens, JSON.stringify(parsed.tokens)),
  ]);
  await writeAtomicAsync(files.entry, JSON.stringify(parsed.entry));
}
