// The lexical index: BM25 over chunk terms (stems), with postings so a query touches only the
// chunks that share a term with it.
import { BM25_B, BM25_K1, TermStats } from './term-stats.js';

/** Shortest shared prefix that counts as the same word family. */
export const PREFIX_MIN = 4;

export interface ScoredChunk {
  index: number;
  score: number;
}

/** The index as flat arrays: term i's postings are postings[offsets[i] .. offsets[i + 1]). */
export interface Bm25Snapshot {
  terms: string[];
  offsets: Uint32Array;
  /** chunk, tf, chunk, tf, ... */
  postings: Uint32Array;
  lengths: Uint32Array;
}

export class Bm25Index {
  readonly stats = new TermStats();
  // stem -> [chunk, tf, chunk, tf, ...]; a view into a snapshot's array until a chunk is added.
  private readonly postings = new Map<string, number[] | Uint32Array>();
  private lengths: number[] | Uint32Array = [];

  /** The index as saved by `toSnapshot`: no chunk is re-added (that took most of a cached start). */
  static fromSnapshot(s: Bm25Snapshot): Bm25Index {
    const index = new Bm25Index();
    index.lengths = s.lengths;
    let total = 0;
    for (let i = 0; i < s.lengths.length; i++) total += s.lengths[i];
    index.stats.docs = s.lengths.length;
    index.stats.totalLength = total;
    for (let t = 0; t < s.terms.length; t++) {
      const p = s.postings.subarray(s.offsets[t], s.offsets[t + 1]);
      index.postings.set(s.terms[t], p);
      index.stats.df.set(s.terms[t], p.length / 2);
    }
    return index;
  }

  /**
   * The index of many chunks at once: stems interned to numbers, then postings counted and filled
   * into flat arrays. The same index as adding the chunks one by one, about three times faster
   * (100,000 chunks: 3.9 s -> 1.3 s, bench/), which is what a changed corpus waits for.
   */
  static build(chunks: Iterable<string[]>): Bm25Index {
    const ids = new Map<string, number>();
    const terms: string[] = [];
    const rows: Uint32Array[] = [];
    for (const stems of chunks) {
      const row = new Uint32Array(stems.length);
      for (let i = 0; i < stems.length; i++) {
        let id = ids.get(stems[i]);
        if (id === undefined) {
          id = terms.length;
          ids.set(stems[i], id);
          terms.push(stems[i]);
        }
        row[i] = id;
      }
      rows.push(row);
    }
    // seenAt[term] = the last chunk that counted it; tf[term] its count within that chunk.
    const seenAt = new Int32Array(terms.length).fill(-1);
    const tf = new Uint32Array(terms.length);
    const df = new Uint32Array(terms.length);
    for (let c = 0; c < rows.length; c++) {
      for (const id of rows[c]) {
        if (seenAt[id] !== c) {
          seenAt[id] = c;
          df[id]++;
        }
      }
    }
    const offsets = new Uint32Array(terms.length + 1);
    for (let t = 0, n = 0; t <= terms.length; t++) {
      offsets[t] = n;
      n += 2 * (df[t] ?? 0);
    }
    const next = offsets.slice(0, terms.length);
    const postings = new Uint32Array(offsets[terms.length]);
    const lengths = new Uint32Array(rows.length);
    seenAt.fill(-1);
    for (let c = 0; c < rows.length; c++) {
      const row = rows[c];
      lengths[c] = row.length;
      for (const id of row) {
        if (seenAt[id] !== c) {
          seenAt[id] = c;
          tf[id] = 0;
        }
        tf[id]++;
      }
      for (const id of row) {
        if (tf[id] === 0) continue; // already written for this chunk
        postings[next[id]++] = c;
        postings[next[id]++] = tf[id];
        tf[id] = 0;
      }
    }
    return Bm25Index.fromSnapshot({ terms, offsets, postings, lengths });
  }

