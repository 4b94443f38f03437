// Question words the sources put differently: for each word of a question, the corpus terms that
// stand for it, with a credit below an exact match. Four sources, none written for a question:
//  - the aliases file (names a reader agrees are the same: IRGC / Revolutionary Guard);
//  - WordNet 3.1 (synonyms, derived forms, broader and narrower words: "watchdog" / "IAEA" is an
//    alias, but "pull out" / "withdrawal" and "boats" / "gunboats" are WordNet's);
//  - acronyms spelled out in the sources' own words ("FM" / "Foreign Minister", "HEU" / "highly
//    enriched uranium");
//  - spelling: a word neither the sources nor general English know, corrected to the nearest
//    corpus word ("tarrif" / "tariff").
import type { AliasGroups } from '../corpus/aliases.js';
import { stemWord, type Token } from '../text/tokens.js';
import type { SpellingCorrector } from '../text/spelling.js';
import type { WordNet, WordNetRelation } from '../text/wordnet.js';

/** Credit of a match through each kind of relation, next to 1 for the same stem. */
export const ALIAS_CREDIT = 0.8;
export const ACRONYM_CREDIT = 0.8;
export const SPELLING_CREDIT = 0.9;
export const WORDNET_CREDIT: Partial<Record<WordNetRelation, number>> = {
  synonym: 0.75,
  derivation: 0.7,
  pertainym: 0.65,
  similar: 0.6,
  hypernym: 0.55,
  hyponym: 0.55,
  also: 0.5,
  meronym: 0.5,
  holonym: 0.5,
  // A yes/no question's settling passage often states the opposite ("strictly indirect?" / "partially direct").
  antonym: 0.45,
};
/** Senses of a word followed in WordNet: the rarer senses of common words relate to everything. */
export const WORDNET_SENSES = 3;
/** Broader and narrower words are taken from the first (most frequent) sense only. */
export const WORDNET_TAXONOMY_SENSES = 1;
/**
 * A WordNet relation counts only when the two words' vectors are at least this close: WordNet
 * proposes, the vectors confirm the sense ("weather" / "endure" is a verb sense no question about
 * the weather means; "capital" / "endowment" is the money sense).
 */
export const SENSE_COSINE = 0.3;

/** Stem -> credit, for one question word; a key with spaces is a phrase, matched when all its stems are present. */
export type Equivalents = Map<string, number>;

export interface CorpusTerms {
  /** True when some passage has this stem. */
  has(stem: string): boolean;
  /** Stem sequences of the corpus, for spelling out acronyms (each a phrase of capitalised words). */
  acronymExpansions(acronym: string): string[][];
  /** Passages holding the stem. */
  df(stem: string): number;
  /** Cosine of two words' vectors, or undefined when either has none. */
  similarity(a: string, b: string): number | undefined;
}

/** How a question word relates to its equivalent: a name is only ever the same name. */
export interface WordEquivalents {
  /** Stem -> credit. */
  all: Equivalents;
  /** The stems that are the same thing under another name (alias, acronym, synonym, spelling). */
  sameName: Set<string>;
}

/** wink-nlp's universal tags -> WordNet parts of speech. */
const WORDNET_POS: Record<string, 'n' | 'v' | 'a' | 'r'> = { NOUN: 'n', PROPN: 'n', VERB: 'v', ADJ: 'a', ADV: 'r' };

const TAXONOMY = new Set<WordNetRelation>(['hypernym', 'hyponym', 'meronym', 'holonym']);

function add(into: Equivalents, stem: string, credit: number): void {
  if (credit > (into.get(stem) ?? 0)) into.set(stem, credit);
}

export class Paraphraser {
  private readonly cache = new Map<string, WordEquivalents>();

  constructor(
    private readonly corpus: CorpusTerms,
    private readonly aliases: AliasGroups,
    private readonly wordnet?: WordNet,
    private readonly spelling?: SpellingCorrector,
  ) {}

