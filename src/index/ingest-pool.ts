// Reading and parsing the files that changed, spread over the machine's cores. wink-nlp's tokeniser
// is most of ingest and runs on one thread, so a large ingest also starts worker threads that read,
// parse, tokenise, embed and cache documents with the same functions as the main thread
// (ingest-document.ts). Every thread takes the next document from one counter in shared memory,
// so the corpus is parsed front to back whoever is faster, and a thread never waits for the main
// one to hand it work; each result goes into its document's slot, so the corpus comes out in the
// same order, with the same chunks, whoever parsed what.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CorpusFile } from '../corpus/load.js';
import { LocalWordVectorEmbeddings } from './embedder-local.js';
import type { FileResult } from './ingest-document.js';
import type { IndexEmbedder } from './index-embedder.js';
import { loadWordVectors } from './word-vectors.js';

/**
 * Text to read a thread is started for. A thread loads its modules and wink-nlp's model, then runs
 * unoptimised code and meets every word for the first time (it added 1.4-2 s of CPU to synthetic
 * 5k and 10k, bench/): it only paid for itself from some 2 MB of text. Run from the sources, it
 * first loads tsx and compiles our modules again (another second), so it waits for more.
 */
export const THREADS_FROM_BYTES = 2_000_000;
const THREADS_FROM_BYTES_SOURCES = 8_000_000;
/** Longest this thread works between two turns of the event loop. */
const YIELD_MS = 5;
/** Text each thread takes from the back of the list as it starts, before sharing the rest. */
const FIRST_BYTES = 64_000;

export interface IngestWorkerData {
  dataDir: string;
  embedderId: string;
  commonComponent?: number[];
  cacheDir: string;
  /** No cached entry is looked for (a rebuild, or a cache folder with no document in it). */
  fresh: boolean;
  files: CorpusFile[];
  /** Per file, the hash it had when last read if its size and time are still those (file-manifest.ts). */
  known: (string | undefined)[];
  /** Int32 [next document to take, end of the shared documents], shared by every thread. */
  claims: SharedArrayBuffer;
  /** This thread's own first documents, [first, end). */
  own: [number, number];
}

/** What a thread hands back for a document: a warning, its cached entry, or what it parsed (its tokens stay on disk). */
export type ThreadResult = FileResult;

export type ThreadMessage = { i: number; result: ThreadResult } | { done: true } | { error: string };

/**
 * Threads to start for `bytes` of text to read with `embedder` (`wanted`, when given, is how many
 * the caller asks for): none for an embedder other than the local one (a remote embedder waits on
 * the network, not on cores), and by default one a core that neither this thread nor the `busy`
 * ones (the vector graph's) keep busy, none for a small ingest. With no such core, one thread
 * shares the graph thread's, where it gets about half of it and pays for its start only from twice
 * the text: on two cores, beside this thread and the graph's, a third made synthetic 5k (2.4 MB)
 * no faster (2.8-4.2 s against 3.2-3.6 s) and 10k (4.8 MB) 5-8% faster (5.4-5.8 s against
 * 5.9-6.1 s), for 1.5-2 s more CPU (bench/). The load average is not asked: it counts this very
 * process (and the one before it), which kept threads from ever starting on two cores.
 */
export function ingestThreads(bytes: number, embedder: IndexEmbedder, dataDir: string, busy: number, wanted?: number): number {
  const e = embedder.embeddings;
  // A thread loads the word vectors for itself; they must be the very ones this embedder uses.
  if (!(e instanceof LocalWordVectorEmbeddings) || e.vectorsRef !== loadWordVectors(dataDir)) return 0;
  if (wanted !== undefined) return wanted;
  const per = fromSources() ? THREADS_FROM_BYTES_SOURCES : THREADS_FROM_BYTES;
  const others = availableParallelism() - 1;
  if (others <= 0) return 0;
  if (others <= busy) return bytes >= 2 * per ? 1 : 0;
  return Math.min(others - busy, Math.floor(bytes / per), 3);
}

/**
 * Reads every file, on this thread (`here`) and on `threads` worker threads, handing each result
 * to `done` with the file's place in `files`, as it comes. The threads start at once: call this
 * before anything else, so that they load while this thread works.
 */
export async function ingestAll<R>(
  threads: number,
  data: Omit<IngestWorkerData, 'claims' | 'own'>,
  here: (i: number) => Promise<R>,
  fromThread: (i: number, result: ThreadResult) => R,
  done: (i: number, result: R) => void,
): Promise<void> {
  const { files } = data;
  threads = Math.min(threads, files.length);
  const claims = new Int32Array(new SharedArrayBuffer(8));
  // Each thread's own first documents come from the back, so that it has work the moment it is
  // ready however fast this thread is; the rest are shared, taken from the front by whoever is free.
  let end = files.length;
  const own: [number, number][] = [];
  for (let t = 0; t < threads; t++) {
    let first = end;
    for (let bytes = 0; first > 0 && bytes < FIRST_BYTES; ) bytes += files[--first].size;
    own.push([first, end]);
    end = first;
  }
  claims[1] = end;
  let failed: { error: unknown } | undefined;
  let got = 0;
  const workers = own.map((range) => {
    const worker = new Worker(workerFile(), { workerData: { ...data, claims: claims.buffer, own: range } satisfies IngestWorkerData });
    return {
      worker,
      finished: new Promise<void>((resolve) => {
        let settled = false;
        const settle = (error?: unknown) => {
          if (settled) return;
          settled = true;
          if (error !== undefined) failed ??= { error };
          resolve();
        };
        worker.on('message', (m: ThreadMessage) => {
          if ('i' in m) {
            got++;
            done(m.i, fromThread(m.i, m.result));
          } else settle('error' in m ? new Error(`ingest thread failed: ${m.error}`) : undefined);
        });
        worker.once('error', settle);
        // Node delivers a thread's messages before its exit: exiting before "done" is a failure.
        worker.once('exit', (code) => settle(new Error(`ingest thread exited (${code}) before it finished`)));
      }),
    };
  });
  let turned = performance.now();
  try {
    for (let i = Atomics.add(claims, 0, 1); i < end && !failed; i = Atomics.add(claims, 0, 1)) {
      done(i, await here(i));
      got++;
      // Between documents, let the threads' results in, and let the cache writes of the
      // documents parsed so far move on to their next step; not after each document read back
      // from the cache (a turn after each one made a cached open of synthetic 10k 170-250 ms
      // rather than 145-190, bench/).
      if (performance.now() - turned >= YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        turned = performance.now();
      }
    }
    await Promise.all(workers.map((w) => w.finished));
  } finally {
    // No thread takes another document once this one stops (a failure on either side).
    Atomics.store(claims, 0, end);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
  if (failed) throw failed.error;
  if (got !== files.length) throw new Error(`ingest read ${got} of ${files.length} files`);
}

const here = fileURLToPath(import.meta.url);
const fromSources = () => path.extname(here) === '.ts';

/** The worker's file next to this one: the compiled JavaScript in a build; from the sources, through tsx. */
function workerFile(): string {
  return path.join(path.dirname(here), fromSources() ? 'ingest-worker-tsx.mjs' : 'ingest-worker.js');
}
