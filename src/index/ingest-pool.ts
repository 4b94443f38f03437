// Parsing the documents that changed, spread over the machine's cores. wink-nlp's tokeniser is
// most of ingest and runs on one thread, so a large ingest also starts worker threads (tinypool)
// that parse, tokenise, embed and cache documents with the same function as the main thread
// (ingest-document.ts). The main thread takes documents from the front of the list and the threads
// take batches from the back; each result goes into its document's slot, so the corpus comes out
// in the same order, with the same chunks, whoever parsed what.
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { CorpusFile, CorpusWarning } from '../corpus/load.js';
import { LocalWordVectorEmbeddings } from './embedder-local.js';
import type { DocCacheEntry, DocCacheFiles } from './ingest-document.js';
import type { IndexEmbedder } from './index-embedder.js';
import { loadWordVectors } from './word-vectors.js';

/**
 * Text to parse a thread is started for. A thread loads its modules and wink-nlp's model (0.4 s),
 * then runs unoptimised code and meets every word for the first time: a thread only paid for
 * itself from some 2 MB of text (5,000 chunks, bench/). Run from the sources, it first loads tsx
 * and compiles our modules again (another second), so it waits for more.
 */
export const THREADS_FROM_BYTES = 2_000_000;
const THREADS_FROM_BYTES_SOURCES = 8_000_000;
/** Most text a thread is handed at once: enough to keep it busy between hand-overs. */
const BATCH_BYTES = 64_000;

export interface PendingDoc {
  file: CorpusFile;
  bytes: Buffer;
  text: string;
  files: DocCacheFiles;
}

export interface IngestWorkerData {
  dataDir: string;
  embedderId: string;
  commonComponent?: number[];
}

export interface IngestTask {
  docs: { file: CorpusFile; bytes: Uint8Array; files: DocCacheFiles }[];
}

/** What a thread hands back for a document; the tokens it wrote stay on disk. */
export type ThreadResult = { warning: CorpusWarning } | { entry: DocCacheEntry; stems: string[][]; vectors: Float32Array };

/**
 * Threads to start for `bytes` of text to parse with `embedder` (`wanted`, when given, is how many
 * the caller asks for): none for an embedder other than the local one (a remote embedder waits on
 * the network, not on cores), and by default none for a small ingest.
 */
export function ingestThreads(bytes: number, embedder: IndexEmbedder, dataDir: string, wanted?: number): number {
  const e = embedder.embeddings;
  // A thread loads the word vectors for itself; they must be the very ones this embedder uses.
  if (!(e instanceof LocalWordVectorEmbeddings) || e.vectorsRef !== loadWordVectors(dataDir)) return 0;
  if (wanted !== undefined) return wanted;
  const per = fromSources() ? THREADS_FROM_BYTES_SOURCES : THREADS_FROM_BYTES;
  // Only cores the rest of the machine leaves idle (its load average), one of them for the main
  // thread, which parses too: on cores already busy, threads only added their start-up (bench/).
  const spare = Math.round(availableParallelism() - loadavg()[0]) - 1;
  return Math.max(0, Math.min(spare, Math.floor(bytes / per), 3));
}

/**
 * Parses every pending document, on this thread (`parseHere`) and on `threads` worker threads,
 * handing each result to `done` with the document's place in `pending`, as it comes.
 */
export async function parseAll<R>(
  pending: PendingDoc[],
  threads: number,
  workerData: IngestWorkerData,
  parseHere: (doc: PendingDoc) => Promise<R>,
  fromThread: (doc: PendingDoc, result: ThreadResult) => R,
  done: (i: number, result: R) => void,
): Promise<void> {
  threads = Math.min(threads, pending.length);
  let front = 0;
  let back = pending.length;
  // Smaller batches for a smaller ingest, so that the last ones end at about the same time.
  const total = pending.reduce((n, p) => n + p.bytes.length, 0);
  const batchBytes = Math.min(BATCH_BYTES, total / (4 * (threads + 1)));
  const pool = threads > 0 ? new Tinypool({ filename: workerFile(), workerData, minThreads: threads, maxThreads: threads, idleTimeout: 0 }) : undefined;
  const feed = async (): Promise<void> => {
    while (front < back) {
      let first = back;
      let bytes = 0;
      while (first > front && bytes < batchBytes) bytes += pending[--first].bytes.length;
      const batch = pending.slice(first, back);
      back = first;
      const task: IngestTask = { docs: batch.map(({ file, bytes, files }) => ({ file, bytes, files })) };
      const out = (await pool!.run(task)) as ThreadResult[];
      out.forEach((r, k) => done(first + k, fromThread(pending[first + k], r)));
    }
  };
  let failed: { error: unknown } | undefined;
  // A failure in a thread is the ingest's failure, reported once this thread has stopped too.
  const fed = pool ? Array.from({ length: threads }, () => feed().catch((error: unknown) => void (failed ??= { error }))) : [];
  try {
    while (front < back && !failed) {
      const i = front++;
      done(i, await parseHere(pending[i]));
      // Between documents, let finished batches in, hand out the next ones, and let the cache
      // writes of the documents parsed so far move on to their next step.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(fed);
  } finally {
    back = front;
    await pool?.destroy();
  }
  if (failed) throw failed.error;
}

const here = fileURLToPath(import.meta.url);
const fromSources = () => path.extname(here) === '.ts';

/** The worker's file next to this one: the compiled JavaScript in a build; from the sources, through tsx. */
function workerFile(): string {
  return path.join(path.dirname(here), fromSources() ? 'ingest-worker-tsx.mjs' : 'ingest-worker.js');
}
