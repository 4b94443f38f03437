// The names and numbers of a question, against the sources: which the sources never mention (a
// name they lack makes the answer `none`; a number they lack is a missing detail), and what counts
// as a name at all (a chat word that is merely unknown never does).
import { aliasPresent, type AliasGroups } from '../corpus/aliases.js';
import type { Bm25Index } from '../index/bm25.js';
import type { WordVectors } from '../index/word-vectors.js';
import { stemWord, type Token } from '../text/tokens.js';
import type { WordNet } from '../text/wordnet.js';
import type { Query } from './query.js';

/** An acronym rarer than this frequency rank in general English, that no source has, may be a name ("E3"). */
export const RARE_TERM_RANK = 40_000;
/** Cardinal and ordinal words of small numbers, which writers spell out and questions type as digits. */
const SMALL_NUMBERS = ['zero', 'one first', 'two second', 'three third', 'four fourth', 'five fifth', 'six sixth', 'seven seventh', 'eight eighth', 'nine ninth', 'ten tenth', 'eleven eleventh', 'twelve twelfth'].map((w) => w.split(' '));

export class QuestionNames {
  constructor(
    private readonly bm25: Bm25Index,
    private readonly vectors: WordVectors,
    private readonly aliases: AliasGroups,
    private readonly wordnet?: WordNet,
    /** Stems of the documents' titles and outlets: a question may name a document by them. */
    private readonly titleWords: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * Names in the question that no source mentions, under any alias, spelling or acronym: "Beijing",
   * "Khamenei", "E3". A name is capitalised mid-question, or (typed in lower case) a word WordNet
   * knows only as a proper noun. Unknown acronyms ("UAV") and plain unknown words are not names.
   */
  missing(q: Query): string[] {
    const missing: string[] = [];
    for (const t of q.tokens) {
      if (this.knows(t.stem, t.norm) || q.sameName.get(t.stem)?.size) continue;
      if (this.isName(t)) missing.push(q.text.slice(t.start, t.end));
    }
    return [...new Set(missing)];
  }

  /** Numbers in the question that no source has ("2015", "U-235"): asked details, not subjects. */
  missingNumbers(q: Query): string[] {
    const known = (t: Token) => {
      if (this.knows(t.stem, t.norm)) return true;
      // A hyphenated token's parts count too ("U-235": no; "Shahed-139" as a whole: yes).
      if (q.tokens.some((o) => o !== t && o.start === t.start && o.end === t.end && o.norm.includes('-') && this.knows(o.stem, o.norm))) return true;
      // "round 2" is the sources' "second round", "2 incidents" their "two incidents".
      const n = /^\d+$/.test(t.norm) ? Number(t.norm) : NaN;
      return n >= 0 && n < SMALL_NUMBERS.length && SMALL_NUMBERS[n].some((w) => this.knows(stemWord(w), w));
    };
    return [...new Set(q.tokens.filter((t) => /\d/.test(t.norm) && !known(t)).map((t) => q.text.slice(t.start, t.end)))];
  }

  /** Capitalised mid-question, in capitals, or a word WordNet knows only as a name. */
  looksLikeName(t: Token): boolean {
    if (/\d/.test(t.norm)) return false;
    if (t.capitalized || t.acronym) return true;
    // A lone letter typed in lower case is shorthand or a list mark, never a name: WordNet knows
    // "w" only as W (west, tungsten), and a question "messed w a tanker" was refused for it.
    if (t.norm.length === 1) return false;
    // Typed in lower case ("khamenei"): a noun WordNet knows only as a name, under its lemma too
    // ("sat" is SAT the test, but its lemma "sit" is a verb).
    const wn = this.wordnet;
    return !!wn && (t.pos === 'NOUN' || t.pos === 'PROPN') && wn.properNoun(t.norm) && (t.lemma === t.norm || wn.properNoun(t.lemma));
  }

  private isName(t: Token): boolean {
    if (/\d/.test(t.norm)) return false;
    if (t.acronym) {
      // An acronym general English writes in lower case too ("FM" radio) is no telling name; one it
      // never uses, and that no source spells out, may be a name ("E3") or shorthand ("UAV"): only
      // a rare one counts.
      const row = this.vectors.row(t.norm);
      return row < 0 || this.vectors.rankOf(row) > RARE_TERM_RANK;
    }
    return this.looksLikeName(t);
  }

  /** True when the corpus has the stem, or an alias or word family of it. */
  knows(stem: string, norm: string): boolean {
    const bm25 = this.bm25;
    if (bm25.has(stem) || bm25.has(norm) || this.titleWords.has(stem)) return true;
    if (aliasPresent(stem, this.aliases, (t) => bm25.has(t))) return true;
    // Derived forms the stemmer keeps apart ("Israel" / "Israeli" -> "israel" / "isra").
    return bm25.hasPrefixFamily(norm);
  }
}