  toSnapshot(): Bm25Snapshot {
    const terms = [...this.postings.keys()];
    const offsets = new Uint32Array(terms.length + 1);
    let n = 0;
    terms.forEach((t, i) => {
      offsets[i] = n;
      n += this.postings.get(t)!.length;
    });
    offsets[terms.length] = n;
    const postings = new Uint32Array(n);
    terms.forEach((t, i) => postings.set(this.postings.get(t)!, offsets[i]));
    return { terms, offsets, postings, lengths: Uint32Array.from(this.lengths) };
  }

  add(stems: string[]): number {
    this.sortedTerms = undefined;
    if (!Array.isArray(this.lengths)) this.lengths = Array.from(this.lengths);
    const index = this.lengths.length;
    this.lengths.push(stems.length);
    const tf = new Map<string, number>();
    for (const s of stems) tf.set(s, (tf.get(s) ?? 0) + 1);
    // The document frequencies are updated from the distinct stems at hand rather than through
    // TermStats.add, which builds its own Set per chunk (15-25% of building the index, bench/).
    const stats = this.stats;
    stats.docs++;
    stats.totalLength += stems.length;
    for (const [s, f] of tf) {
      stats.df.set(s, (stats.df.get(s) ?? 0) + 1);
      let p = this.postings.get(s);
      if (!p || !Array.isArray(p)) this.postings.set(s, (p = p ? Array.from(p) : []));
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
    return this.prefixFamily(word, 1).length > 0;
  }

  /** The indexed terms of `word`'s family (see hasPrefixFamily), at most `limit` of them. */
  prefixFamily(word: string, limit = 20): string[] {
    if (word.length < PREFIX_MIN) return [];
    this.sortedTerms ??= [...this.postings.keys()].sort();
    const head = word.slice(0, PREFIX_MIN);
    let lo = 0;
    let hi = this.sortedTerms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sortedTerms[mid] < head) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.sortedTerms.length && this.sortedTerms[i].startsWith(head) && out.length < limit; i++) {
      const t = this.sortedTerms[i];
      if (t.length >= PREFIX_MIN && (word.startsWith(t) || t.startsWith(word))) out.push(t);
    }
    return out;
  }
  private sortedTerms?: string[];

  /**
   * The k best chunks sharing a term with the query (score descending, then chunk order);
   * `weights` scales each query term. Scores accumulate in a reused dense array and only the best
   * k are kept while scanning: at 100,000 chunks a common term touches most of them, and a Map of
   * every score plus a full sort cost tens of milliseconds a question (bench/).
   */
  search(terms: Map<string, number>, k: number): ScoredChunk[] {
    const n = this.lengths.length;
    if (this.acc.length < n) {
      this.acc = new Float64Array(Math.max(n, this.acc.length * 2));
      this.seen = new Uint8Array(this.acc.length);
    }
    const { acc, seen } = this;
    const touched: number[] = [];
    const avg = this.stats.avgLength;
    for (const [term, w] of terms) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = this.stats.idf(term) * w;
      for (let i = 0; i < p.length; i += 2) {
        const c = p[i];
        const f = p[i + 1];
        const norm = BM25_K1 * (1 - BM25_B + (BM25_B * this.lengths[c]) / avg);
        if (!seen[c]) {
          seen[c] = 1;
          touched.push(c);
        }
        acc[c] += (idf * f * (BM25_K1 + 1)) / (f + norm);
      }
    }
    // Bounded selection: `top` stays sorted best first and never holds more than k.
    const top: ScoredChunk[] = [];
    if (k > 0) {
      for (const c of touched) {
        const score = acc[c];
        if (top.length === k) {
          const last = top[k - 1];
          if (score < last.score || (score === last.score && c > last.index)) continue;
          top.pop();
        }
        let at = top.length;
        while (at > 0 && (top[at - 1].score < score || (top[at - 1].score === score && top[at - 1].index > c))) at--;
        top.splice(at, 0, { index: c, score });
      }
    }
    for (const c of touched) {
      acc[c] = 0;
      seen[c] = 0;
    }
    return top;
  }
  private acc = new Float64Array(0);
  private seen = new Uint8Array(0);
}
