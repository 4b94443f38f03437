// The saved HNSW graph of a corpus state, with the label range of each document. A new corpus
// state starts from the previous graph, updated in place (the changed documents' points deleted,
// their new vectors added), rather than built from every cached vector, until deleted points pile
// up: with 10k documents, one changed file took 7.3 s to rebuild and takes 2.2 s (bench/README.md).
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readJson } from './cache-files.js';
import { DOC_CACHE_VERSION } from './ingest-document.js';
import { HnswGraph } from './hnsw-graph.js';
import type { IndexEmbedder } from './index-embedder.js';

/** Part of the corpus cache key: a graph saved by another version is never read. */
export const INDEX_VERSION = 3;
/** Past this share of deleted points in the graph, it is rebuilt rather than updated. */
export const MAX_DELETED_FRACTION = 0.25;
const GRAPH_FILE = 'hnswlib.index';
const GRAPH_META = 'graph.json';

/** A document's points in the graph: labels first .. first + n - 1. */
export interface GraphDoc {
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

export interface SavedGraph {
  graph: HnswGraph;
  meta: GraphMeta;
}

type VectorsOf = (d: number) => Promise<number[][]>;

/** The saved graph, or undefined when it is missing, damaged, or another embedder's. */
export function readGraph(dir: string, embedder: IndexEmbedder): SavedGraph | undefined {
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

export function writeGraph(dir: string, saved: SavedGraph): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, GRAPH_FILE);
  saved.graph.write(file);
  saved.meta.bytes = statSync(file).size;
  writeFileSync(path.join(dir, GRAPH_META), JSON.stringify(saved.meta));
}

/** True when the saved graph holds exactly the current documents; their labels are then copied to `current`. */
export function sameDocs(saved: GraphDoc[], current: GraphDoc[]): boolean {
  if (saved.length !== current.length) return false;
  for (let i = 0; i < saved.length; i++) {
    const [a, b] = [saved[i], current[i]];
    if (a.id !== b.id || a.hash !== b.hash || a.n !== b.n) return false;
    b.first = a.first;
  }
  return true;
}

/** The graph of an earlier corpus state under the same DATA_DIR, if one is usable. */
export function previousGraph(indexRoot: string, key: string, embedder: IndexEmbedder): SavedGraph | undefined {
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
export async function updateGraph(previous: SavedGraph, current: GraphDoc[], vectorsOf: VectorsOf): Promise<{ graph: SavedGraph; added: number } | undefined> {
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

/** A graph of every current document's vectors, labelled in corpus order. */
export async function buildGraph(embedder: IndexEmbedder, current: GraphDoc[], capacity: number, vectorsOf: VectorsOf): Promise<SavedGraph> {
  const graph = HnswGraph.create(embedder.dims, capacity);
  let label = 0;
  for (let d = 0; d < current.length; d++) for (const v of await vectorsOf(d)) graph.add(v, label++);
  return builtGraph(embedder, current, graph);
}

/** A graph built from every current document's vectors in corpus order (here or by graph-builder.ts), with its labels. */
export function builtGraph(embedder: IndexEmbedder, current: GraphDoc[], graph: HnswGraph): SavedGraph {
  let label = 0;
  for (const d of current) {
    d.first = label;
    label += d.n;
  }
  return { graph, meta: { version: INDEX_VERSION, docVersion: DOC_CACHE_VERSION, embedder: embedder.id, dims: embedder.dims, bytes: 0, count: label, deleted: 0, docs: current } };
}

/** Chunk index of each label, in corpus order (-1: a deleted point). */
export function labelsToChunks(meta: GraphMeta): Int32Array {
  const labelToChunk = new Int32Array(meta.count).fill(-1);
  let base = 0;
  for (const d of meta.docs) {
    for (let j = 0; j < d.n; j++) labelToChunk[d.first + j] = base + j;
    base += d.n;
  }
  return labelToChunk;
}
