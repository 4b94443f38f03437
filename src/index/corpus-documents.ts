// The corpus files -> documents and their chunks, cached per document so that start-up and
// re-ingest cost what changed. A document's cache is keyed by its sha256 and id under a folder of
// the embedder's: a changed file is re-parsed and re-embedded, the others are read back. Its parts
// are read only when needed: the entry (parsed sections and chunks) at every start, the sentence
// tokens when a chunk of the document is first scored, the chunk stems only to rebuild BM25 and
// the chunk vectors only to change the vector graph.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dataDirError } from '../store/data-dir.js';
import path from 'node:path';
import { listCorpusFiles, noDocuments, parseCorpusFile, readCorpusFile, type CorpusFile, type CorpusWarning } from '../corpus/load.js';
import { sentenceTokens, terms, type SentenceTokens } from '../text/tokens.js';
import type { Document } from '../types.js';
import { readJson, readVectors, writeJsonAtomic, writeVectors } from './cache-files.js';
import { chunkDocument, type Chunk } from './chunk.js';
import { embedChunks, type IndexEmbedder } from './index-embedder.js';

/** Part of the vector graph's cache key too: points cached under another version may be other chunks. */
export const DOC_CACHE_VERSION = 8;

type CachedChunkFields = Omit<Chunk, 'text' | 'id' | 'sentenceTokens'>;

interface DocCacheEntry {
  version: number;
  doc: Omit<Document, 'text'>;
  chunks: CachedChunkFields[];
}

interface DocCacheFiles {
  entry: string;
  vectors: string;
  tokens: string;
  stems: string;
}

/** A document as this run holds it: its cache entry and files, and whatever of them is in memory. */
interface LoadedDoc {
  entry: DocCacheEntry;
  files: DocCacheFiles;
  vectors?: number[][];
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
  private readonly loaded: LoadedDoc[] = [];

  private constructor(private readonly embedder: IndexEmbedder) {}

  /** Every usable document of the corpus, in id order; unusable files become warnings. */
  static async read(opts: { corpusDir: string; dataDir: string; embedder: IndexEmbedder; rebuild?: boolean }): Promise<CorpusDocuments> {
    const cacheDir = path.join(opts.dataDir, 'cache', 'documents', opts.embedder.id.replace(/[^\w.-]+/g, '_'));
    try {
      mkdirSync(cacheDir, { recursive: true });
    } catch (e) {
      throw dataDirError(e, cacheDir, 'index cache');
    }
    const corpus = new CorpusDocuments(opts.embedder);
    const { files, skipped } = listCorpusFiles(opts.corpusDir);
    corpus.warnings.push(...skipped);
    for (const file of files) await corpus.add(file, cacheDir, opts.rebuild);
    if (corpus.documents.length === 0) throw noDocuments(opts.corpusDir, corpus.warnings);
    return corpus;
  }

  private async add(file: CorpusFile, cacheDir: string, rebuild?: boolean): Promise<void> {
    const read = readCorpusFile(file);
    if ('reason' in read) {
      this.warnings.push(read);
      return;
    }
    const { bytes, text } = read;
    const hash = createHash('sha256').update(bytes).digest('hex');
    // The id is part of the key: the same bytes under another name are another document.
    const base = path.join(cacheDir, createHash('sha256').update(`${file.id}\0${hash}`).digest('hex').slice(0, 32));
    const files: DocCacheFiles = { entry: `${base}.json`, vectors: `${base}.f32`, tokens: `${base}.tokens.json`, stems: `${base}.stems.json` };
    const entry = rebuild ? undefined : readJson<DocCacheEntry>(files.entry);
    const loaded = entry && entry.version === DOC_CACHE_VERSION ? { entry, files } : await this.parse(file, text, bytes, files);
    if (!loaded) return;
    this.documents.push({ ...loaded.entry.doc, text });
    this.loaded.push(loaded);
  }

  private async parse(file: CorpusFile, text: string, bytes: Buffer, files: DocCacheFiles): Promise<LoadedDoc | undefined> {
    const doc = parseCorpusFile(file, text, bytes);
    if ('reason' in doc) {
      this.warnings.push(doc);
      return undefined;
    }
    const chunks = chunkDocument(doc);
    // One wink-nlp pass per sentence serves the sentence scorer, BM25 and the local embedding
    // alike: tokenising each chunk three times kept ingest near 200 chunks/s (bench/).
    const tokens = tokenizeChunks(doc.text, chunks);
    const vectors = await embedChunks(this.embedder.embeddings, chunks, tokens);
    const { text: _text, ...rest } = doc;
    const entry: DocCacheEntry = {
      version: DOC_CACHE_VERSION,
      doc: rest,
      chunks: chunks.map(({ text: _t, id: _i, sentenceTokens: _s, ...c }) => c),
    };
    const stems = chunkStems(tokens, chunks);
    writeJsonAtomic(files.stems, stems);
    writeVectors(files.vectors, vectors, this.embedder.dims);
    // The sentence tokens are most of a document's cache and needed only to score its
    // sentences: parsing them for every document at every start doubled the start-up time.
    writeJsonAtomic(files.tokens, tokens);
    writeJsonAtomic(files.entry, entry);
    this.embedded++;
    return { entry, files, vectors, tokens, stems };
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
    e.vectors ??= readVectors(e.files.vectors, this.embedder.dims, e.entry.chunks.length);
    if (!e.vectors) {
      // The vector file is missing or damaged: embed again from what the entry keeps.
      const text = this.documents[d].text;
      e.vectors = await embedChunks(
        this.embedder.embeddings,
        e.entry.chunks.map((c) => ({ text: text.slice(c.start, c.end) })),
        this.tokens(d),
      );
      writeVectors(e.files.vectors, e.vectors, this.embedder.dims);
    }
    return e.vectors;
  }
}

function tokenizeChunks(text: string, chunks: readonly Pick<Chunk, 'sentences'>[]): SentenceTokens[][] {
  return chunks.map((c) => c.sentences.map((sp) => sentenceTokens(text.slice(sp.start, sp.end))));
}

/** A chunk's lexical terms include its section heading: a question naming the topic finds it. */
function chunkStems(tokens: SentenceTokens[][], chunks: readonly Pick<Chunk, 'section'>[]): string[][] {
  const headings = new Map<string, string[]>();
  return tokens.map((t, j) => {
    const section = chunks[j].section;
    let heading = headings.get(section);
    if (!heading) headings.set(section, (heading = terms(section)));
    return [...t.flatMap((s) => s.stems.filter(Boolean)), ...heading];
  });
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
