// A LangChain VectorStore over hnswlib-node, with save and load. @langchain/community's HNSWLib is
// left out (its optional peers break `npm install` here, DESIGN.md); this is the same idea, small.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Document as LcDocument, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { SaveableVectorStore } from '@langchain/core/vectorstores';
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** HNSW graph parameters: M links per node and the build/search beam widths. */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;
export const HNSW_EF_SEARCH = 64;
const INDEX_FILE = 'hnswlib.index';
const DOCSTORE_FILE = 'docstore.json';

export interface HnswStoreArgs {
  dims: number;
}

export class HnswVectorStore extends SaveableVectorStore {
  declare FilterType: (doc: DocumentInterface) => boolean;
  private index?: Hnsw;
  private readonly docs: DocumentInterface[] = [];

  _vectorstoreType(): string {
    return 'hnswlib-node';
  }

  constructor(
    embeddings: EmbeddingsInterface,
    readonly args: HnswStoreArgs,
  ) {
    super(embeddings, args);
  }

  get size(): number {
    return this.docs.length;
  }

  private ensureCapacity(extra: number): Hnsw {
    if (!this.index) {
      this.index = new HierarchicalNSW('cosine', this.args.dims);
      this.index.initIndex({ maxElements: Math.max(16, extra), m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42 });
      this.index.setEf(HNSW_EF_SEARCH);
    }
    const need = this.index.getCurrentCount() + extra;
    if (need > this.index.getMaxElements()) this.index.resizeIndex(Math.max(need, this.index.getMaxElements() * 2));
    return this.index;
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    await this.addVectors(vectors, documents);
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    if (vectors.length !== documents.length) throw new Error('addVectors: one vector per document');
    if (vectors.length === 0) return;
    const index = this.ensureCapacity(vectors.length);
    for (let i = 0; i < vectors.length; i++) {
      if (vectors[i].length !== this.args.dims) throw new Error(`vector has ${vectors[i].length} dimensions, the index ${this.args.dims}`);
      index.addPoint(vectors[i], this.docs.length);
      this.docs.push(documents[i]);
    }
  }

  /** Nearest documents with their cosine similarity (1 - hnswlib's cosine distance). */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    if (!this.index || this.docs.length === 0) return [];
    const n = Math.min(k, this.docs.length);
    const keep = filter ? (label: number) => filter(this.docs[label]) : undefined;
    const { neighbors, distances } = this.index.searchKnn(query, n, keep);
    return neighbors.map((label, i) => [this.docs[label], 1 - distances[i]]);
  }

  /** Labels (insertion order) and similarities of the nearest vectors: the engine's fast path. */
  searchLabels(query: number[], k: number): { label: number; similarity: number }[] {
    if (!this.index || this.docs.length === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(query, Math.min(k, this.docs.length));
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i] }));
  }

  async save(directory: string): Promise<void> {
    mkdirSync(directory, { recursive: true });
    if (this.index) this.index.writeIndexSync(path.join(directory, INDEX_FILE));
    writeFileSync(path.join(directory, DOCSTORE_FILE), JSON.stringify({ dims: this.args.dims, docs: this.docs.map((d) => ({ pageContent: d.pageContent, metadata: d.metadata })) }));
  }

  static override async load(directory: string, embeddings: EmbeddingsInterface): Promise<HnswVectorStore> {
    const { dims, docs } = JSON.parse(readFileSync(path.join(directory, DOCSTORE_FILE), 'utf8')) as { dims: number; docs: { pageContent: string; metadata: Record<string, unknown> }[] };
    const store = new HnswVectorStore(embeddings, { dims });
    if (docs.length) {
      const index = new HierarchicalNSW('cosine', dims);
      index.readIndexSync(path.join(directory, INDEX_FILE));
      index.setEf(HNSW_EF_SEARCH);
      store.index = index;
    }
    for (const d of docs) store.docs.push(new LcDocument(d));
    return store;
  }
}
