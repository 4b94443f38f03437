// Spelling correction against the sources' own words: "tarrif" in a question should find the
// passages about the tariff. Only a word that neither the sources nor general English know is
// corrected, and only when one corpus word is clearly nearest; a guess between two words would put
// passages in front of the reader that the question never asked about.
//
// Candidates come from a deletion-neighbourhood index (SymSpell, Garbe 2012): two words within k
// edits share a string reachable from each by at most k deletions, so a lookup hashes the query's
// few dozen deletions instead of measuring its distance to every corpus word.

export interface SpellingOptions {
  /** True for a word of general English (the caller's word-vector vocabulary): never corrected. */
  isKnownWord?: (word: string) => boolean;
}

/** Words shorter than this are never corrected: "tha" is "the", "that", "than" or a typo for "Thai". */
export const MIN_CORRECTED_LENGTH = 4;
/** Up to this length one edit is allowed; longer words get two. */
export const ONE_EDIT_MAX_LENGTH = 6;

const LETTERS = /^\p{L}+$/u;
// Index keys pack a 32-bit hash above a word id: both fit a double exactly (32 + 21 bits).
const ID_BITS = 21;
const ID_SPACE = 2 ** ID_BITS;

export class SpellingCorrector {
  private readonly words: string[] = [];
  private readonly counts: number[] = [];
  private readonly ids = new Map<string, number>();
  /** Keys of each word itself and its one-deletion strings (sorted). */
  private readonly near: Float64Array;
  /** Keys of each word's two-deletion strings (sorted): only long queries look here. */
  private readonly far: Float64Array;
  /** Word ids by spelling with doubled letters made single ("tariff", "tarrif" -> "tarif"). */
  private readonly skeletons = new Map<string, number[]>();
  private readonly isKnownWord: (word: string) => boolean;
  private readonly seen: Uint32Array;
  private stamp = 0;
  private row0 = new Int32Array(0);
  private row1 = new Int32Array(0);
  private row2 = new Int32Array(0);

  constructor(vocabulary: Iterable<string>, options: SpellingOptions = {}) {
    this.isKnownWord = options.isKnownWord ?? (() => false);
    for (const raw of vocabulary) {
      const word = raw.toLowerCase();
      const id = this.ids.get(word);
      if (id !== undefined) {
        this.counts[id]++;
        continue;
      }
      if (this.words.length >= ID_SPACE) throw new RangeError(`SpellingCorrector: more than ${ID_SPACE} distinct words`);
      this.ids.set(word, this.words.length);
      this.words.push(word);
      this.counts.push(1);
    }
    const near: number[] = [];
    const far: number[] = [];
    for (let id = 0; id < this.words.length; id++) {
      const w = this.words[id];
      // Digits and hyphens mark names and designations ("shahed-136"); a correction never lands on one.
      if (w.length < MIN_CORRECTED_LENGTH - 1 || !LETTERS.test(w)) continue;
      near.push(key(hashWithout(w, -1, -1), id));
      for (let i = 0; i < w.length; i++) near.push(key(hashWithout(w, i, -1), id));
      // Only queries of 7+ letters may take two edits, and their matches have at least 5 letters.
      if (w.length >= ONE_EDIT_MAX_LENGTH - 1) {
        for (let i = 0; i < w.length; i++) for (let j = i + 1; j < w.length; j++) far.push(key(hashWithout(w, i, j), id));
      }
      const skeleton = degeminate(w);
      const list = this.skeletons.get(skeleton);
      if (list) list.push(id);
      else this.skeletons.set(skeleton, [id]);
    }
    this.near = sortedUnique(near);
    this.far = sortedUnique(far);
    this.seen = new Uint32Array(this.words.length);
  }

