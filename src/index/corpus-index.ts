// The corpus on disk -> documents, chunks, a lexical and a vector index, cached under DATA_DIR.
//
// Two cache levels keep start-up and re-ingest proportional to what changed:
//  - per document (keyed by its sha256 and the embedder): parsed sections, chunks, chunk stems and
//    (JSON, read at every start), the sentence tokens (JSON beside it, read when a chunk of the
//    document is first scored), the chunk stems (read only to rebuild BM25) and the chunk vectors
//    (float32, read only to change the graph). A changed file is re-parsed and re-embedded; the
//    others are read back.
//  - per corpus (keyed by every document's hash and the embedder): the saved HNSW graph, with the
//    label range of each document. Any change to the set of files gives a new key, so a stale
//    index is never used; the previous graph is updated in place (the changed documents' points
//    deleted, their new vectors added) rather than rebuilt, until deleted points pile up. The BM25
//    index is saved beside it as flat arrays, so a start with nothing changed re-adds no chunk.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Embeddings } from '@langchain/core/embeddings';
import { CorpusError, listCorpusFiles, readDocumentText, type CorpusWarning } from '../corpus/load.js';
import { FrontMatterError } from '../corpus/frontmatter.js';
import { parseDocument } from '../corpus/parse.js';
import { terms } from '../text/tokens.js';
import { sentenceTokens, type SentenceTokens } from '../answer/scorer.js';
import type { Document } from '../types.js';
import { Bm25Index } from './bm25.js';
import { chunkDocument, type Chunk } from './chunk.js';
import { LocalWordVectorEmbeddings } from './embedder-local.js';
import { HnswGraph } from './hnsw-graph.js';
import type { HnswVectorStore } from './hnsw-store.js';

export interface IndexEmbedder {
  embeddings: Embeddings;
  /** Stable identity of the embedding function (model and recipe): part of every cache key. */
  id: string;
  dims: number;
}

interface DocCacheEntry {
  version: number;
  doc: Omit<Document, 'text'>;
  chunks: Omit<Chunk, 'text' | 'id' | 'sentenceTokens'>[];
}

/** A document as this run holds it: its cache entry, where its vectors and tokens are, and those computed now. */
interface LoadedDoc {
  entry: DocCacheEntry;
  vectorFile: string;
  vectors?: number[][];
  tokensFile: string;
  /** Per chunk, per sentence. */
  tokens?: SentenceTokens[][];
  stemsFile: string;
  /** Per chunk: its lexical terms. */
  stems?: string[][];
}

const DOC_CACHE_VERSION = 7;
const INDEX_VERSION = 3;
/** Past this share of deleted points in the graph, it is rebuilt rather than updated. */
export const MAX_DELETED_FRACTION = 0.25;

export interface BuildStats {
  documents: number;
  chunks: number;
  /** Documents parsed and embedded in this run (the rest came from the cache). */
  embedded: number;
  ms: number;
  /** The vector graph was read back unchanged. */
  cached: boolean;
  /** How the vector graph was obtained: read back, updated from the previous corpus state, or built. */
  graph: 'cached' | 'updated' | 'built';
  /** Vectors added to the graph in this run. */
  graphAdded: number;
}

export class CorpusIndex {
  readonly byId = new Map<string, Document>();

  private constructor(
    readonly documents: Document[],
    readonly chunks: Chunk[],
    readonly bm25: Bm25Index,
    /** The vector index; `labelToChunk` maps its labels to chunks (-1: a deleted point). */
    readonly graph: HnswGraph,
    private readonly labelToChunk: Int32Array,
    private readonly embeddings: Embeddings,
    readonly warnings: CorpusWarning[],
    readonly stats: BuildStats,
  ) {
    for (const d of documents) this.byId.set(d.id, d);
  }

