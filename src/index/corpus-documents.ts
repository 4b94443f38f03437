// The corpus files -> documents and their chunks, cached per document so that start-up and
// re-ingest cost what changed. A document's cache is keyed by its sha256 and id under a folder of
// the embedder's: a changed file is re-parsed and re-embedded, the others are read back. Its parts
// are read only when needed: the entry (parsed sections and chunks) at every start, the sentence
// tokens when a chunk of the document is first scored, the chunk stems only to rebuild BM25 and
// the chunk vectors only to change the vector graph. The files to parse are parsed together,
// on more threads for a large ingest (ingest-pool.ts), and taken back in file order.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dataDirError } from '../store/data-dir.js';
import path from 'node:path';
import { listCorpusFiles, noDocuments, readCorpusFile, type CorpusWarning } from '../corpus/load.js';
import type { SentenceTokens } from '../text/tokens.js';
import type { Document } from '../types.js';
import { readJson, readVectors, writeJsonAtomic, writeVectors } from './cache-files.js';
import type { Chunk } from './chunk.js';
import { LocalWordVectorEmbeddings } from './embedder-local.js';
import { chunkStems, DOC_CACHE_VERSION, docCacheFiles, embedLocal, parseForIndex, tokenizeChunks, vectorRows, writeDocCache, type CachedChunkFields, type DocCacheEntry, type DocCacheFiles } from './ingest-document.js';
import { embedChunks, type IndexEmbedder } from './index-embedder.js';
import { ingestThreads, parseAll, type PendingDoc, type ThreadResult } from './ingest-pool.js';

export { DOC_CACHE_VERSION };

