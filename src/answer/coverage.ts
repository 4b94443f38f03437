// How well the chosen quotes answer a question: answered, partial (the subject is there, the asked
// detail is not), related (the closest passages, no more) or none. Three kinds of evidence:
//  - how much of the question the quotes speak to (its words, weighted by how telling they are,
//    matched exactly, through paraphrase, or by word vectors);
//  - whether the attribute asked about ("range", "payload") is something the sources ever name;
//  - whether the best quote holds the kind of fact the question's wording asks for: a figure for
//    "how many", a date for "when", a place for "where exactly".
import type { AliasGroups } from '../corpus/aliases.js';
import type { Bm25Index } from '../index/bm25.js';
import type { WordVectors } from '../index/word-vectors.js';
import type { Coverage, Document, Quote } from '../types.js';
import { STOP_WORDS } from '../text/stopwords.js';
import { sentenceSpans, tokenize, type Token } from '../text/tokens.js';
import { ANSWER_TYPE_DETAIL, hasAnswerType, OUTCOME_DETAIL } from './answer-type.js';
import type { Intent } from './intent.js';
import type { Retrieved } from './retrieved.js';
import type { Query } from './query.js';
import { PRIOR_RANK, termMatch } from './scorer.js';
import { describedNames, mentions } from './mentions.js';

/** Below this best-sentence score nothing retrieved is relevant. */
export const NONE_SCORE = 0.2;
/** The quotes must speak to at least this share of the question (weighted) to be more than noise. */
export const MIN_SUPPORT = 0.2;
/** Below this share the quotes are only the closest passages (`related`). */
export const ANSWER_SUPPORT = 0.45;
/** A name in at most this share of the passages marks out a subject (Israel, the Shahed-139; not Iran). */
const SUBJECT_DF = 0.25;
/** At or above this best-sentence score (and with the question's detail present) the quotes answer it. */
export const ANSWER_SCORE = 0.3;
/** Word-vector cosine at which a question word counts as spoken to by a quote word. */
export const SUPPORT_COSINE = 0.55;

/** What grading asks of the answerer about the sources. */
export interface CoverageContext {
  readonly vectors: WordVectors;
  readonly bm25: Bm25Index;
  readonly byId: ReadonlyMap<string, Document>;
  readonly aliases: AliasGroups;
  /** True when the corpus has the stem, or an alias or word family of it. */
  knows(stem: string, norm: string): boolean;
  looksLikeName(t: Token): boolean;
  /** Passages that mention one question word (or the same name), best first for the whole question. */
  passagesMentioning(q: Query, t: Token): Retrieved[];
}

export interface CoverageInput {
  query: Query;
  intent: Intent;
  passages: Retrieved[];
  quotes: Quote[];
  topScore: number;
  /** Numbers of the question no source has. */
  missingNumbers: string[];
  answerer: CoverageContext;
  /** Picks quotes from passages (the answerer's own rule), for re-anchoring on a named subject. */
  pick: (passages: Retrieved[]) => Quote[];
}

export interface Graded {
  coverage: Coverage;
  missing: string[];
  /** Share of the question (weighted) the quotes speak to, 0..1. */
  support: number;
  /** The question's best-supported name or term, in its own words: what the sources do mention. */
  subject?: string;
  /** The quotes to give, the first one about what the question names. */
  quotes: Quote[];
}

/** The quoted passage must speak to at least this share of the question's other words, or the detail is missing. */
export const DETAIL_SUPPORT = 0.5;
/** A question word carrying less than this share of the question's weight is never "the missing detail". */
const DETAIL_MIN_SHARE = 0.08;
/** A question noun carrying at least this share of its weight, absent from the sources, is a missing detail. */
const ABSENT_MIN_SHARE = 0.12;
/** ...unless a word of the retrieved passages is at least this close to it (a paraphrase). */
export const BRIDGE_COSINE = 0.55;
/** Retrieved passages whose words may bridge a question word the sources do not use. */
const BRIDGE_PASSAGES = 8;

