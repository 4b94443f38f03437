// The corpus files -> documents and their chunks, cached per document so that start-up and
// re-ingest cost what changed. A document's cache is keyed by its sha256 and id under a folder of
// the embedder's: a changed file is re-parsed and re-embedded, the others are read back, and a file
// whose size and time did not change is not even read (file-manifest.ts). Its parts are read only
// when needed: the entry (the document, its text, and chunk offsets) at every start, the sentence
// tokens when a chunk of the document is first scored, the chunk stems only to rebuild BM25 and
// the chunk vectors only to change the vector graph. The files to read are read together, on
// more threads for a large ingest (ingest-pool.ts), and taken back in file order.
import { mkdirSync, opendirSync, rmSync } from 'node:fs';
import { dataDirError } from '../store/data-dir.js';
import path from 'node:path';
import { listCorpusFiles, noDocuments, type CorpusWarning } from '../corpus/load.js';
import type { SentenceTokens } from '../text/tokens.js';
import type { Document } from '../types.js';
import { readDocText, readDocVectors } from './doc-cache-file.js';
import type { Chunk } from './chunk.js';
import { LocalWordVectorEmbeddings } from './embedder-local.js';
import { chunkStems, DOC_CACHE_VERSION, embedLocal, readForIndex, tokenizeChunks, vectorRows, type CachedChunkFields, type DocCache, type DocCacheEntry, type FileResult, type ParsedDocument } from './ingest-document.js';
import { embedChunks, type IndexEmbedder } from './index-embedder.js';
import { FileManifest } from './file-manifest.js';
import { ingestAll, ingestThreads } from './ingest-pool.js';

export { DOC_CACHE_VERSION };

/** A document as this run holds it: its cache entry and files, and whatever of them is in memory. */
interface LoadedDoc {
  entry: DocCacheEntry;
  cache: DocCache;
  /** The chunk vectors, as rows of one array. */
  vectors?: Float32Array;
  /** Per chunk, per sentence. */
  tokens?: SentenceTokens[][];
  /** Per chunk: its lexical terms. */
  stems?: string[][];
}

export class CorpusDocuments {
  readonly documents: Document[] = [];
  readonly warnings: CorpusWarning[] = [];
  /** Documents parsed and embedded in this run (the rest came from the cache). */
  embedded = 0;
  /** Files read (and hashed) in this run: those whose size or time changed since they were last read. */
  read = 0;
  /** Files parsed in this run, usable or not: after one file changed, one. */
  parsed = 0;
  /** Of those, the files parsed by ingest threads rather than this one. */
  parsedInThreads = 0;
  private readonly loaded: LoadedDoc[] = [];
  private readonly writes: Promise<void>[] = [];
  private writeFailed?: { error: unknown };

  private constructor(private readonly embedder: IndexEmbedder) {}

