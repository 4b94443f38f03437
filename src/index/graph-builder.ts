// A new vector graph built on a thread of its own while the corpus is still being parsed: HNSW
// insertion was an eighth of a cold ingest (5,000 chunks, bench/), and it needs nothing but the
// vectors, which arrive in corpus order. The points go in in that order, one at a time, with the
// parameters and seed of HnswGraph.create, so the graph is the one buildGraph (graph-cache.ts)
// makes on the main thread. The thread's code is a script of its own (below): it loads no module
// of ours, so it starts in milliseconds with or without tsx.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { HNSW_EF_CONSTRUCTION, HNSW_M, HnswGraph } from './hnsw-graph.js';

const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { HierarchicalNSW } = require(workerData.hnswlib);
const { dims, m, efConstruction } = workerData;
const index = new HierarchicalNSW('cosine', dims);
index.initIndex({ maxElements: 16, m, efConstruction, randomSeed: 42 });
let label = 0;
parentPort.on('message', (msg) => {
  try {
    if (msg.rows) {
      for (let at = 0; at < msg.rows.length; at += dims) {
        // As HnswGraph.add: the capacity doubles as points come.
        if (label + 1 > index.getMaxElements()) index.resizeIndex(Math.max(label + 1, index.getMaxElements() * 2));
        index.addPoint(Array.from(msg.rows.subarray(at, at + dims)), label++);
      }
      return;
    }
    // The capacity HnswGraph.create would have given a graph of this many points.
    if (index.getMaxElements() !== Math.max(16, label)) index.resizeIndex(Math.max(16, label));
    index.writeIndexSync(msg.file);
    parentPort.postMessage({ count: label });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.stack || e) });
  }
});
`;

/** Vectors handed to the thread at once: 64 rows are ~20 ms of its work. */
const BATCH_ROWS = 64;

export class GraphBuilder {
  private readonly worker: Worker;
  private readonly done: Promise<{ count?: number; error?: string }>;
  private added = 0;
  private pending: Float32Array[] = [];
  private pendingRows = 0;

  /** A builder, or none when no thread can be started (the graph is then built on this one). */
  static start(dims: number): GraphBuilder | undefined {
    try {
      return new GraphBuilder(dims);
    } catch {
      return undefined;
    }
  }

  constructor(readonly dims: number) {
    const hnswlib = createRequire(import.meta.url).resolve('hnswlib-node');
    this.worker = new Worker(THREAD, { eval: true, workerData: { hnswlib, dims, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION } });
    this.done = new Promise((resolve) => {
      this.worker.once('message', resolve);
      this.worker.once('error', (e) => resolve({ error: String(e) }));
      this.worker.once('exit', (code) => resolve({ error: `graph thread exited (${code})` }));
    });
  }

  /** Appends the next vectors (rows of `dims`), labelled on from the last. */
  add(rows: Float32Array): void {
    if (rows.length % this.dims !== 0) throw new Error(`vectors of ${rows.length} numbers are not rows of ${this.dims}`);
    this.added += rows.length / this.dims;
    this.pending.push(rows);
    this.pendingRows += rows.length / this.dims;
    if (this.pendingRows >= BATCH_ROWS) this.flush();
  }

  /**
   * Hands the rows added so far to the thread in one message. A message a document woke the
   * thread once a document, and on a busy machine each wake-up took the processor from this
   * thread: 620 small WikiQA documents spent 0.2 s in postMessage on a loaded machine (bench/).
   */
  private flush(): void {
    if (this.pending.length === 0) return;
    const rows = new Float32Array(this.pendingRows * this.dims);
    let at = 0;
    for (const r of this.pending) {
      rows.set(r, at);
      at += r.length;
    }
    this.pending = [];
    this.pendingRows = 0;
    this.worker.postMessage({ rows }, [rows.buffer]);
  }

  /** The graph of every vector added, written to `file` by the thread and read back from it. */
  async finish(file: string): Promise<HnswGraph> {
    this.flush();
    this.worker.postMessage({ file });
    const r = await this.done;
    await this.worker.terminate();
    if (r.error !== undefined || r.count !== this.added) throw new Error(`building the vector graph failed: ${r.error ?? `${r.count} of ${this.added} points`}`);
    return HnswGraph.read(file, this.dims);
  }

  async cancel(): Promise<void> {
    await this.worker.terminate();
  }
}