/** An unmatched question word with the unmatched words right beside it: "prime minister". */
function phraseOf(t: Term, detail: Term[], matched: Map<Term, number>, query: Query): string[] {
  const unmatched = detail.filter((d) => (matched.get(d) ?? 0) === 0).map((d) => d.token).sort((a, b) => a.start - b.start);
  let i = unmatched.indexOf(t.token);
  let j = i;
  const gap = (a: Token, b: Token) => /^[\s-]*$/.test(query.text.slice(a.end, b.start));
  while (i > 0 && gap(unmatched[i - 1], unmatched[i])) i--;
  while (j + 1 < unmatched.length && gap(unmatched[j], unmatched[j + 1])) j++;
  return [query.text.slice(unmatched[i].start, unmatched[j].end)];
}

/** Unit vectors of the distinct words of the best retrieved passages. */
function passageUnits(passages: Retrieved[], answerer: CoverageContext): Float32Array[] {
  const out = new Set<Float32Array>();
  for (const p of passages.slice(0, BRIDGE_PASSAGES)) for (const u of chunkUnits(p.chunk, answerer)) out.add(u);
  return [...out];
}

const unitsByChunk = new WeakMap<object, Float32Array[]>();
const unitByRow = new Map<number, Float32Array>();

/** A chunk's content words as unit vectors, computed once per chunk (and once per word). */
function chunkUnits(chunk: Retrieved['chunk'], answerer: CoverageContext): Float32Array[] {
  let units = unitsByChunk.get(chunk);
  if (!units) {
    const vectors = answerer.vectors;
    const rows = new Set<number>();
    for (const t of chunk.sentenceTokens ?? []) for (let i = 0; i < t.norms.length; i++) if (t.stems[i]) rows.add(vectors.row(t.norms[i]));
    rows.delete(-1);
    units = [...rows].map((r) => {
      let u = unitByRow.get(r);
      if (!u) {
        if (unitByRow.size > 100_000) unitByRow.clear();
        unitByRow.set(r, (u = vectors.unit(r)));
      }
      return u;
    });
    unitsByChunk.set(chunk, units);
  }
  return units;
}

/** The highest cosine between a word's vector and any of `units` (0 for a word without one). */
function closest(word: string, units: Float32Array[], answerer: CoverageContext): number {
  const vectors = answerer.vectors;
  const row = vectors.row(word);
  if (row < 0) return 0;
  const u = vectors.unit(row);
  let best = 0;
  for (const v of units) {
    let c = 0;
    for (let d = 0; d < u.length; d++) c += u[d] * v[d];
    if (c > best) best = c;
  }
  return best;
}

/** Parts of speech that can name a missing detail ("range", "payload", "civilians"). */
const DETAIL_POS = new Set(['NOUN', 'PROPN', 'ADJ', 'NUM', 'X', 'VERB']);

interface Term {
  token: Token;
  weight: number;
  name: boolean;
}