  /** Nearest chunks to a vector (from this index's embedder), by cosine similarity. */
  vectorSearch(vector: ArrayLike<number>, k: number): { chunk: number; similarity: number }[] {
    const out: { chunk: number; similarity: number }[] = [];
    for (const n of this.graph.search(vector, Math.min(k, this.chunks.length))) {
      const chunk = this.labelToChunk[n.label] ?? -1;
      if (chunk >= 0) out.push({ chunk, similarity: n.similarity });
    }
    return out;
  }

  private store?: HnswVectorStore;

  /**
   * The vector index as a LangChain VectorStore (documents are the chunks, with their document,
   * section and offsets). Loaded on demand: LangChain's VectorStore module costs ~0.4 s per start.
   */
  async vectorStore(): Promise<HnswVectorStore> {
    if (!this.store) {
      const [{ HnswVectorStore }, { Document }] = await Promise.all([import('./hnsw-store.js'), import('@langchain/core/documents')]);
      const docs = Array.from(this.labelToChunk, (i) => {
        if (i < 0) return undefined;
        const c = this.chunks[i];
        return new Document({ pageContent: c.text, metadata: { chunk: i, document: c.document, section: c.section, start: c.start, end: c.end } });
      });
      this.store = HnswVectorStore.fromGraph(this.embeddings, this.graph, docs);
    }
    return this.store;
  }