/** A document as this run holds it: its cache entry and files, and whatever of them is in memory. */
interface LoadedDoc {
  entry: DocCacheEntry;
  files: DocCacheFiles;
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
   * ingest threads to parse in besides this one (by default, from the work and the cores);
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
    const { files, skipped } = listCorpusFiles(opts.corpusDir);
    corpus.warnings.push(...skipped);
    // Every file is read and hashed (its hash is its cache key); only those without a cached
    // entry are parsed, all of them at once below, then everything is put back in file order.
    const slots: ({ warning: CorpusWarning } | { doc: LoadedDoc; text: string } | { pending: number })[] = [];
    const pending: PendingDoc[] = [];
    let pendingBytes = 0;
    for (const file of files) {
      const read = readCorpusFile(file);
      if ('reason' in read) {
        slots.push({ warning: read });
        continue;
      }
      const { bytes, text } = read;
      const cache = docCacheFiles(cacheDir, file.id, createHash('sha256').update(bytes).digest('hex'));
      const entry = opts.rebuild ? undefined : readJson<DocCacheEntry>(cache.entry);
      if (entry && entry.version === DOC_CACHE_VERSION) slots.push({ doc: { entry, files: cache }, text });
      else {
        slots.push({ pending: pending.length });
        pending.push({ file, bytes, text, files: cache });
        pendingBytes += bytes.length;
      }
    }
    const threads = ingestThreads(pendingBytes, opts.embedder, opts.dataDir, opts.threads);
    const e = opts.embedder.embeddings;
    const workerData = { dataDir: opts.dataDir, embedderId: opts.embedder.id, commonComponent: e instanceof LocalWordVectorEmbeddings && e.commonComponent ? Array.from(e.commonComponent) : undefined };
    const parsed: Slot[] = [];
    // Documents are taken in file order as soon as each, and every one before it, is ready.
    let next = 0;
    const take = () => {
      for (; next < slots.length; next++) {
        const slot = slots[next];
        const s = 'pending' in slot ? parsed[slot.pending] : slot;
        if (!s) return;
        if ('warning' in s) {
          corpus.warnings.push(s.warning);
          continue;
        }
        if ('pending' in slot) corpus.embedded++;
        corpus.documents.push({ ...s.doc.entry.doc, text: s.text });
        corpus.loaded.push(s.doc);
        if (opts.onVectors) opts.onVectors(corpus.vectorData(corpus.loaded.length - 1));
      }
    };
    take();
    await parseAll(pending, threads, workerData, (p) => corpus.parse(p), (p, r) => (corpus.parsedInThreads++, fromThread(p, r)), (i, r) => {
      parsed[i] = r;
      take();
    });
    corpus.parsed = pending.length;
    await Promise.all(corpus.writes);
    if (corpus.writeFailed) throw corpus.writeFailed.error;
    if (corpus.documents.length === 0) throw noDocuments(opts.corpusDir, corpus.warnings);
    return corpus;
  }

  /** Parses, embeds and caches one document on this thread. */
  private async parse({ file, bytes, text, files }: PendingDoc): Promise<Slot> {
    const parsed = parseForIndex(file, text, bytes);
    if ('reason' in parsed) return { warning: parsed };
    const { entry, tokens, stems } = parsed;
    const e = this.embedder.embeddings;
    const dims = this.embedder.dims;
    let data: Float32Array;
    if (e instanceof LocalWordVectorEmbeddings) data = embedLocal(e, tokens);
    else {
      const rows = await embedChunks(e, entry.chunks.map((c) => ({ text: text.slice(c.start, c.end) })), tokens);
      data = new Float32Array(rows.length * dims);
      rows.forEach((v, j) => data.set(v, j * dims));
    }
    // Written while the next documents are parsed; read() waits for every write, and fails as the
    // first failed write did (caught here, so it is never an unhandled rejection meanwhile).
    this.writes.push(writeDocCache(files, parsed, data).catch((error: unknown) => void (this.writeFailed ??= { error })));
    return { doc: { entry, files, vectors: data, tokens, stems }, text };
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
      const read = readJson<SentenceTokens[][]>(e.files.tokens);
      if (Array.isArray(read) && read.length === e.entry.chunks.length && read.every((t, j) => Array.isArray(t) && t.length === e.entry.chunks[j].sentences.length)) e.tokens = read;
      else {
        // Missing or damaged: tokenise again from the text (and keep the result for next time).
        e.tokens = tokenizeChunks(this.documents[d].text, e.entry.chunks);
        writeJsonAtomic(e.files.tokens, e.tokens);
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
      const read = readJson<string[][]>(e.files.stems);
      if (Array.isArray(read) && read.length === e.entry.chunks.length && read.every((t) => Array.isArray(t))) e.stems = read;
      else {
        e.stems = chunkStems(this.tokens(d), e.entry.chunks);
        writeJsonAtomic(e.files.stems, e.stems);
      }
    }
    return e.stems;
  }

  /** The vectors of document `d`'s chunks, from this index's embedder. */
  async vectors(d: number): Promise<number[][]> {
    const e = this.loaded[d];
    if (!e.vectors && !(e.vectors = readVectors(e.files.vectors, this.embedder.dims, e.entry.chunks.length))) {
      // The vector file is missing or damaged: embed again from what the entry keeps.
      const text = this.documents[d].text;
      const rows = await embedChunks(
        this.embedder.embeddings,
        e.entry.chunks.map((c) => ({ text: text.slice(c.start, c.end) })),
        this.tokens(d),
      );
      e.vectors = Float32Array.from(rows.flat());
      writeVectors(e.files.vectors, e.vectors);
    }
    return vectorRows(e.vectors, this.embedder.dims);
  }

  /** As `vectors`, as rows of one array, when known without embedding (not from a damaged file). */
  private vectorData(d: number): Float32Array | undefined {
    const e = this.loaded[d];
    return (e.vectors ??= readVectors(e.files.vectors, this.embedder.dims, e.entry.chunks.length));
  }
}

type Slot = { warning: CorpusWarning } | { doc: LoadedDoc; text: string };

/** A document a thread parsed: its tokens are on disk, read when first needed. */
function fromThread(p: PendingDoc, r: ThreadResult): Slot {
  if ('warning' in r) return r;
  return { doc: { entry: r.entry, files: p.files, stems: r.stems, vectors: r.vectors }, text: p.text };
}

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