export function gradeCoverage(input: CoverageInput): Graded {
  const { query, intent, topScore, answerer } = input;
  let quotes = input.quotes;
  if (!quotes.length || topScore < NONE_SCORE) return { coverage: 'none', missing: [], support: 0, quotes: [] };
  // A plain number no source has ("the 2015 agreement") is a missing detail, reported below;
  // weighed in with the rest, it sank the support of every quote and the answer was refused. A
  // number in a name ("U-235") still weighs: part of it may match.
  const absentNumbers = new Set(input.missingNumbers.filter((n) => /^\d+$/.test(n)));
  const terms = questionTerms(query, answerer).filter((t) => !absentNumbers.has(query.text.slice(t.token.start, t.token.end)));
  const names = terms.filter((t) => t.name);

  // The first quote must be about what the question names: the best passage holding the
  // question's rarest name, when the best-scoring one does not ("Who is Israel's prime minister?"
  // scores highest on a passage about Iran's foreign minister).
  // The name fewest passages mention is the one the question is about ("Israel" in "Israel's
  // reaction to the Muscat round"): by corpus frequency, counting its word family and other names.
  const stats = answerer.bm25.stats;
  // A phrase ("revolutionari guard") is as frequent as its rarest word, at most.
  const termDf = (f: string) => (f.includes(' ') ? Math.min(...f.split(' ').map((w) => stats.df.get(w) ?? 0)) : stats.df.get(f) ?? 0);
  const dfOf = (t: Token) => Math.max(termDf(t.stem), ...answerer.bm25.prefixFamily(t.norm).map(termDf), ...[...(query.sameName.get(t.stem) ?? [])].map(termDf));
  // A name no passage has (an acronym nobody spelled out, "UAV") cannot anchor anything.
  const known = names.map((n) => ({ n, df: dfOf(n.token) })).filter((x) => x.df > 0);
  const key = known.length ? known.reduce((a, b) => (b.df < a.df ? b : a)).n : undefined;
  const keyDf = key ? dfOf(key.token) : 0;
  if (key) {
    const holds = (text: string) => mentions(key.token, query, text, answerer.aliases);
    if (!holds(quotes[0].text)) {
      const found = input.passages.find((p) => holds(p.chunk.text)) ?? answerer.passagesMentioning(query, key.token).find((p) => holds(p.chunk.text));
      if (found) {
        // Quote the passage's best sentence among those that name it.
        const doc = answerer.byId.get(found.chunk.document)!;
        const sentences = found.sentences.map((x) => (holds(doc.text.slice(x.span.start, x.span.end)) ? x : { ...x, score: -1 }));
        const anchored = { ...found, sentences, best: Math.max(...sentences.map((x) => x.score)) };
        quotes = input.pick([anchored, ...input.passages.filter((p) => p !== found && p.best >= topScore * 0.75)]);
      }
      if (!quotes.length || !holds(quotes[0].text)) quotes = input.quotes;
    }
  }

  const support = supportIn(terms, query, quotes.map((q) => q.text).join(' '), answerer);

  if (support.share < MIN_SUPPORT) return { coverage: 'none', missing: [], support: support.share, quotes };
  const first = supportIn(terms, query, quotes[0].text, answerer);
  const subject = first.subject;

  const missing: string[] = [];
  // The attribute asked about ("the range of ..."), when the sources never use the word or a name
  // for it: a synonym is not enough here ("weather" is WordNet's "conditions", but no source
  // discussing conditions for talks gives the weather).
  if (intent.focus) {
    for (const word of intent.focus.split(' / ')) {
      const t = query.tokens.find((x) => x.norm === word.toLowerCase());
      if (t && (t.pos === 'NOUN' || t.pos === 'X') && !answerer.knows(t.stem, t.norm) && !query.sameName.get(t.stem)?.size) missing.push(word);
    }
  }
  missing.push(...input.missingNumbers);
  // Two subjects in one question ("what did Busaidi say about the Doha round?"): a quote must name
  // both, or what the sources say of the pair is missing.
  if (key && keyDf <= SUBJECT_DF * stats.docs) {
    for (const { n, df } of known) {
      if (n === key || df > SUBJECT_DF * stats.docs) continue;
      if (!quotes.some((q) => mentions(key.token, query, q.text, answerer.aliases) && mentions(n.token, query, q.text, answerer.aliases))) missing.push(query.text.slice(n.token.start, n.token.end));
    }
  }
  // A question naming something only a few passages mention, asking what they never say about it:
  // the weighty words of the question that the quote about that name leaves unanswered, whether or
  // not other passages use them ("prime minister" of Israel).
  if (!missing.length && key && keyDf <= SUBJECT_DF * stats.docs) {
    const detail = terms.filter((t) => !t.name && t.token.norm !== intent.category);
    const mass = detail.reduce((n, t) => n + t.weight, 0);
    const got = detail.reduce((n, t) => n + t.weight * (first.matched.get(t) ?? 0), 0);
    const total = terms.reduce((n, t) => n + t.weight, 0);
    if (mass > 0 && got / mass < DETAIL_SUPPORT) {
      for (const t of detail) {
        if ((first.matched.get(t) ?? 0) === 0 && t.weight / total >= DETAIL_MIN_SHARE && DETAIL_POS.has(t.token.pos) && !STOP_WORDS.has(t.token.lemma)) missing.push(...phraseOf(t, detail, first.matched, query));
      }
    }
  }
  // A noun or verb of the question that the sources never use, under any name or paraphrase, and
  // that no word of the retrieved passages is close to ("seafood", "rain", "payload"): the question
  // asks about something they do not discuss. About a subject only a few passages have (the
  // Shahed-139), that is a partial answer; when all the question shares with the sources is what
  // every passage is about (Tehran, the talks), nothing relevant was found.
  if (!missing.length) {
    const total = terms.reduce((n, t) => n + t.weight, 0);
    const nearby = passageUnits(input.passages, answerer);
    const absent: string[] = [];
    for (const t of terms) {
      if (t.name || (t.token.pos !== 'NOUN' && t.token.pos !== 'VERB') || t.weight / total < ABSENT_MIN_SHARE || STOP_WORDS.has(t.token.lemma)) continue;
      // "Which outlet reported...?": the kind of answer asked for is no detail the sources lack.
      if (intent.category && t.token.norm === intent.category) continue;
      if (answerer.knows(t.token.stem, t.token.norm) || query.equivalents.get(t.token.stem)?.size) continue;
      if (closest(t.token.norm, nearby, answerer) < BRIDGE_COSINE) absent.push(query.text.slice(t.token.start, t.token.end));
    }
    if (absent.length) {
      const specific = terms.some((t) => (first.matched.get(t) ?? 0) >= 0.75 && (stats.df.get(t.token.stem) ?? 0) <= SUBJECT_DF * stats.docs);
      if (!specific) return { coverage: 'none', missing: absent, support: support.share, quotes };
      missing.push(...absent);
    }
  }
  if (!missing.length && intent.answerType && intent.parts.length === 1) {
    const asked = new Set<string>();
    for (const t of query.tokens) asked.add(t.stem).add(t.norm);
    for (const eq of query.equivalents.values()) for (const s of eq.keys()) asked.add(s);
    // The sentence of the first quote about what the question names is the one that must hold it.
    const spans = key ? sentencesOf(quotes[0].text).filter((x) => mentions(key.token, query, x, answerer.aliases)) : [];
    const where = spans.length ? spans.join(' ') : quotes[0].text;
    if (!hasAnswerType(intent.answerType, where, asked, intent)) missing.push(intent.answerType === 'list' && intent.focus ? `the ${intent.focus} themselves` : ANSWER_TYPE_DETAIL[intent.answerType]);
  }
  // "What did the leaders agree at the summit on the 24th?", when the newest source is from the
  // 18th: the sources can say what was planned, never how it turned out.
  if (query.time?.beyond && intent.past) missing.push(OUTCOME_DETAIL);
  if (missing.length) return { coverage: 'partial', missing: [...new Set(missing)], support: support.share, subject, quotes };
  return { coverage: topScore >= ANSWER_SCORE && support.share >= ANSWER_SUPPORT ? 'answered' : 'related', missing: [], support: support.share, subject, quotes };
}