  static async open(opts: { corpusDir: string; dataDir: string; embedder: IndexEmbedder; rebuild?: boolean }): Promise<CorpusIndex> {
    const t0 = performance.now();
    const { corpusDir, dataDir, embedder } = opts;
    const safeId = embedder.id.replace(/[^\w.-]+/g, '_');
    const docCacheDir = path.join(dataDir, 'cache', 'documents', safeId);
    mkdirSync(docCacheDir, { recursive: true });

    const warnings: CorpusWarning[] = [];
    const documents: Document[] = [];
    const entries: LoadedDoc[] = [];
    let embedded = 0;

    for (const file of listCorpusFiles(corpusDir)) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file.file);
      } catch (e) {
        warnings.push({ file: file.id, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
        continue;
      }
      const decoded = readDocumentText(bytes);
      if ('reason' in decoded) {
        warnings.push({ file: file.id, reason: decoded.reason });
        continue;
      }
      const hash = createHash('sha256').update(bytes).digest('hex');
      // The id is part of the key: the same bytes under another name are another document.
      const cacheBase = path.join(docCacheDir, createHash('sha256').update(`${file.id}\0${hash}`).digest('hex').slice(0, 32));
      const cacheFile = `${cacheBase}.json`;
      let fresh: number[][] | undefined;
      let freshTokens: SentenceTokens[][] | undefined;
      let freshStems: string[][] | undefined;
      let entry = opts.rebuild ? undefined : readJson<DocCacheEntry>(cacheFile);
      if (!entry || entry.version !== DOC_CACHE_VERSION) {
        let doc: Document;
        try {
          doc = parseDocument(file.id, decoded.text, bytes);
        } catch (e) {
          if (e instanceof FrontMatterError) {
            warnings.push({ file: file.id, reason: `broken front matter: ${e.message}` });
            continue;
          }
          throw e;
        }
        if (doc.sections.length === 0) {
          warnings.push({ file: file.id, reason: 'the file has no paragraphs of text' });
          continue;
        }
        const chunks = chunkDocument(doc);
        // One wink-nlp pass per sentence serves the sentence scorer, BM25 and the local embedding
        // alike: tokenising each chunk three times kept ingest near 200 chunks/s (bench/).
        const tokens = chunks.map((c) => c.sentences.map((sp) => sentenceTokens(doc.text.slice(sp.start, sp.end))));
        const vectors = await embedChunks(embedder.embeddings, chunks, tokens);
        const headingTerms = new Map<string, string[]>();
        const { text: _text, ...rest } = doc;
        entry = {
          version: DOC_CACHE_VERSION,
          doc: rest,
          chunks: chunks.map(({ text: _t, id: _i, sentenceTokens: _s, ...c }) => c),
        };
        // A chunk's lexical terms include its section heading: a question naming the topic finds it.
        const stems = chunks.map((c, i) => {
          let heading = headingTerms.get(c.section);
          if (!heading) headingTerms.set(c.section, (heading = terms(c.section)));
          return [...tokens[i].flatMap((t) => t.stems.filter(Boolean)), ...heading];
        });
        writeJsonAtomic(`${cacheBase}.stems.json`, stems);
        writeVectors(`${cacheBase}.f32`, vectors, embedder.dims);
        // The sentence tokens are most of a document's cache and needed only to score its
        // sentences: parsing them for every document at every start doubled the start-up time.
        writeJsonAtomic(`${cacheBase}.tokens.json`, tokens);
        writeJsonAtomic(cacheFile, entry);
        fresh = vectors;
        freshTokens = tokens;
        freshStems = stems;
        embedded++;
      }
      documents.push({ ...entry.doc, text: decoded.text });
      entries.push({ entry, vectorFile: `${cacheBase}.f32`, vectors: fresh, tokensFile: `${cacheBase}.tokens.json`, tokens: freshTokens, stemsFile: `${cacheBase}.stems.json`, stems: freshStems });
    }
    if (documents.length === 0) {
      const why = warnings.length ? ` (${warnings.map((w) => `${w.file}: ${w.reason}`).join('; ')})` : '';
      throw new CorpusError(`no usable documents in ${corpusDir}: add .md or .txt analyses${why}`);
    }

    const chunks: Chunk[] = [];
    const tokensOf = (d: number): SentenceTokens[][] => {
      const e = entries[d];
      if (!e.tokens) {
        const read = readJson<SentenceTokens[][]>(e.tokensFile);
        if (Array.isArray(read) && read.length === e.entry.chunks.length && read.every((t, j) => Array.isArray(t) && t.length === e.entry.chunks[j].sentences.length)) e.tokens = read;
        else {
          // Missing or damaged: tokenise again from the text (and keep the result for next time).
          const text = documents[d].text;
          e.tokens = e.entry.chunks.map((c) => c.sentences.map((sp) => sentenceTokens(text.slice(sp.start, sp.end))));
          writeJsonAtomic(e.tokensFile, e.tokens);
        }
      }
      return e.tokens;
    };
    entries.forEach(({ entry }, d) => {
      const doc = documents[d];
      const tokens = () => tokensOf(d);
      entry.chunks.forEach((c, j) => chunks.push(new CachedChunk(c, `${doc.id}#${chunks.length}`, doc.text.slice(c.start, c.end), tokens, j)));
    });
    const stemsOf = (d: number): string[][] => {
      const e = entries[d];
      if (!e.stems) {
        const read = readJson<string[][]>(e.stemsFile);
        if (Array.isArray(read) && read.length === e.entry.chunks.length && read.every((t) => Array.isArray(t))) e.stems = read;
        else {
          const headings = new Map<string, string[]>();
          e.stems = tokensOf(d).map((t, j) => {
            const section = e.entry.chunks[j].section;
            if (!headings.has(section)) headings.set(section, terms(section));
            return [...t.flatMap((s) => s.stems.filter(Boolean)), ...headings.get(section)!];
          });
          writeJsonAtomic(e.stemsFile, e.stems);
        }
      }
      return e.stems;
    };
    const buildBm25 = (): Bm25Index =>
      Bm25Index.build(
        (function* () {
          for (let d = 0; d < entries.length; d++) {
            yield* stemsOf(d);
            entries[d].stems = undefined; // read once, then free
          }
        })(),
      );

    const key = createHash('sha256')
      .update(JSON.stringify([INDEX_VERSION, DOC_CACHE_VERSION, embedder.id, documents.map((d) => [d.id, d.hash])]))
      .digest('hex')
      .slice(0, 24);
    const indexRoot = path.join(dataDir, 'cache', 'index');
    const indexDir = path.join(indexRoot, key);
    const current: GraphDoc[] = [];
    entries.forEach(({ entry }, d) => current.push({ id: documents[d].id, hash: documents[d].hash, first: -1, n: entry.chunks.length }));
    const vectorsOf = async (d: number): Promise<number[][]> => {
      const e = entries[d];
      e.vectors ??= readVectors(e.vectorFile, embedder.dims, e.entry.chunks.length);
      if (!e.vectors) {
        // The vector file is missing or damaged: embed again from what the entry keeps.
        const doc = documents[d];
        const chunksOfDoc = e.entry.chunks.map((c) => ({ ...c, id: '', text: doc.text.slice(c.start, c.end) }) as Chunk);
        e.vectors = await embedChunks(embedder.embeddings, chunksOfDoc, tokensOf(d));
        writeVectors(e.vectorFile, e.vectors, embedder.dims);
      }
      return e.vectors;
    };

    let state: BuildStats['graph'] = 'cached';
    let graphAdded = 0;
    let saved = opts.rebuild ? undefined : readGraph(indexDir, embedder);
    if (saved && !sameDocs(saved.meta.docs, current)) saved = undefined;
    let bm25 = saved && readBm25(indexDir, chunks.length);
    if (saved && !bm25) {
      bm25 = buildBm25();
      writeBm25(indexDir, bm25);
    }
    if (!saved) {
      bm25 = buildBm25();
      const previous = opts.rebuild ? undefined : previousGraph(indexRoot, key, embedder);
      const updated = previous && (await updateGraph(previous, current, vectorsOf));
      if (updated) {
        saved = updated.graph;
        graphAdded = updated.added;
        state = 'updated';
      } else {
        const graph = HnswGraph.create(embedder.dims, chunks.length);
        let label = 0;
        for (let d = 0; d < current.length; d++) {
          current[d].first = label;
          for (const v of await vectorsOf(d)) graph.add(v, label++);
        }
        saved = { graph, meta: { version: INDEX_VERSION, docVersion: DOC_CACHE_VERSION, embedder: embedder.id, dims: embedder.dims, bytes: 0, count: label, deleted: 0, docs: current } };
        graphAdded = label;
        state = 'built';
      }
      const tmp = `${indexDir}.${process.pid}.tmp`;
      rmSync(tmp, { recursive: true, force: true });
      writeGraph(tmp, saved);
      writeBm25(tmp, bm25);
      rmSync(indexDir, { recursive: true, force: true });
      renameSync(tmp, indexDir);
      // Older corpus states are of no further use; keep the cache folder from growing forever.
      for (const old of readdirSync(indexRoot)) if (old !== key && !old.endsWith('.tmp')) rmSync(path.join(indexRoot, old), { recursive: true, force: true });
    }
    const labelToChunk = new Int32Array(saved.meta.count).fill(-1);
    let base = 0;
    for (const d of saved.meta.docs) {
      for (let j = 0; j < d.n; j++) labelToChunk[d.first + j] = base + j;
      base += d.n;
    }

    return new CorpusIndex(documents, chunks, bm25!, saved.graph, labelToChunk, embedder.embeddings, warnings, {
      documents: documents.length,
      chunks: chunks.length,
      embedded,
      ms: performance.now() - t0,
      cached: state === 'cached',
      graph: state,
      graphAdded,
    });
  }
}

