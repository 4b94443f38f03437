// The sources' vocabulary as the paraphraser asks about it: which stems occur and how often,
// acronyms spelled out in the sources' own words, word-vector similarity, and a spelling corrector
// over the corpus's words.
import type { CorpusIndex } from '../index/corpus-index.js';
import { dot, type WordVectors } from '../index/word-vectors.js';
import { SpellingCorrector } from '../text/spelling.js';
import { terms } from '../text/tokens.js';
import type { CorpusTerms } from './paraphrase.js';

/**
 * General-English words up to this frequency rank count as known words (never spelling-corrected).
 * Common misspellings are in the word vectors' vocabulary too, past this rank ("goverment" 36,499,
 * "negotations" 81,640, "recieve" 159,835), so it stays well below the vocabulary's size.
 */
export const KNOWN_WORD_RANK = 30_000;
/** Longest acronym spelled out from the sources' words. */
const MAX_ACRONYM = 6;

export class IndexTerms implements CorpusTerms {
  private readonly acronyms = new Map<string, string[][]>();

  constructor(
    private readonly index: CorpusIndex,
    private readonly vectors: WordVectors,
  ) {}

  has(stem: string): boolean {
    return this.index.bm25.has(stem);
  }

  df(stem: string): number {
    return this.index.bm25.stats.df.get(stem) ?? 0;
  }

  similarity(a: string, b: string): number | undefined {
    const ra = this.vectors.row(a);
    const rb = this.vectors.row(b);
    return ra < 0 || rb < 0 ? undefined : dot(this.vectors.unit(ra), this.vectors.unit(rb));
  }

  /**
   * Phrases of the sources whose initials spell `acronym` ("FM": "Foreign Minister"), as stem
   * sequences. Two letters match only capitalised phrases, and a longer acronym only when one phrase
   * fits, so "DC" never becomes "diplomatic channel".
   */
  acronymExpansions(acronym: string): string[][] {
    const key = acronym.toLowerCase();
    let out = this.acronyms.get(key);
    if (out) return out;
    out = [];
    if (/^[a-z]{2,}$/.test(key) && key.length <= MAX_ACRONYM) {
      const capital = key.length === 2;
      const letters = [...key].map((c) => (capital ? `[${c.toUpperCase()}]` : `[${c}${c.toUpperCase()}]`) + `[\\p{L}'’-]+`);
      const re = new RegExp(`(?<![\\p{L}])${letters.join('\\s+')}(?![\\p{L}])`, 'gu');
      const found = new Map<string, string[]>();
      for (const doc of this.index.documents) {
        for (const m of doc.text.matchAll(re)) {
          const stems = terms(m[0]);
          if (stems.length === key.length) found.set(stems.join(' '), stems);
        }
      }
      if (capital || found.size === 1) out = [...found.values()];
    }
    this.acronyms.set(key, out);
    return out;
  }

  /** A corrector over the corpus's words as written and their stems ("tariffs", "tariff"): a typo is often nearer the base form. */
  spelling(): SpellingCorrector {
    const vocabulary: string[] = [];
    for (const c of this.index.chunks) for (const t of c.sentenceTokens ?? []) for (let i = 0; i < t.norms.length; i++) if (t.stems[i]) vocabulary.push(t.norms[i], t.stems[i]);
    return new SpellingCorrector(vocabulary, {
      isKnownWord: (w) => {
        const row = this.vectors.row(w);
        return row >= 0 && this.vectors.rankOf(row) < KNOWN_WORD_RANK;
      },
    });
  }
}