  /**
   * Every usable document of the corpus, in id order; unusable files become warnings. `threads`:
   * ingest threads to read in besides this one (by default, from the work and the cores);
   * `onVectors` is handed each document's chunk vectors in corpus order, as soon as they are known.
   */
  static async read(opts: { corpusDir: string; dataDir: string; embedder: IndexEmbedder; rebuild?: boolean; threads?: number; onVectors?: (rows: Float32Array | undefined) => void }): Promise<CorpusDocuments> {
    const cacheDir = path.join(opts.dataDir, 'cache', 'documents', opts.embedder.id.replace(/[^\w.-]+/g, '_'));
    try {
      mkdirSync(cacheDir, { recursive: true });
    } catch (e) {
      throw dataDirError(e, cacheDir, 'index cache');
    }
    const corpus = new CorpusDocuments(opts.embedder);
    const listedAt = Date.now();
    const { files, skipped } = listCorpusFiles(opts.corpusDir);
    corpus.warnings.push(...skipped);
    // A file with the size and time it had when last read is not read again: its hash, its cache
    // key, is the one it had then. Every other file is read and hashed, and parsed only when its
    // bytes have no cached entry; the threads for that start before anything is read.
    const manifest = FileManifest.read(cacheDir);
    const known = files.map((f) => (opts.rebuild ? undefined : manifest.unchanged(f)));
    const unknownBytes = files.reduce((n, f, i) => (known[i] === undefined ? n + f.size : n), 0);
    // A graph built as the vectors come runs on a thread of its own (graph-builder.ts).
    const threads = ingestThreads(unknownBytes, opts.embedder, opts.dataDir, opts.onVectors ? 1 : 0, opts.threads);
    const e = opts.embedder.embeddings;
    const commonComponent = e instanceof LocalWordVectorEmbeddings && e.commonComponent ? Array.from(e.commonComponent) : undefined;
    // In a cache folder with no document yet (a first ingest), no file has an entry to look for.
    const fresh = !!opts.rebuild || !holdsDocuments(cacheDir);
    const data = { dataDir: opts.dataDir, embedderId: opts.embedder.id, commonComponent, cacheDir, fresh, files, known };
    const slots: Slot[] = [];
    // Documents are taken in file order as soon as each, and every one before it, is ready.
    let next = 0;
    const take = () => {
      for (let s = slots[next]; next < files.length && s; s = slots[++next]) {
        if ('warning' in s) corpus.warnings.push(s.warning);
        else {
          corpus.documents.push(s.doc.entry.doc);
          corpus.loaded.push(s.doc);
          if (opts.onVectors) opts.onVectors(corpus.vectorData(corpus.loaded.length - 1));
        }
      }
    };
    // What each file gave, counted, and recorded for the next open.
    const settle = (i: number, r: FileResult, inThread: boolean): Slot => {
      if ('warning' in r) {
        corpus.read++;
        if (r.parsed) corpus.parsed++;
        return { warning: r.warning };
      }
      if (r.read) corpus.read++;
      manifest.record(files[i], r.hash, listedAt);
      if (r.vectors) {
        corpus.parsed++;
        corpus.embedded++;
        if (inThread) corpus.parsedInThreads++;
      }
      return { doc: { entry: r.entry, cache: r.cache, stems: r.stems, vectors: r.vectors } };
    };
    const here = async (i: number) => settle(i, await readForIndex(files[i], { cacheDir, fresh, known: known[i] }, (p) => corpus.embed(p), (w) => corpus.writing(w)), false);
    await ingestAll(threads, data, here, (i, r) => settle(i, r, true), (i, slot) => {
      slots[i] = slot;
      take();
    });
    await Promise.all(corpus.writes);
    if (corpus.writeFailed) throw corpus.writeFailed.error;
    // Not worth failing for: without it, the next open reads and hashes every file again.
    await manifest.write().catch(() => undefined);
    if (corpus.documents.length === 0) throw noDocuments(opts.corpusDir, corpus.warnings);
    return corpus;
  }

  /** The chunk vectors of a document parsed on this thread, as rows of one array. */
  private async embed({ entry, tokens }: ParsedDocument): Promise<Float32Array> {
    const e = this.embedder.embeddings;
    if (e instanceof LocalWordVectorEmbeddings) return embedLocal(e, tokens);
    const text = entry.doc.text;
    const rows = await embedChunks(e, entry.chunks.map((c) => ({ text: text.slice(c.start, c.end) })), tokens);
    const data = new Float32Array(rows.length * this.embedder.dims);
    rows.forEach((v, j) => data.set(v, j * this.embedder.dims));
    return data;
  }

  /**
   * A document's cache write, made while the next documents are parsed; read() waits for every
   * write, and fails as the first failed write did (caught here, so it is never an unhandled
   * rejection meanwhile).
   */
  private writing(write: Promise<void>): void {
    this.writes.push(write.catch((error: unknown) => void (this.writeFailed ??= { error })));
  }

  chunkCount(d: number): number {
    return this.loaded[d].entry.chunks.length;
  }

  /** Every document's chunks, in corpus order, their sentence tokens read when first asked for. */
  chunks(): Chunk[] {
    const chunks: Chunk[] = [];
    this.loaded.forEach(({ entry }, d) => {
      const doc = this.documents[d];
      const tokens = () => this.tokens(d);
      entry.chunks.forEach((c, j) => chunks.push(new CachedChunk(c, `${doc.id}#${chunks.length}`, doc.text.slice(c.start, c.end), tokens, j)));
    });
    return chunks;
  }

