// The lexical index: BM25 over chunk terms (stems), with postings so a query touches only the
// chunks that share a term with it.
import { BM25_B, BM25_K1, TermStats } from '../answer/scorer.js';

/** Shortest shared prefix that counts as the same word family. */
export const PREFIX_MIN = 4;

export interface ScoredChunk {
  index: number;
  score: number;
}

export class Bm25Index {
  readonly stats = new TermStats();
  private readonly postings = new Map<string, number[]>(); // stem -> [chunk, tf, chunk, tf, ...]
  private readonly lengths: number[] = [];

  add(stems: string[]): number {
    this.sortedTerms = undefined;
    const index = this.lengths.length;
    this.lengths.push(stems.length);
    const tf = new Map<string, number>();
    for (const s of stems) tf.set(s, (tf.get(s) ?? 0) + 1);
    // The document frequencies are updated from the distinct stems at hand rather than through
    // TermStats.add, which builds its own Set per chunk: every start rebuilds this index, and at
    // 10,000 chunks the two passes cost 1.5 s of a 2.3 s open (bench/).
    const stats = this.stats;
    stats.docs++;
    stats.totalLength += stems.length;
    for (const [s, f] of tf) {
      stats.df.set(s, (stats.df.get(s) ?? 0) + 1);
      let p = this.postings.get(s);
      if (!p) this.postings.set(s, (p = []));
      p.push(index, f);
    }
    return index;
  }

  get size(): number {
    return this.lengths.length;
  }

  has(stem: string): boolean {
    return this.postings.has(stem);
  }

  /**
   * True when some indexed term shares a stem-like prefix with `word` ("israel" / "isra",
   * "chinese" would need "chin..."): at least PREFIX_MIN characters, one a prefix of the other.
   */
  hasPrefixFamily(word: string): boolean {
    if (word.length < PREFIX_MIN) return false;
    this.sortedTerms ??= [...this.postings.keys()].sort();
    const head = word.slice(0, PREFIX_MIN);
    let lo = 0;
    let hi = this.sortedTerms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sortedTerms[mid] < head) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sortedTerms.length && this.sortedTerms[i].startsWith(head); i++) {
      const t = this.sortedTerms[i];
      if (t.length >= PREFIX_MIN && (word.startsWith(t) || t.startsWith(word))) return true;
    }
    return false;
  }
  private sortedTerms?: string[];

  /** Scores of every chunk sharing a term with the query; `weights` scales each query term. */
  search(terms: Map<string, number>, k: number): ScoredChunk[] {
    const scores = new Map<number, number>();
    const avg = this.stats.avgLength;
    for (const [term, w] of terms) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = this.stats.idf(term) * w;
      for (let i = 0; i < p.length; i += 2) {
        const c = p[i];
        const f = p[i + 1];
        const norm = BM25_K1 * (1 - BM25_B + (BM25_B * this.lengths[c]) / avg);
        scores.set(c, (scores.get(c) ?? 0) + (idf * f * (BM25_K1 + 1)) / (f + norm));
      }
    }
    return [...scores]
      .map(([index, score]) => ({ index, score }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, k);
  }
}
