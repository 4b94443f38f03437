// An ingest thread (ingest-pool.ts): parses, tokenises and embeds the documents it is handed with
// the same function as the main thread, writes their cache files, and hands back what the index
// is built from. The sentence tokens stay on disk: the main thread reads them when first scored.
import Tinypool from 'tinypool';
import { readDocumentText } from '../corpus/load.js';
import { LocalWordVectorEmbeddings } from './embedder-local.js';
import { embedLocal, parseForIndex, writeDocCache } from './ingest-document.js';
import type { IngestTask, IngestWorkerData, ThreadResult } from './ingest-pool.js';
import { loadWordVectors } from './word-vectors.js';

const data = Tinypool.workerData as IngestWorkerData;
let embeddings: LocalWordVectorEmbeddings | undefined;

export default async function ingest(task: IngestTask): Promise<ThreadResult[]> {
  // The main thread's common component, not one fitted here: the vectors must be the same.
  embeddings ??= new LocalWordVectorEmbeddings(loadWordVectors(data.dataDir), data.commonComponent && Float32Array.from(data.commonComponent));
  if (embeddings.id !== data.embedderId) throw new Error(`ingest thread embedder ${embeddings.id} is not ${data.embedderId}`);
  const writes: Promise<void>[] = [];
  const results = task.docs.map(({ file, bytes, files }): ThreadResult => {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const read = readDocumentText(buffer);
    if ('reason' in read) return { warning: { file: file.id, reason: read.reason } };
    const parsed = parseForIndex(file, read.text, buffer);
    if ('reason' in parsed) return { warning: parsed };
    const vectors = embedLocal(embeddings!, parsed.tokens);
    writes.push(writeDocCache(files, parsed, vectors));
    return { entry: parsed.entry, stems: parsed.stems, vectors };
  });
  await Promise.all(writes);
  return results;
}
