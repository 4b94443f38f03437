// A question, analysed once: its content terms, the names in it, what the aliases add, and the
// earlier question of a thread folded in at a lower weight for follow-ups.
import { expandAliases, type AliasGroups } from '../corpus/aliases.js';
import { QUESTION_OPENERS } from '../text/stopwords.js';
import { tokenize, type Token } from '../text/tokens.js';
import type { Equivalents, Paraphraser } from './paraphrase.js';
import type { AnswerType } from './intent.js';
import type { TimeScope } from './time.js';

/** Weight of a term the aliases add, and of a term that only the thread's earlier question has. */
export const ALIAS_TERM_WEIGHT = 0.6;
export const HISTORY_TERM_WEIGHT = 0.5;
/** Retrieval weight of a paraphrase (WordNet, acronym, spelling) per unit of its credit. */
export const PARAPHRASE_TERM_WEIGHT = 0.5;

export interface Query {
  text: string;
  /** Content tokens of the question itself. */
  tokens: Token[];
  /** Distinct stems of the question itself. */
  stems: string[];
  /** Stem -> weight for retrieval: the question's terms, alias terms and the thread's terms. */
  weighted: Map<string, number>;
  /** Text used for embeddings and sentence scoring: the question, plus the earlier one for a follow-up. */
  scoringText: string;
  /** For a question stem, the corpus stems that stand for it (see paraphrase.ts). */
  equivalents: Map<string, Equivalents>;
  /** For a question stem, the corpus stems that are the same name (aliases, acronyms, synonyms, spelling). */
  sameName: Map<string, Set<string>>;
  /**
   * What the sentence scorer credits: the same-name equivalents only. WordNet's related words find
   * passages (retrieval) and judge coverage, but crediting them in the scorer let loose synonyms
   * outrank the sentence that answers (development questions: 29 of 30 hits without, 24 with);
   * the scorer's word vectors already reward related words.
   */
  scoring: Map<string, Equivalents>;
  /** The kind of fact the question asks for, when its wording says (intent.ts): sentences holding one rank higher. */
  answerType?: AnswerType;
  /**
   * For a yes/no question: stems of the opposites of its words ("indirect" -> "direct"). The
   * passage that settles "were the talks strictly indirect?" often says the opposite.
   */
  contrast?: Set<string>;
  /** Only these documents (a question naming an outlet). */
  documents?: ReadonlySet<string>;
  /** Time in the question (time.ts): newer first, published after a date, a span of days. */
  time?: TimeScope;
}

/** Words that point back into a conversation: a question using them leans on the one before. */
const ANAPHORA = new Set(['that', 'this', 'it', 'its', 'they', 'them', 'their', 'those', 'these', 'he', 'she', 'him', 'her', 'his', 'there', 'then', 'such', 'same', 'other', 'else']);
const FOLLOW_UP_OPENERS = /^\s*(and|but|also|so|what about|how about|what else)\b/i;
/** A question with at most this many content words reads as a follow-up in a thread ("why?", "and Qatar?"). */
export const FOLLOW_UP_MAX_TERMS = 2;

/**
 * Whether a question in a thread continues the earlier one ("and what did Oman say about that?")
 * rather than starting afresh ("Who led the American delegation?"): only a continuation is read
 * together with the earlier question, so a new subject is never drowned by the old one.
 */
export function isFollowUp(question: string, tokens: Token[]): boolean {
  if (FOLLOW_UP_OPENERS.test(question)) return true;
  const content = tokens.filter((t) => !t.stop);
  // A short question naming something ("What happened on February 3?") stands on its own.
  const specific = content.some((t) => t.capitalized || /\d/.test(t.norm));
  if (content.length <= FOLLOW_UP_MAX_TERMS && !specific) return true;
  return tokens.some((t) => t.stop && ANAPHORA.has(t.norm));
}

export function analyseQuery(question: string, aliases: AliasGroups, history: string[] = [], paraphraser?: Paraphraser, isName: (t: Token) => boolean = (t) => t.capitalized || t.acronym): Query {
  const all = tokenize(question);
  const tokens = all.filter((t) => !t.stop);
  // A capital on the first word, or on a question word anywhere, says nothing about a name.
  for (const t of tokens) if (t.capitalized && QUESTION_OPENERS.has(t.norm)) t.capitalized = false;
  const stems = [...new Set(tokens.map((t) => t.stem))];
  const weighted = new Map<string, number>();
  for (const s of stems) weighted.set(s, 1);
  for (const s of expandAliases(tokens.map((t) => t.stem), aliases)) if (!weighted.has(s)) weighted.set(s, ALIAS_TERM_WEIGHT);
  const earlier = isFollowUp(question, all) ? history.filter((h) => h.trim()).slice(-1)[0] : undefined;
  const hAll = earlier ? tokenize(earlier) : [];
  if (earlier) {
    for (const t of hAll) if (!t.stop && !weighted.has(t.stem)) weighted.set(t.stem, HISTORY_TERM_WEIGHT);
  }
  const { equivalents, sameName } = paraphraser ? paraphraser.question(earlier ? [...hAll, ...all] : all, isName) : { equivalents: new Map<string, Equivalents>(), sameName: new Map<string, Set<string>>() };
  for (const [stem, eq] of equivalents) {
    const base = weighted.get(stem) ?? HISTORY_TERM_WEIGHT;
    for (const [s, credit] of eq) {
      // A phrase ("revolutionari guard") is retrieved by its words.
      for (const w of s.split(' ')) if (!weighted.has(w)) weighted.set(w, base * credit * PARAPHRASE_TERM_WEIGHT);
    }
  }
  return { text: question, tokens, stems, weighted, scoringText: earlier ? `${earlier} ${question}` : question, equivalents, sameName, scoring: scoringEquivalents(equivalents, sameName) };
}

function scoringEquivalents(all: Map<string, Equivalents>, same: Map<string, Set<string>>): Map<string, Equivalents> {
  const out = new Map<string, Equivalents>();
  for (const [stem, eq] of all) {
    const names = same.get(stem);
    if (!names) continue;
    const m = new Map<string, number>();
    for (const [s, c] of eq) if (names.has(s)) m.set(s, c);
    if (m.size) out.set(stem, m);
  }
  return out;
}
