// One document's cache as one file: its entry (the document and its chunks), its text, chunk
// vectors, chunk terms and sentence tokens one after another behind a header of their lengths,
// each read on its own when needed (the entry and text at every start, the rest later or never).
// One file rather than one a part: creating a file took 0.6 ms on the bench machine, and 2-5 ms
// under its crowded /tmp; WikiQA's 620 documents made 2,480 files, 3.4-4.3 s of the file threads'
// time and 2-2.7 s of CPU (bench/). The text is a part of its own, as the file's bytes: inside the
// entry's JSON, reading back the entries of synthetic 10k took 50-87 ms rather than 39-63.
// Written whole to a temporary name and renamed.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0x32434442; // "BDC2"
const HEADER_BYTES = 24;

export interface DocFileParts {
  /** JSON */
  entry: string;
  text: string;
  vectors: Float32Array;
  /** JSON */
  stems: string;
  /** JSON */
  tokens: string;
}

type Part = 'entry' | 'text' | 'vectors' | 'stems' | 'tokens';

/** Where each part lies in the file: [offset, bytes]. */
export type DocFileLayout = Record<Part, [number, number]>;

function layoutOf(entry: number, text: number, vectors: number, stems: number, tokens: number): DocFileLayout {
  // The vectors start on a multiple of 4 bytes, so they can be read as float32 rows.
  const textAt = HEADER_BYTES + entry;
  const vectorsAt = textAt + text + ((4 - ((textAt + text) % 4)) % 4);
  return { entry: [HEADER_BYTES, entry], text: [textAt, text], vectors: [vectorsAt, vectors], stems: [vectorsAt + vectors, stems], tokens: [vectorsAt + vectors + stems, tokens] };
}

export function encodeDocFile(parts: DocFileParts): { bytes: Buffer; layout: DocFileLayout } {
  const [entry, text, stems, tokens] = [parts.entry, parts.text, parts.stems, parts.tokens].map((s) => Buffer.byteLength(s, 'utf8'));
  const layout = layoutOf(entry, text, parts.vectors.byteLength, stems, tokens);
  // Written straight into the file's bytes: no buffer of each part first.
  const bytes = Buffer.alloc(layout.tokens[0] + tokens);
  bytes.writeUInt32LE(MAGIC, 0);
  [entry, text, parts.vectors.byteLength, stems, tokens].forEach((n, i) => bytes.writeUInt32LE(n, 4 + 4 * i));
  bytes.write(parts.entry, layout.entry[0], 'utf8');
  bytes.write(parts.text, layout.text[0], 'utf8');
  bytes.set(new Uint8Array(parts.vectors.buffer, parts.vectors.byteOffset, parts.vectors.byteLength), layout.vectors[0]);
  bytes.write(parts.stems, layout.stems[0], 'utf8');
  bytes.write(parts.tokens, layout.tokens[0], 'utf8');
  return { bytes, layout };
}

/** The file's entry (JSON), text and layout; undefined when it is missing, of another format or not of its length. */
export function readDocEntry(file: string): { entry: string; text: string; layout: DocFileLayout } | undefined {
  return withFile(file, (fd) => {
    const head = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, head, 0, HEADER_BYTES, 0) !== HEADER_BYTES || head.readUInt32LE(0) !== MAGIC) return undefined;
    const [entry, text, vectors, stems, tokens] = [4, 8, 12, 16, 20].map((at) => head.readUInt32LE(at));
    const layout = layoutOf(entry, text, vectors, stems, tokens);
    // A file cut short (or grown) is damaged: never trusted.
    if (fstatSync(fd).size !== layout.tokens[0] + tokens) return undefined;
    // The entry and the text lie side by side: one read.
    const bytes = readAt(fd, [layout.entry[0], entry + text]);
    return bytes && { entry: bytes.toString('utf8', 0, entry), text: bytes.toString('utf8', entry), layout };
  });
}

/** A JSON part of the file, or undefined. */
export function readDocText(file: string, layout: DocFileLayout, part: 'stems' | 'tokens'): string | undefined {
  return withFile(file, (fd) => readAt(fd, layout[part])?.toString('utf8'));
}

/** The file's vectors, or undefined. */
export function readDocVectors(file: string, layout: DocFileLayout): Float32Array | undefined {
  const bytes = withFile(file, (fd) => readAt(fd, layout.vectors));
  // A copy of its own, so the rows are 4-byte aligned whatever pool the bytes were read into.
  return bytes && new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function readAt(fd: number, [at, n]: [number, number]): Buffer | undefined {
  const out = Buffer.allocUnsafe(n);
  let got = 0;
  for (let r = -1; r !== 0 && got < n; got += r) r = readSync(fd, out, got, n - got, at + got);
  return got === n ? out : undefined;
}

function withFile<T>(file: string, read: (fd: number) => T | undefined): T | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return read(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