  /**
   * Corpus stems standing for one question word. A name ("France", "Slack") is only ever matched
   * by the same name under another spelling: an alias, an acronym the sources spell out, a WordNet
   * synonym or a spelling fix; never by a broader word ("France" is no "country" of the sources).
   */
  word(norm: string, lemma: string, stem: string, acronym: boolean, name: boolean, pos?: string): WordEquivalents {
    const wnPos = pos ? WORDNET_POS[pos] : undefined;
    const key = `${norm}\0${lemma}\0${acronym ? 1 : 0}${name ? 1 : 0}${wnPos ?? ''}`;
    let out = this.cache.get(key);
    if (out) return out;
    out = { all: new Map(), sameName: new Set() };
    const same = (s: string, credit: number) => {
      add(out!.all, s, credit);
      out!.sameName.add(s);
    };
    for (const group of this.aliases) {
      if (!group.some((n) => n.length === 1 && n[0] === stem)) continue;
      for (const n of group) {
        if (n.length === 1) {
          if (n[0] !== stem && this.corpus.has(n[0])) same(n[0], ALIAS_CREDIT);
          continue;
        }
        // A name of several words ("Revolutionary Guard", "Joint Comprehensive Plan of Action")
        // stands for the question's "IRGC" as a phrase: a sentence must hold all of its words.
        if (n.every((w) => this.corpus.has(w))) same(n.join(' '), ALIAS_CREDIT);
      }
    }
    if (acronym) for (const phrase of this.corpus.acronymExpansions(norm)) for (const s of phrase) same(s, ACRONYM_CREDIT);
    // WordNet bridges words the sources never use: a word they do use is matched as itself, and its
    // other senses' synonyms would only pull in passages about something else ("direct" / "now").
    if (this.wordnet && !this.corpus.has(stem)) {
      for (const base of new Set([lemma, norm])) {
        for (const r of this.wordnet.related(base, { maxSenses: WORDNET_SENSES })) {
          const credit = WORDNET_CREDIT[r.relation];
          if (!credit || (name && r.relation !== 'synonym')) continue;
          if (r.lemma.includes(' ')) {
            // A name's other name of several words ("Britain": "United Kingdom") stands for it as a
            // phrase, as an alias of several words does; other multiword lemmas are not matched.
            const words = r.lemma.split(' ').map((w) => stemWord(w));
            if (name && words.every((w) => this.corpus.has(w))) same(words.join(' '), credit);
            continue;
          }
          // The question's part of speech picks the sense family: "sanctions" the noun is no "approve".
          // Derived forms cross parts of speech by design.
          if (wnPos && r.relation !== 'derivation' && r.relation !== 'pertainym' && r.pos !== wnPos) continue;
          const s = stemWord(r.lemma);
          if (s === stem || !this.corpus.has(s)) continue;
          const cos = this.corpus.similarity(base, r.lemma);
          if (cos !== undefined && cos < SENSE_COSINE) continue;
          if (r.relation === 'synonym' && (cos === undefined || cos >= SENSE_COSINE)) {
            if (name) same(s, credit);
            else add(out.all, s, credit);
          } else if (!TAXONOMY.has(r.relation) || this.firstSense(base, r.lemma)) add(out.all, s, credit);
        }
      }
    }
    if (!this.corpus.has(stem) && this.spelling) {
      const fixed = this.spelling.correct(norm);
      if (fixed) {
        const s = stemWord(fixed);
        if (s !== stem && this.corpus.has(s)) same(s, SPELLING_CREDIT);
      }
    }
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(key, out);
    return out;
  }

  /** Corpus stems of WordNet's opposites of the question's adjectives, adverbs and verbs. */
  opposites(all: Token[]): Set<string> {
    const out = new Set<string>();
    if (!this.wordnet) return out;
    for (const t of all) {
      if (t.stop || !(t.pos === 'ADJ' || t.pos === 'ADV' || t.pos === 'VERB')) continue;
      for (const r of this.wordnet.related(t.lemma, { maxSenses: WORDNET_SENSES, relations: ['antonym'] })) {
        const s = stemWord(r.lemma);
        if (!r.lemma.includes(' ') && this.corpus.has(s)) out.add(s);
      }
    }
    return out;
  }

  /** True when `other` is a broader or narrower word of `word`'s most frequent sense. */
  private firstSense(word: string, other: string): boolean {
    return this.wordnet!.related(word, { maxSenses: WORDNET_TAXONOMY_SENSES, relations: [...TAXONOMY] }).some((r) => r.lemma === other);
  }

  /**
   * Equivalents for every content word of a question, keyed by its stem; two-word verbs and
   * compounds ("pull out", "walk away") are looked up whole and credited to their first word.
   */
  question(all: Token[], isName: (t: Token) => boolean): { equivalents: Map<string, Equivalents>; sameName: Map<string, Set<string>> } {
    const equivalents = new Map<string, Equivalents>();
    const sameName = new Map<string, Set<string>>();
    const merge = (stem: string, eq: WordEquivalents) => {
      let m = equivalents.get(stem);
      if (!m) equivalents.set(stem, (m = new Map()));
      for (const [s, c] of eq.all) if (s !== stem) add(m, s, c);
      let n = sameName.get(stem);
      if (!n) sameName.set(stem, (n = new Set()));
      for (const s of eq.sameName) n.add(s);
    };
    for (let i = 0; i < all.length; i++) {
      const t = all[i];
      if (!t.stop) merge(t.stem, this.word(t.norm, t.lemma, t.stem, t.acronym, isName(t), t.pos));
      const next = all[i + 1];
      if (next && this.wordnet && !t.norm.includes('-') && !next.norm.includes('-') && next.start > t.start) {
        const phrase = `${t.lemma} ${next.norm}`;
        if (this.wordnet.has(phrase)) merge(t.stop ? next.stem : t.stem, this.word(phrase, phrase, phrase, false, false));
      }
    }
    // A name of several words in the question ("the nuclear deal", "Iran's foreign minister")
    // stands for its group's one-word names (JCPOA, Araghchi), credited to its last word.
    // An acronym the sources spell out counts as its words here ("Iran's FM" is "Iran's foreign
    // minister", which the aliases file says is Araghchi).
    const stems: string[] = [];
    const owner: Token[] = [];
    for (const t of all) {
      if (t.stop) continue;
      const spelled = t.acronym ? this.corpus.acronymExpansions(t.norm) : [];
      for (const s of spelled.length === 1 ? spelled[0] : [t.stem]) {
        stems.push(s);
        owner.push(t);
      }
    }
    for (const group of this.aliases) {
      for (const name of group) {
        if (name.length < 2) continue;
        const at = indexOfRun(stems, name);
        if (at < 0) continue;
        const last = owner[at + name.length - 1];
        const eq: WordEquivalents = { all: new Map(), sameName: new Set() };
        for (const n of group) if (n.length === 1 && this.corpus.has(n[0])) { eq.all.set(n[0], ALIAS_CREDIT); eq.sameName.add(n[0]); }
        merge(last.stem, eq);
      }
    }
    for (const [k, v] of equivalents) if (!v.size) equivalents.delete(k);
    for (const [k, v] of sameName) if (!v.size) sameName.delete(k);
    return { equivalents, sameName };
  }
}

function indexOfRun(haystack: string[], needle: string[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
