// The corpus on disk -> documents, chunks, a lexical and a vector index, cached under DATA_DIR.
//
// Two cache levels keep start-up and re-ingest proportional to what changed:
//  - per document (keyed by its sha256 and the embedder): parsed sections, chunks, chunk stems and
//    vectors. A changed file is re-parsed and re-embedded; the others are read back.
//  - per corpus (keyed by every document's hash and the embedder): the saved HNSW graph. Any change
//    to the set of files gives a new key, so a stale index is never used.
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
import { HnswGraph, type Neighbor } from './hnsw-graph.js';
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
  chunks: (Omit<Chunk, 'text' | 'id'> & { stems: string[] })[];
  vectors: number[][];
}

const DOC_CACHE_VERSION = 4;
const INDEX_VERSION = 2;

export interface BuildStats {
  documents: number;
  chunks: number;
  /** Documents parsed and embedded in this run (the rest came from the cache). */
  embedded: number;
  ms: number;
  cached: boolean;
}

export class CorpusIndex {
  readonly byId = new Map<string, Document>();

  private constructor(
    readonly documents: Document[],
    readonly chunks: Chunk[],
    readonly chunkStems: string[][],
    readonly bm25: Bm25Index,
    /** The vector index; label i is chunk i. */
    readonly graph: HnswGraph,
    private readonly embeddings: Embeddings,
    readonly warnings: CorpusWarning[],
    readonly stats: BuildStats,
  ) {
    for (const d of documents) this.byId.set(d.id, d);
  }

  /** Nearest chunks to a vector (from this index's embedder), by cosine similarity. */
  vectorSearch(vector: ArrayLike<number>, k: number): { chunk: number; similarity: number }[] {
    return this.graph.search(vector, Math.min(k, this.chunks.length)).map((n: Neighbor) => ({ chunk: n.label, similarity: n.similarity }));
  }

  private store?: HnswVectorStore;

  /**
   * The vector index as a LangChain VectorStore (documents are the chunks, with their document,
   * section and offsets). Loaded on demand: LangChain's VectorStore module costs ~0.4 s per start.
   */
  async vectorStore(): Promise<HnswVectorStore> {
    if (!this.store) {
      const [{ HnswVectorStore }, { Document }] = await Promise.all([import('./hnsw-store.js'), import('@langchain/core/documents')]);
      const docs = this.chunks.map((c, i) => new Document({ pageContent: c.text, metadata: { chunk: i, document: c.document, section: c.section, start: c.start, end: c.end } }));
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
    const entries: DocCacheEntry[] = [];
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
      const cacheFile = path.join(docCacheDir, `${createHash('sha256').update(`${file.id}\0${hash}`).digest('hex').slice(0, 32)}.json`);
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
          // A chunk's lexical terms include its section heading: a question naming the topic finds it.
          chunks: chunks.map(({ text: _t, id: _i, ...c }, i) => {
            let heading = headingTerms.get(c.section);
            if (!heading) headingTerms.set(c.section, (heading = terms(c.section)));
            return { ...c, stems: [...tokens[i].flatMap((t) => t.stems.filter(Boolean)), ...heading], sentenceTokens: tokens[i] };
          }),
          vectors: vectors.map((v) => v.map((x) => Math.round(x * 1e6) / 1e6)),
        };
        writeJsonAtomic(cacheFile, entry);
        embedded++;
      }
      documents.push({ ...entry.doc, text: decoded.text });
      entries.push(entry);
    }
    if (documents.length === 0) {
      const why = warnings.length ? ` (${warnings.map((w) => `${w.file}: ${w.reason}`).join('; ')})` : '';
      throw new CorpusError(`no usable documents in ${corpusDir}: add .md or .txt analyses${why}`);
    }

    const chunks: Chunk[] = [];
    const chunkStems: string[][] = [];
    const bm25 = new Bm25Index();
    entries.forEach((entry, d) => {
      const doc = documents[d];
      for (const c of entry.chunks) {
        const { stems, ...rest } = c;
        chunks.push({ ...rest, id: `${doc.id}#${chunks.length}`, text: doc.text.slice(c.start, c.end) });
        chunkStems.push(stems);
        bm25.add(stems);
      }
    });

    const key = createHash('sha256')
      .update(JSON.stringify([INDEX_VERSION, embedder.id, documents.map((d) => [d.id, d.hash])]))
      .digest('hex')
      .slice(0, 24);
    const indexRoot = path.join(dataDir, 'cache', 'index');
    const indexDir = path.join(indexRoot, key);
    let graph: HnswGraph | undefined;
    let cached = false;
    if (!opts.rebuild) {
      graph = readGraph(indexDir, embedder.dims, chunks.length);
      cached = graph !== undefined;
    }
    if (!graph) {
      graph = HnswGraph.create(embedder.dims, chunks.length);
      let label = 0;
      for (const e of entries) for (const v of e.vectors) graph.add(v, label++);
      const tmp = `${indexDir}.${process.pid}.tmp`;
      rmSync(tmp, { recursive: true, force: true });
      writeGraph(tmp, graph, chunks.length);
      rmSync(indexDir, { recursive: true, force: true });
      renameSync(tmp, indexDir);
      // Older corpus states are of no further use; keep the cache folder from growing forever.
      for (const old of readdirSync(indexRoot)) if (old !== key && !old.endsWith('.tmp')) rmSync(path.join(indexRoot, old), { recursive: true, force: true });
    }

    return new CorpusIndex(documents, chunks, chunkStems, bm25, graph, embedder.embeddings, warnings, {
      documents: documents.length,
      chunks: chunks.length,
      embedded,
      ms: performance.now() - t0,
      cached,
    });
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

/** The saved graph, or undefined when it is missing, damaged or not the expected size. */
function readGraph(dir: string, dims: number, count: number): HnswGraph | undefined {
  const meta = readJson<{ dims: number; count: number; bytes: number }>(path.join(dir, GRAPH_META));
  const file = path.join(dir, GRAPH_FILE);
  // hnswlib reads a damaged file without checking it (it can crash the process): check the size
  // written beside it first, so a damaged cache is rebuilt, never trusted.
  if (!meta || meta.dims !== dims || meta.count !== count || !existsSync(file) || statSync(file).size !== meta.bytes) return undefined;
  try {
    const graph = HnswGraph.read(file, dims);
    return graph.count === count ? graph : undefined;
  } catch {
    return undefined;
  }
}

function writeGraph(dir: string, graph: HnswGraph, count: number): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, GRAPH_FILE);
  graph.write(file);
  writeFileSync(path.join(dir, GRAPH_META), JSON.stringify({ dims: graph.dims, count, bytes: statSync(file).size }));
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