/**
 * A chunk read from the cache, its sentence tokens read on first use (see tokensOf) by whoever
 * scores its sentences. A class, so the getter lives on the prototype: defining it on each of
 * 100,000 chunks cost half a second per start (bench/).
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

  constructor(c: Omit<Chunk, 'text' | 'id' | 'sentenceTokens'>, readonly id: string, readonly text: string, tokens: () => SentenceTokens[][], ordinal: number) {
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

/** Chunk vectors: the local embedder reuses the sentence tokens; any other embedder gets the texts. */
async function embedChunks(embeddings: Embeddings, chunks: Chunk[], tokens: SentenceTokens[][]): Promise<number[][]> {
  if (chunks.length === 0) return [];
  if (embeddings instanceof LocalWordVectorEmbeddings) return tokens.map((t) => Array.from(embeddings.embedNorms(t.flatMap((s) => s.norms))));
  return embeddings.embedDocuments(chunks.map((c) => c.text));
}

const GRAPH_FILE = 'hnswlib.index';
const GRAPH_META = 'graph.json';

/** A document's points in the graph: labels first .. first + n - 1. */
interface GraphDoc {
  id: string;
  hash: string;
  first: number;
  n: number;
}

interface GraphMeta {
  version: number;
  docVersion: number;
  embedder: string;
  dims: number;
  /** Size of the graph file, checked before hnswlib reads it. */
  bytes: number;
  /** Labels ever given out (deleted points included). */
  count: number;
  deleted: number;
  /** The live documents, in corpus order. */
  docs: GraphDoc[];
}

