// The file formats of the index cache. Every file is written to a temporary name and renamed, so a
// crash mid-write leaves the old file or none, never half of one; every reader returns undefined
// for a missing or damaged file, and the caller rebuilds what it held.
import { readFileSync, rename, renameSync, writeFile, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { Bm25Index } from './bm25.js';

export function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

let writes = 0;

/**
 * As writeAtomic, on libuv's threads: ingest writes a file a document, and waiting for each in
 * turn (four a document then) kept the main thread in the kernel for a sixth of a cold ingest (bench/).
 */
export function writeAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  // A name of its own per write (and thread): two writes of one file at once must not share one.
  const tmp = `${file}.${process.pid}.${threadId}.${++writes}.tmp`;
  // Callbacks rather than fs/promises: a FileHandle per file cost the main thread more than the
  // synchronous writes it replaced.
  return new Promise((resolve, reject) => writeFile(tmp, data, (e) => (e ? reject(e) : rename(tmp, file, (e2) => (e2 ? reject(e2) : resolve())))));
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const BM25_FILE = 'bm25.bin';

/**
 * BM25 as flat arrays: a JSON header line, then lengths, term offsets and postings (uint32), then
 * the terms, one a line. Read with views, no parsing but the terms.
 */
export function writeBm25(dir: string, bm25: Bm25Index): void {
  const s = bm25.toSnapshot();
  const terms = Buffer.from(s.terms.join('\n'), 'utf8');
  const header = Buffer.from(`${JSON.stringify({ version: 1, chunks: s.lengths.length, terms: s.terms.length, postings: s.postings.length, termBytes: terms.length })}\n`, 'utf8');
  const pad = Buffer.alloc((4 - (header.length % 4)) % 4, 32);
  writeAtomic(path.join(dir, BM25_FILE), Buffer.concat([header, pad, u8(s.lengths), u8(s.offsets), u8(s.postings), terms]));
}

function u8(a: Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The saved BM25 index, or undefined when it is missing, damaged or of another size. */
export function readBm25(dir: string, chunks: number): Bm25Index | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path.join(dir, BM25_FILE));
  } catch {
    return undefined;
  }
  const nl = buf.indexOf(10);
  let h: { version: number; chunks: number; terms: number; postings: number; termBytes: number };
  try {
    h = JSON.parse(buf.toString('utf8', 0, nl));
  } catch {
    return undefined;
  }
  if (h.version !== 1 || h.chunks !== chunks) return undefined;
  const start = nl + 1 + ((4 - ((nl + 1) % 4)) % 4);
  const words = h.chunks + h.terms + 1 + h.postings;
  if (buf.length !== start + words * 4 + h.termBytes) return undefined;
  // A copy into a fresh buffer keeps the views 4-byte aligned whatever pool the file was read into.
  const all = new Uint32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + words * 4));
  const terms = h.terms ? buf.toString('utf8', start + words * 4).split('\n') : [];
  if (terms.length !== h.terms) return undefined;
  const lengths = all.subarray(0, h.chunks);
  const offsets = all.subarray(h.chunks, h.chunks + h.terms + 1);
  const postings = all.subarray(h.chunks + h.terms + 1);
  if (offsets[h.terms] !== h.postings) return undefined;
  return Bm25Index.fromSnapshot({ terms, offsets, postings, lengths });
}
