// An ingest thread (ingest-pool.ts): reads, parses, tokenises and embeds documents with the same
// functions as the main thread, its own first ones and then the next of the shared ones until none
// is left, writes their cache files, and hands back each document's entry and vectors as it is done.
import { parentPort, workerData } from 'node:worker_threads';
import { LocalWordVectorEmbeddings } from './embedder-local.js';
import { embedLocal, readForIndex } from './ingest-document.js';
import type { IngestWorkerData, ThreadMessage, ThreadResult } from './ingest-pool.js';
import { loadWordVectors } from './word-vectors.js';

const data = workerData as IngestWorkerData;
const post = (m: ThreadMessage) => parentPort!.postMessage(m);

async function run(): Promise<void> {
  // The main thread's common component, not one fitted here: the vectors must be the same.
  const embeddings = new LocalWordVectorEmbeddings(loadWordVectors(data.dataDir), data.commonComponent && Float32Array.from(data.commonComponent));
  if (embeddings.id !== data.embedderId) throw new Error(`ingest thread embedder ${embeddings.id} is not ${data.embedderId}`);
  const claims = new Int32Array(data.claims);
  const writes: Promise<void>[] = [];
  let writeFailed: { error: unknown } | undefined;
  const one = async (i: number): Promise<ThreadResult> => {
    const at = { cacheDir: data.cacheDir, fresh: data.fresh, known: data.known[i] };
    // Caught here, so a failed write is this thread's failure, reported once, at the end.
    const r = await readForIndex(data.files[i], at, (p) => embedLocal(embeddings, p.tokens), (w) => writes.push(w.catch((error: unknown) => void (writeFailed ??= { error }))));
    // The chunk terms stay on disk (written above, before this thread ends): the main thread reads
    // them back when it builds BM25, after every thread has ended, so no message carries them.
    if ('stems' in r) delete r.stems;
    return r;
  };
  for (const i of taken(claims)) {
    post({ i, result: await one(i) });
    // Let the cache writes move on to their next step between documents.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(writes);
  if (writeFailed) throw writeFailed.error;
}

/** This thread's own documents, then each next shared one until none is left. */
function* taken(claims: Int32Array): Generator<number> {
  for (let i = data.own[0]; i < data.own[1]; i++) yield i;
  for (let i = Atomics.add(claims, 0, 1); i < claims[1]; i = Atomics.add(claims, 0, 1)) yield i;
}

run().then(
  () => post({ done: true }),
  (e: unknown) => post({ error: String((e as Error)?.stack ?? e) }),
);
