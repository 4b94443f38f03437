// A definition question and the sentences that define: a light prior for the sentence scorer.
// "What is a CMM machine?", "what are circumpolar constellations?", "who was Tony Parker?" ask what
// something is, and the sentence that answers most often has the thing as the subject of its first
// "is/are/was/were" ("A coordinate measuring machine is a device for ...") - the definition answer
// type of classic factoid QA, read from the question's wording, with no trained classifier and no
// word list beyond the copula and the question words. The other answer kinds (a date for "when", a
// figure for "how many", a name for "who") are the answerer's: intent.ts reads them and
// OfflineAnswerer.rerank rewards sentences that hold them (coverage.ts hasAnswerType), and
// `briefbot rank` applies the same reward.
//
// Both sides are one pass over the norms and stems the scorer already has.

const WH = new Set(['what', 'who', 'whom', 'where', 'which', 'when', 'why', 'how']);
const COPULA = new Set(['is', 'are', 'was', 'were']);
/** Question words that ask for a definition when a copula follows ("what is", "who was", "where is"). */
const DEFINING = new Set(['what', 'who', 'where']);

/**
 * For "what/who/where is X ...?", the stem of X's head word: the last of the first run of content
 * words after the copula ("what is a CMM machine" -> "machin", "what are points on a mortgage" ->
 * "point"). The question word must open the question (only stop words before it: "so what is ..."),
 * so a "when" or "what" inside a clause ("was Iran in compliance when ...") asks nothing.
 * `norms` are all the question's tokens' norms, stop words included; `stems` the same positions'
 * stems ('' for a stop word).
 */
export function definitionFocus(norms: readonly string[], stems: readonly string[]): string | undefined {
  const i = norms.findIndex((w) => WH.has(w));
  if (i < 0 || !DEFINING.has(norms[i]) || !COPULA.has(norms[i + 1])) return undefined;
  for (let k = 0; k < i; k++) if (stems[k]) return undefined;
  let k = i + 2;
  while (k < norms.length && !stems[k]) k++;
  let focus: string | undefined;
  while (k < norms.length && stems[k]) focus = stems[k++];
  return focus;
}

/** The content stems before a sentence's first copula: the subject of "X is a ..." (empty without one). */
export function copulaSubject(norms: readonly string[], stems: readonly string[]): ReadonlySet<string> {
  const copula = norms.findIndex((n) => COPULA.has(n));
  if (copula <= 0) return EMPTY;
  const out = new Set<string>();
  for (let i = 0; i < copula; i++) if (stems[i]) out.add(stems[i]);
  return out;
}

const EMPTY: ReadonlySet<string> = new Set();