interface SavedGraph {
  graph: HnswGraph;
  meta: GraphMeta;
}

/** The saved graph, or undefined when it is missing, damaged, or another embedder's. */
function readGraph(dir: string, embedder: IndexEmbedder): SavedGraph | undefined {
  const meta = readJson<GraphMeta>(path.join(dir, GRAPH_META));
  const file = path.join(dir, GRAPH_FILE);
  // Points of a document cached by another cache version may be other chunks: never reused.
  if (!meta || meta.version !== INDEX_VERSION || meta.docVersion !== DOC_CACHE_VERSION || meta.embedder !== embedder.id || meta.dims !== embedder.dims || !Array.isArray(meta.docs)) return undefined;
  // hnswlib reads a damaged file without checking it (it can crash the process): check the size
  // written beside it first, so a damaged cache is rebuilt, never trusted.
  if (!existsSync(file) || statSync(file).size !== meta.bytes) return undefined;
  try {
    const graph = HnswGraph.read(file, embedder.dims);
    return graph.count === meta.count ? { graph, meta } : undefined;
  } catch {
    return undefined;
  }
}

function writeGraph(dir: string, saved: SavedGraph): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, GRAPH_FILE);
  saved.graph.write(file);
  saved.meta.bytes = statSync(file).size;
  writeFileSync(path.join(dir, GRAPH_META), JSON.stringify(saved.meta));
}

function sameDocs(saved: GraphDoc[], current: GraphDoc[]): boolean {
  if (saved.length !== current.length) return false;
  for (let i = 0; i < saved.length; i++) {
    const [a, b] = [saved[i], current[i]];
    if (a.id !== b.id || a.hash !== b.hash || a.n !== b.n) return false;
    b.first = a.first;
  }
  return true;
}

/** The graph of an earlier corpus state under the same DATA_DIR, if one is usable. */
function previousGraph(indexRoot: string, key: string, embedder: IndexEmbedder): SavedGraph | undefined {
  if (!existsSync(indexRoot)) return undefined;
  const dirs = readdirSync(indexRoot)
    .filter((d) => d !== key && !d.endsWith('.tmp'))
    .map((d) => path.join(indexRoot, d))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const dir of dirs) {
    const saved = readGraph(dir, embedder);
    if (saved) return saved;
  }
  return undefined;
}

/**
 * The previous graph brought to the current corpus: points of documents that changed or went are
 * deleted, vectors of documents that changed or came are added. Undefined when so much is deleted
 * that a rebuild is due (deleted points still cost memory and search time).
 */