  /** Per chunk of document `d`, per sentence, its tokens. */
  tokens(d: number): SentenceTokens[][] {
    const e = this.loaded[d];
    if (!e.tokens) {
      const read = this.part<SentenceTokens[][]>(d, 'tokens');
      if (Array.isArray(read) && read.length === e.entry.chunks.length && read.every((t, j) => Array.isArray(t) && t.length === e.entry.chunks[j].sentences.length)) e.tokens = read;
      else {
        // Damaged: tokenise again from the text; the next open parses the file again.
        e.tokens = tokenizeChunks(this.documents[d].text, e.entry.chunks);
        this.damaged(d);
      }
    }
    return e.tokens;
  }

  /** Every chunk's lexical terms, in corpus order; each document's are let go once read. */
  *stemsInOrder(): Generator<string[]> {
    for (let d = 0; d < this.loaded.length; d++) {
      yield* this.stems(d);
      this.loaded[d].stems = undefined;
    }
  }

  private stems(d: number): string[][] {
    const e = this.loaded[d];
    if (!e.stems) {
      const read = this.part<string[][]>(d, 'stems');
      if (Array.isArray(read) && read.length === e.entry.chunks.length && read.every((t) => Array.isArray(t))) e.stems = read;
      else {
        e.stems = chunkStems(this.tokens(d), e.entry.chunks);
        this.damaged(d);
      }
    }
    return e.stems;
  }

  /** The vectors of document `d`'s chunks, from this index's embedder. */
  async vectors(d: number): Promise<number[][]> {
    const e = this.loaded[d];
    if (!this.vectorData(d)) {
      // Damaged: embed again from what the entry keeps.
      const text = this.documents[d].text;
      const rows = await embedChunks(
        this.embedder.embeddings,
        e.entry.chunks.map((c) => ({ text: text.slice(c.start, c.end) })),
        this.tokens(d),
      );
      e.vectors = Float32Array.from(rows.flat());
      this.damaged(d);
    }
    return vectorRows(e.vectors!, this.embedder.dims);
  }

  /** As `vectors`, as rows of one array, when known without embedding (not from a damaged file). */
  private vectorData(d: number): Float32Array | undefined {
    const e = this.loaded[d];
    if (!e.vectors) {
      const read = readDocVectors(e.cache.file, e.cache.layout);
      if (read?.length === e.entry.chunks.length * this.embedder.dims) e.vectors = read;
    }
    return e.vectors;
  }

  /** A JSON part of document `d`'s cache file, undefined when it cannot be read or parsed. */
  private part<T>(d: number, part: 'stems' | 'tokens'): T | undefined {
    const { file, layout } = this.loaded[d].cache;
    const text = readDocText(file, layout, part);
    try {
      return text === undefined ? undefined : (JSON.parse(text) as T);
    } catch {
      return undefined;
    }
  }

  /** A part of document `d`'s cache file is damaged: the file goes, so the next open parses the document again. */
  private damaged(d: number): void {
    rmSync(this.loaded[d].cache.file, { force: true });
  }
}

/** Whether a cache folder holds any document's file (read only as far as the first). */
function holdsDocuments(cacheDir: string): boolean {
  const dir = opendirSync(cacheDir);
  try {
    for (let e = dir.readSync(); e; e = dir.readSync()) if (e.name.endsWith('.doc')) return true;
    return false;
  } finally {
    dir.closeSync();
  }
}

type Slot = { warning: CorpusWarning } | { doc: LoadedDoc };

/**
 * A chunk read from the cache, its sentence tokens read on first use by whoever scores its
 * sentences. A class, so the getter lives on the prototype: defining it on each of 100,000 chunks
 * cost half a second per start (bench/).
 */
class CachedChunk implements Chunk {
  readonly document: string;
  readonly section: string;
  readonly sectionIndex: number;
  readonly start: number;
  readonly end: number;
  readonly sentences: Chunk['sentences'];
  readonly #tokens: () => SentenceTokens[][];
  readonly #ordinal: number;

  constructor(c: CachedChunkFields, readonly id: string, readonly text: string, tokens: () => SentenceTokens[][], ordinal: number) {
    this.document = c.document;
    this.section = c.section;
    this.sectionIndex = c.sectionIndex;
    this.start = c.start;
    this.end = c.end;
    this.sentences = c.sentences;
    this.#tokens = tokens;
    this.#ordinal = ordinal;
  }

  get sentenceTokens(): SentenceTokens[] {
    return this.#tokens()[this.#ordinal];
  }
}