function sentencesOf(text: string): string[] {
  return sentenceSpans(text).map((s) => text.slice(s.start, s.end));
}

/**
 * The question's content words with their weight (corpus IDF times general-English rarity). A
 * description the aliases give a one-word name ("Oman's foreign minister" for Busaidi) is one
 * term, that name: it is a subject like any other name the question types.
 */
function questionTerms(query: Query, answerer: CoverageContext): Term[] {
  const vectors = answerer.vectors;
  const stats = answerer.bm25.stats;
  const out: Term[] = [];
  const seen = new Set<string>();
  for (const { name, run } of describedNames(query, answerer.aliases)) {
    if (run.some((t) => seen.has(t.stem))) continue;
    for (const t of run) seen.add(t.stem);
    const token: Token = { ...run[run.length - 1], stem: name, norm: name, lemma: name, start: run[0].start };
    out.push({ token, weight: stats.idf(name), name: true });
  }
  for (const t of query.tokens) {
    if (seen.has(t.stem)) continue;
    seen.add(t.stem);
    const row = vectors.row(t.norm);
    const rank = row >= 0 ? vectors.rankOf(row) : Infinity;
    const name = answerer.looksLikeName(t) || /\d/.test(t.norm);
    const idf = stats.idf(t.stem);
    const weight = idf * (rank === Infinity ? 1 : (rank + 1) / (rank + 1 + PRIOR_RANK));
    out.push({ token: t, weight, name });
  }
  return out;
}