async function updateGraph(previous: SavedGraph, current: GraphDoc[], vectorsOf: (d: number) => Promise<number[][]>): Promise<{ graph: SavedGraph; added: number } | undefined> {
  const { graph, meta } = previous;
  const kept = new Map(meta.docs.map((d) => [`${d.id}\0${d.hash}`, d]));
  const reused = new Set<GraphDoc>();
  for (const d of current) {
    const old = kept.get(`${d.id}\0${d.hash}`);
    d.first = -1;
    if (old && old.n === d.n) {
      d.first = old.first;
      reused.add(old);
    }
  }
  const removed = meta.docs.filter((d) => !reused.has(d));
  const adding = current.filter((d) => d.first < 0).reduce((n, d) => n + d.n, 0);
  const deleted = meta.deleted + removed.reduce((n, d) => n + d.n, 0);
  if (deleted > MAX_DELETED_FRACTION * (meta.count + adding)) return undefined;
  for (const d of removed) for (let j = 0; j < d.n; j++) graph.remove(d.first + j);
  let label = meta.count;
  for (let i = 0; i < current.length; i++) {
    const d = current[i];
    if (d.first >= 0) continue;
    d.first = label;
    for (const v of await vectorsOf(i)) graph.add(v, label++);
  }
  return { graph: { graph, meta: { ...meta, count: label, deleted, docs: current } }, added: adding };
}

const BM25_FILE = 'bm25.bin';

/**
 * BM25 as flat arrays: a JSON header line, then lengths, term offsets and postings (uint32), then
 * the terms, one a line. Read with views, no parsing but the terms.
 */
function writeBm25(dir: string, bm25: Bm25Index): void {
  const s = bm25.toSnapshot();
  const terms = Buffer.from(s.terms.join('\n'), 'utf8');
  const header = Buffer.from(`${JSON.stringify({ version: 1, chunks: s.lengths.length, terms: s.terms.length, postings: s.postings.length, termBytes: terms.length })}\n`, 'utf8');
  const pad = Buffer.alloc((4 - (header.length % 4)) % 4, 32);
  const file = path.join(dir, BM25_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([header, pad, u8(s.lengths), u8(s.offsets), u8(s.postings), terms]));
  renameSync(tmp, file);
}

function u8(a: Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The saved BM25 index, or undefined when it is missing, damaged or of another size. */
function readBm25(dir: string, chunks: number): Bm25Index | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path.join(dir, BM25_FILE));
  } catch {
    return undefined;
  }
  const nl = buf.indexOf(10);
  let h: { version: number; chunks: number; terms: number; postings: number; termBytes: number };
  try {
    h = JSON.parse(buf.toString('utf8', 0, nl));
  } catch {
    return undefined;
  }
  if (h.version !== 1 || h.chunks !== chunks) return undefined;
  const start = nl + 1 + ((4 - ((nl + 1) % 4)) % 4);
  const words = h.chunks + h.terms + 1 + h.postings;
  if (buf.length !== start + words * 4 + h.termBytes) return undefined;
  // A copy into a fresh buffer keeps the views 4-byte aligned whatever pool the file was read into.
  const all = new Uint32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + words * 4));
  const terms = h.terms ? buf.toString('utf8', start + words * 4).split('\n') : [];
  if (terms.length !== h.terms) return undefined;
  const lengths = all.subarray(0, h.chunks);
  const offsets = all.subarray(h.chunks, h.chunks + h.terms + 1);
  const postings = all.subarray(h.chunks + h.terms + 1);
  if (offsets[h.terms] !== h.postings) return undefined;
  return Bm25Index.fromSnapshot({ terms, offsets, postings, lengths });
}

/** Chunk vectors as float32 rows: a tenth of their JSON size, read without parsing. */
function writeVectors(file: string, vectors: number[][], dims: number): void {
  const data = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => data.set(v, i * dims));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, new Uint8Array(data.buffer));
  renameSync(tmp, file);
}

function readVectors(file: string, dims: number, n: number): number[][] | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  if (buf.length !== n * dims * 4) return undefined;
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims)));
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}
