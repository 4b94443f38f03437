// A LangChain VectorStore over hnswlib-node, with save and load. @langchain/community's HNSWLib is
// left out (its optional peers break `npm install` here, DESIGN.md); this is the same idea, small.
// The graph lives in hnsw-graph.ts, free of LangChain, so the answer path can use it without
// loading LangChain's Runnable stack; CorpusIndex.vectorStore() wraps its graph in this class.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Document as LcDocument, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { SaveableVectorStore } from '@langchain/core/vectorstores';
import { HnswGraph } from './hnsw-graph.js';

export { HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M } from './hnsw-graph.js';
const INDEX_FILE = 'hnswlib.index';
const DOCSTORE_FILE = 'docstore.json';

export interface HnswStoreArgs {
  dims: number;
}

export class HnswVectorStore extends SaveableVectorStore {
  declare FilterType: (doc: DocumentInterface) => boolean;
  private graph?: HnswGraph;
  /** Documents by label; a hole where a label is not (or no longer) in the graph. */
  private readonly docs: (DocumentInterface | undefined)[] = [];
  private holes = false;

  _vectorstoreType(): string {
    return 'hnswlib-node';
  }

  constructor(
    embeddings: EmbeddingsInterface,
    readonly args: HnswStoreArgs,
  ) {
    super(embeddings, args);
  }

  /** A store over an existing graph whose label i is `docs[i]` (holes for labels not to return). */
  static fromGraph(embeddings: EmbeddingsInterface, graph: HnswGraph, docs: (DocumentInterface | undefined)[]): HnswVectorStore {
    const store = new HnswVectorStore(embeddings, { dims: graph.dims });
    store.graph = graph;
    store.docs.push(...docs);
    store.holes = docs.includes(undefined);
    return store;
  }

  get size(): number {
    return this.docs.length;
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    await this.addVectors(vectors, documents);
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    if (vectors.length !== documents.length) throw new Error('addVectors: one vector per document');
    if (vectors.length === 0) return;
    this.graph ??= HnswGraph.create(this.args.dims, vectors.length);
    for (let i = 0; i < vectors.length; i++) {
      this.graph.add(vectors[i], this.docs.length);
      this.docs.push(documents[i]);
    }
  }

  /** Nearest documents with their cosine similarity (1 - hnswlib's cosine distance). */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    if (!this.graph || this.docs.length === 0) return [];
    // A filter costs a call into JavaScript per candidate: pass one only when something is filtered.
    const keep = filter || this.holes ? (label: number) => this.docs[label] !== undefined && (!filter || filter(this.docs[label]!)) : undefined;
    return this.graph.search(query, Math.min(k, this.docs.length), keep).map(({ label, similarity }) => [this.docs[label]!, similarity]);
  }

  /** Labels (insertion order) and similarities of the nearest vectors. */
  searchLabels(query: number[], k: number): { label: number; similarity: number }[] {
    if (!this.graph || this.docs.length === 0) return [];
    return this.graph.search(query, Math.min(k, this.docs.length));
  }

  async save(directory: string): Promise<void> {
    mkdirSync(directory, { recursive: true });
    if (this.graph) this.graph.write(path.join(directory, INDEX_FILE));
    writeFileSync(path.join(directory, DOCSTORE_FILE), JSON.stringify({ dims: this.args.dims, docs: this.docs.map((d) => d && { pageContent: d.pageContent, metadata: d.metadata }) }));
  }

  static override async load(directory: string, embeddings: EmbeddingsInterface): Promise<HnswVectorStore> {
    const { dims, docs } = JSON.parse(readFileSync(path.join(directory, DOCSTORE_FILE), 'utf8')) as { dims: number; docs: ({ pageContent: string; metadata: Record<string, unknown> } | null)[] };
    const store = new HnswVectorStore(embeddings, { dims });
    if (docs.length) store.graph = HnswGraph.read(path.join(directory, INDEX_FILE), dims);
    for (const d of docs) store.docs.push(d ? new LcDocument(d) : undefined);
    store.holes = store.docs.includes(undefined);
    return store;
  }
}
