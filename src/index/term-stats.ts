// Collection statistics and BM25's constants, shared by the lexical index (bm25.ts) and the
// sentence scorer (answer/scorer.ts): both must weigh a term the same way, and the index, a lower
// layer, cannot take them from the scorer.

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** Document frequencies over a collection of sentences or passages. */
export class TermStats {
  readonly df = new Map<string, number>();
  docs = 0;
  totalLength = 0;

  add(stems: Iterable<string>, length: number): void {
    this.docs++;
    this.totalLength += length;
    for (const s of new Set(stems)) this.df.set(s, (this.df.get(s) ?? 0) + 1);
  }

  get avgLength(): number {
    return this.docs ? this.totalLength / this.docs : 1;
  }

  /** BM25's IDF (always positive). */
  idf(stem: string): number {
    const df = this.df.get(stem) ?? 0;
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  toJSON(): { df: [string, number][]; docs: number; totalLength: number } {
    return { df: [...this.df], docs: this.docs, totalLength: this.totalLength };
  }

  static fromJSON(j: { df: [string, number][]; docs: number; totalLength: number }): TermStats {
    const s = new TermStats();
    for (const [k, v] of j.df) s.df.set(k, v);
    s.docs = j.docs;
    s.totalLength = j.totalLength;
    return s;
  }
}
