// The corpus on disk -> documents, chunks, a lexical and a vector index, cached under DATA_DIR at
// two levels, so start-up and re-ingest cost what changed: per document (corpus-documents.ts) and
// per corpus state, keyed by every document's hash and the embedder. Any change to the set of files
// gives a new key, so a stale index is never used; the new state's vector graph starts from the
// previous one (graph-cache.ts), and its BM25 index is saved beside the graph as flat arrays, so a
// start with nothing changed re-adds no chunk. A graph built whole (the first ingest, a rebuild)
// is built on a thread of its own while the documents are parsed (graph-builder.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { CorpusWarning } from '../corpus/load.js';
import type { Document } from '../types.js';
import { Bm25Index } from './bm25.js';
import { readBm25, writeBm25 } from './cache-files.js';
import type { Chunk } from './chunk.js';
import { CorpusDocuments, DOC_CACHE_VERSION } from './corpus-documents.js';
import { GraphBuilder } from './graph-builder.js';
import { buildGraph, builtGraph, INDEX_VERSION, labelsToChunks, previousGraph, readGraph, sameDocs, updateGraph, writeGraph, type GraphDoc, type SavedGraph } from './graph-cache.js';
import type { HnswGraph } from './hnsw-graph.js';
import type { IndexEmbedder } from './index-embedder.js';

export interface BuildStats {
  documents: number;
  chunks: number;
  /** Documents parsed and embedded in this run (the rest came from the cache). */
  embedded: number;
  /** Files read and hashed in this run: those whose size or modification time changed since they were last read. */
  read: number;
  /** Files parsed in this run, unusable ones included: the files that changed since the cache was written. */
  parsed: number;
  /** Of those, the files parsed by ingest threads (ingest-pool.ts). */
  parsedInThreads: number;
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

  static async open(opts: { corpusDir: string; dataDir: string; embedder: IndexEmbedder; rebuild?: boolean; threads?: number }): Promise<CorpusIndex> {
    const t0 = performance.now();
    const { dataDir, embedder } = opts;
    const indexRoot = path.join(dataDir, 'cache', 'index');
    // With no earlier corpus state to start from, the graph will be built whole: it is, on a
    // thread of its own, from each document's vectors as soon as they are known.
    let builder = opts.rebuild || !existsSync(indexRoot) || readdirSync(indexRoot).length === 0 ? GraphBuilder.start(embedder.dims) : undefined;
    let corpus: CorpusDocuments;
    try {
      corpus = await CorpusDocuments.read({
        ...opts,
        onVectors:
          builder &&
          ((rows) => {
            if (rows) return builder?.add(rows);
            // A document's vector file is damaged: the graph is built below, once it is embedded again.
            void builder?.cancel();
            builder = undefined;
          }),
      });
    } catch (e) {
      await builder?.cancel();
      throw e;
    }
    const { documents } = corpus;
    const chunks = corpus.chunks();
    const buildBm25 = () => Bm25Index.build(corpus.stemsInOrder());
    const vectorsOf = (d: number) => corpus.vectors(d);

    const key = createHash('sha256')
      .update(JSON.stringify([INDEX_VERSION, DOC_CACHE_VERSION, embedder.id, documents.map((d) => [d.id, d.hash])]))
      .digest('hex')
      .slice(0, 24);
    const indexDir = path.join(indexRoot, key);
    const current: GraphDoc[] = documents.map((d, i) => ({ id: d.id, hash: d.hash, first: -1, n: corpus.chunkCount(i) }));

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
        const built = builder && (await finishGraph(builder, indexRoot));
        builder = undefined;
        saved = built ? builtGraph(embedder, current, built) : await buildGraph(embedder, current, chunks.length, vectorsOf);
        graphAdded = saved.meta.count;
        state = 'built';
      }
      replaceCorpusState(indexRoot, key, saved, bm25);
    }
    await builder?.cancel();

    return new CorpusIndex(documents, chunks, bm25!, saved.graph, labelsToChunks(saved.meta), corpus.warnings, {
      documents: documents.length,
      chunks: chunks.length,
      embedded: corpus.embedded,
      read: corpus.read,
      parsed: corpus.parsed,
      parsedInThreads: corpus.parsedInThreads,
      ms: performance.now() - t0,
      cached: state === 'cached',
      graph: state,
      graphAdded,
    });
  }
}

/** The graph thread's graph; undefined if it failed (the caller builds the graph itself). */
async function finishGraph(builder: GraphBuilder, indexRoot: string): Promise<HnswGraph | undefined> {
  const file = path.join(indexRoot, `graph.${process.pid}.tmp`);
  try {
    mkdirSync(indexRoot, { recursive: true });
    return await builder.finish(file);
  } catch {
    return undefined;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Saves a corpus state's graph and BM25 index whole (written aside, then renamed into place). */
function replaceCorpusState(indexRoot: string, key: string, saved: SavedGraph, bm25: Bm25Index): void {
  const indexDir = path.join(indexRoot, key);
  const tmp = `${indexDir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  writeGraph(tmp, saved);
  writeBm25(tmp, bm25);
  rmSync(indexDir, { recursive: true, force: true });
  renameSync(tmp, indexDir);
  // Older corpus states are of no further use; keep the cache folder from growing forever.
  for (const old of readdirSync(indexRoot)) if (old !== key && !old.endsWith('.tmp')) rmSync(path.join(indexRoot, old), { recursive: true, force: true });
}