/** How well a text matches one question word: exact or paraphrase credit, else a close word vector. */
function matchIn(t: Token, query: Query, stems: Map<string, number>, units: Float32Array[] | undefined, answerer?: CoverageContext): number {
  let m = termMatch(t.stem, query, stems);
  const same = query.sameName.get(t.stem);
  if (m < 1 && same) for (const s of same) if (stems.has(s)) m = Math.max(m, 0.8);
  if (m < 1 && units && answerer) {
    const best = closest(t.norm, units, answerer);
    if (best >= SUPPORT_COSINE) m = Math.max(m, best);
  }
  return m;
}

/** Where the nouns a name modifies end: "the Riyadh summit", "the Muscat session", not "the Riyadh". */
function nounPhraseEnd(t: Token, query: Query): number {
  const tokens = query.tokens;
  let i = tokens.indexOf(t);
  if (i < 0 || !t.capitalized) return t.end;
  let end = t.end;
  while (++i < tokens.length && tokens[i].pos === 'NOUN' && !tokens[i].stop && /^ $/.test(query.text.slice(end, tokens[i].start))) end = tokens[i].end;
  return end;
}

/**
 * The share of the question's weight a text speaks to, each word's match, and the best-matched
 * word (a name first) as the subject the sources mention.
 */
function supportIn(terms: Term[], query: Query, text: string, answerer: CoverageContext): { share: number; matched: Map<Term, number>; subject?: string } {
  const vectors = answerer.vectors;
  const tokens = tokenize(text).filter((t) => !t.stop);
  const stems = new Map<string, number>();
  for (const t of tokens) stems.set(t.stem, (stems.get(t.stem) ?? 0) + 1);
  const units = tokens.map((t) => vectors.row(t.norm)).filter((r) => r >= 0).map((r) => vectors.unit(r));
  let mass = 0;
  let got = 0;
  const matched = new Map<Term, number>();
  let subject: { text: string; weight: number } | undefined;
  for (const term of terms) {
    const m = matchIn(term.token, query, stems, units, answerer);
    matched.set(term, m);
    mass += term.weight;
    got += term.weight * m;
    // A bare number ("24" of "on 24 March") is a detail of the subject, never the subject.
    if (m >= 0.75 && (term.name || term.token.pos === 'NOUN' || term.token.pos === 'PROPN') && !/^\d+$/.test(term.token.norm)) {
      const w = term.weight * (term.name ? 2 : 1);
      // The question's own article goes with it: "the Khorramshahr-4", "Tehran".
      const the = /\bthe\s+$/i.exec(query.text.slice(Math.max(0, term.token.start - 4), term.token.start));
      if (!subject || w > subject.weight) subject = { text: (the ? 'the ' : '') + query.text.slice(term.token.start, nounPhraseEnd(term.token, query)), weight: w };
    }
  }
  return { share: mass ? got / mass : 0, matched, subject: subject?.text };
}