  /**
   * The corpus word `word` is most likely a misspelling of, or undefined: when the word is a corpus
   * or general-English word, shorter than 4 letters, holds anything but letters, or when no corpus
   * word is near enough or two are equally near.
   *
   * Near enough: an optimal-string-alignment distance (insertions, deletions, substitutions and
   * adjacent transpositions) of 1 for words of 4-6 letters, 2 for longer ones. A slip in which
   * letters are doubled ("tarrif" for "tariff", "comitee" for "committee") counts as one edit,
   * though OSA counts two: it is one mistake, the commonest in English spelling. Among equally near
   * words the one sharing the longer prefix wins, then the one the corpus uses more often.
   */
  correct(word: string): string | undefined {
    const q = word.toLowerCase();
    if (q.length < MIN_CORRECTED_LENGTH || !LETTERS.test(q) || this.ids.has(q) || this.isKnownWord(q)) return undefined;
    const maxEdits = q.length <= ONE_EDIT_MAX_LENGTH ? 1 : 2;
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    let best: number[] = [];
    let bestScore: [number, number, number] | undefined;
    const consider = (id: number, distance: number) => {
      const score: [number, number, number] = [distance, -commonPrefix(q, this.words[id]), -this.counts[id]];
      const cmp = bestScore ? compare(score, bestScore) : -1;
      if (cmp < 0) {
        bestScore = score;
        best = [id];
      } else if (cmp === 0) best.push(id);
    };
    const visit = (id: number) => {
      if (this.seen[id] === this.stamp) return;
      this.seen[id] = this.stamp;
      const w = this.words[id];
      if (Math.abs(w.length - q.length) > maxEdits) return;
      const d = this.distance(q, w, maxEdits);
      if (d <= maxEdits) consider(id, d);
    };
    // Doubling slips first: they may be two OSA edits away, beyond what the deletions reach.
    for (const id of this.skeletons.get(degeminate(q)) ?? []) {
      this.seen[id] = this.stamp;
      consider(id, Math.min(1, this.distance(q, this.words[id], maxEdits)));
    }
    const lookup = (index: Float64Array, hash: number) => {
      const low = key(hash, 0);
      const high = low + ID_SPACE;
      for (let i = lowerBound(index, low); i < index.length && index[i] < high; i++) visit(index[i] - low);
    };
    const probe = (hash: number) => {
      lookup(this.near, hash);
      if (maxEdits === 2) lookup(this.far, hash);
    };
    probe(hashWithout(q, -1, -1));
    for (let i = 0; i < q.length; i++) probe(hashWithout(q, i, -1));
    if (maxEdits === 2) for (let i = 0; i < q.length; i++) for (let j = i + 1; j < q.length; j++) probe(hashWithout(q, i, j));
    return best.length === 1 ? this.words[best[0]] : undefined;
  }

  /** Optimal-string-alignment distance, or `limit + 1` as soon as it must exceed `limit`. */
  private distance(a: string, b: string, limit: number): number {
    const n = b.length;
    if (this.row0.length <= n) {
      this.row0 = new Int32Array(n + 1);
      this.row1 = new Int32Array(n + 1);
      this.row2 = new Int32Array(n + 1);
    }
    // Rows i-2, i-1 and i of the alignment table, rotated rather than reallocated.
    let before = this.row0;
    let previous = this.row1;
    let current = this.row2;
    for (let j = 0; j <= n; j++) previous[j] = j;
    for (let i = 1; i <= a.length; i++) {
      current[0] = i;
      let rowMin = i;
      const ca = a.charCodeAt(i - 1);
      for (let j = 1; j <= n; j++) {
        const cb = b.charCodeAt(j - 1);
        let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca === cb ? 0 : 1));
        if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, before[j - 2] + 1);
        current[j] = d;
        if (d < rowMin) rowMin = d;
      }
      if (rowMin > limit) return limit + 1;
      const spare = before;
      before = previous;
      previous = current;
      current = spare;
    }
    return Math.min(previous[n], limit + 1);
  }
}

function key(hash: number, id: number): number {
  return hash * ID_SPACE + id;
}

/** FNV-1a of `w` without the characters at `skipA` and `skipB`: a deletion's hash, no string built. */
function hashWithout(w: string, skipA: number, skipB: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) {
    if (i === skipA || i === skipB) continue;
    h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

function degeminate(w: string): string {
  let out = '';
  for (let i = 0; i < w.length; i++) if (i === 0 || w[i] !== w[i - 1]) out += w[i];
  return out;
}

function sortedUnique(keys: number[]): Float64Array {
  const sorted = Float64Array.from(keys).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i];
  return sorted.slice(0, n);
}

function lowerBound(a: Float64Array, value: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
