// The HNSW graph (hnswlib-node), used directly rather than behind LangChain's VectorStore:
// importing @langchain/core/vectorstores loads its Runnable stack (callbacks, langsmith, zod: ~360
// modules, ~0.4 s of CPU per start, measured with bench/), which `briefbot ask` has no use for.
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** HNSW graph parameters: M links per node and the build/search beam widths. */
export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 100;
export const HNSW_EF_SEARCH = 64;

export interface Neighbor {
  label: number;
  /** Cosine similarity (1 - hnswlib's cosine distance). */
  similarity: number;
}

export class HnswGraph {
  private constructor(
    private readonly index: Hnsw,
    readonly dims: number,
  ) {}

  static create(dims: number, capacity = 16): HnswGraph {
    const index = new HierarchicalNSW('cosine', dims);
    index.initIndex({ maxElements: Math.max(16, capacity), m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42 });
    index.setEf(HNSW_EF_SEARCH);
    return new HnswGraph(index, dims);
  }

  static read(file: string, dims: number): HnswGraph {
    const index = new HierarchicalNSW('cosine', dims);
    index.readIndexSync(file);
    index.setEf(HNSW_EF_SEARCH);
    return new HnswGraph(index, dims);
  }

  write(file: string): void {
    this.index.writeIndexSync(file);
  }

  /** Points ever added, deleted ones included (labels are never reused). */
  get count(): number {
    return this.index.getCurrentCount();
  }

  add(vector: ArrayLike<number>, label: number): void {
    if (vector.length !== this.dims) throw new Error(`vector has ${vector.length} dimensions, the index ${this.dims}`);
    const need = this.index.getCurrentCount() + 1;
    if (need > this.index.getMaxElements()) this.index.resizeIndex(Math.max(need, this.index.getMaxElements() * 2));
    // hnswlib-node accepts a plain Array only (addon.cc checks IsArray()).
    this.index.addPoint(Array.isArray(vector) ? vector : Array.from(vector), label);
  }

  /** Removes a point from every later search; its slot stays in the graph until a rebuild. */
  remove(label: number): void {
    this.index.markDelete(label);
  }

  search(query: ArrayLike<number>, k: number, filter?: (label: number) => boolean): Neighbor[] {
    const n = Math.min(k, this.index.getMaxElements());
    if (n <= 0 || this.index.getCurrentCount() === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(Array.isArray(query) ? query : Array.from(query), n, filter);
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i] }));
  }
}
