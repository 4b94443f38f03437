// Tokens and sentences with character offsets. wink-nlp is lossless (token values plus their
// preceding spaces rebuild the input exactly), so offsets come from a running sum of lengths.
import { createRequire } from 'node:module';
import { getNlp } from './nlp.js';
import { STOP_WORDS } from './stopwords.js';

export interface Token {
  /** Lower-cased surface form. */
  norm: string;
  /** Porter2 stem for alphabetic words; the normal form otherwise (stemming "shahed-139" mangles it). */
  stem: string;
  start: number;
  end: number;
  stop: boolean;
  /** Starts with a capital letter and is not the first token of its text: a likely name. */
  capitalized: boolean;
  /** Written in capitals, two letters or more ("IAEA", "FM"). */
  acronym: boolean;
  /** wink-nlp's lemma, lower-cased ("met" -> "meet"). */
  lemma: string;
  /** wink-nlp's universal part-of-speech tag (NOUN, PROPN, VERB, ...). */
  pos: string;
}

const ALPHA = /^[a-z]+$/;
// The Porter2 stemmer wink-nlp's English model uses internally, applied to lemmas here.
const porter = createRequire(import.meta.url)('wink-eng-lite-web-model/dist/porter-stemmer.js') as (w: string) => string;

/** Stem of an alphabetic word (its lemma when known), or the word itself ("shahed-139" stays whole). */
export function stemWord(word: string, lemma?: string): string {
  if (!ALPHA.test(word)) return word;
  const lower = lemma ? lemma.toLowerCase() : word;
  const base = ALPHA.test(lower) ? lower : word;
  // Porter2 was 15% of ingest time (bench/), over a vocabulary that repeats: remember its results.
  let stem = stemCache.get(base);
  if (stem === undefined) {
    if (stemCache.size >= STEM_CACHE_SIZE) stemCache.clear();
    stemCache.set(base, (stem = porter(base)));
  }
  return stem;
}

const STEM_CACHE_SIZE = 100_000;
const stemCache = new Map<string, string>();
const WORDISH = /[\p{L}\p{N}]/u;

/**
 * Start offsets of wink-nlp's tokens in `text`. wink rebuilds most input exactly from token values
 * and preceding spaces, but its tokenizer drops some whitespace (form feed, vertical tab, U+2028,
 * U+3000, U+0085: node_modules/wink-nlp/src/tokenizer.js), so each token is found with indexOf
 * from the running position rather than by summing lengths.
 */
function tokenStarts(text: string, values: string[], doc: WinkDoc): number[] {
  // The preceding spaces are asked of wink only for a token not found: one pass fewer over
  // every paragraph of a corpus, where that never happens.
  let spaces: string[] | undefined;
  const starts = new Array<number>(values.length);
  let pos = 0;
  for (let i = 0; i < values.length; i++) {
    const found = values[i] ? text.indexOf(values[i], pos) : -1;
    starts[i] = found >= 0 ? found : pos + (spaces ??= doc.tokens().out(getNlp().its.precedingSpaces) as string[])[i].length;
    pos = starts[i] + values[i].length;
  }
  return starts;
}

/** Folds typographic variants so "Oman’s" and "Oman's" tokenise alike. */
export function foldPunctuation(s: string): string {
  return s.replace(/[’‘ʼ`]/g, "'").replace(/[“”]/g, '"').replace(/[‐‑‒–—]/g, '-');
}

/** Characters that render as nothing (zero-width space, soft hyphen, word joiner, BOM, bidi marks). */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

/**
 * The tokens of `text`, with offsets into it. A word with a zero-width space or a soft hyphen
 * inside ("O\u200Bman") is still one word: such characters are read past, and each token's span
 * covers them, so a quote of it is still the file's exact text.
 */
export function tokenize(text: string, offset = 0): Token[] {
  if (!INVISIBLE.test(text)) return tokenizeVisible(text, offset);
  // `at[i]`: where the i-th code unit of the visible text stands in `text`.
  const at: number[] = [];
  let clean = '';
  let from = 0;
  for (const m of text.matchAll(INVISIBLE_ALL)) {
    for (let i = from; i < m.index; i++) at.push(i);
    clean += text.slice(from, m.index);
    from = m.index + m[0].length;
  }
  for (let i = from; i < text.length; i++) at.push(i);
  clean += text.slice(from);
  at.push(text.length);
  return tokenizeVisible(clean, 0).map((t) => ({ ...t, start: offset + at[t.start], end: offset + at[t.end - 1] + 1 }));
}

/** One wink-nlp pass over a text: each token's fields, by token index. */
interface WinkTokens {
  values: string[];
  types: string[];
  lemmas: string[];
  tags: string[];
  starts: number[];
}

type WinkDoc = ReturnType<ReturnType<typeof getNlp>['readDoc']>;

function readTokens(text: string): { doc: WinkDoc; tokens: WinkTokens } {
  const nlp = getNlp();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const types = doc.tokens().out(its.type) as string[];
  // wink's typings omit `lemma` from ItsFunction though `out(its.lemma)` works (wink-nlp src/its.js).
  const lemmas = doc.tokens().out(its.lemma as unknown as typeof its.value) as string[];
  const tags = doc.tokens().out(its.pos) as string[];
  return { doc, tokens: { values, types, lemmas, tags, starts: tokenStarts(text, values, doc) } };
}

function tokenizeVisible(text: string, offset: number): Token[] {
  const { tokens } = readTokens(text);
  return tokensOf(tokens, 0, tokens.values.length, offset);
}

/** Our tokens of wink's tokens first .. end - 1. */
function tokensOf(w: WinkTokens, first: number, end: number, offset: number): Token[] {
  const { values, types, lemmas, tags, starts } = w;
  const out: Token[] = [];
  for (let i = first; i < end; i++) {
    const value = values[i];
    const start = starts[i];
    const pos = start + value.length;
    const type = types[i];
    if (type !== 'word' && type !== 'number' && type !== 'unk') continue;
    if (!WORDISH.test(value)) continue;
    const norm = foldPunctuation(value.toLowerCase());
    if (norm.startsWith("'")) continue; // possessive "’s" and contraction tails carry no meaning here
    const stem = stemWord(norm, lemmas[i]);
    const capitalized = out.length > 0 && /^\p{Lu}/u.test(value);
    // "US" is a country, "us" a pronoun: an all-capitals word is never a stop word.
    const acronym = value.length > 1 && value === value.toUpperCase() && /\p{Lu}/u.test(value);
    const lemma = lemmas[i] && ALPHA.test(lemmas[i].toLowerCase()) ? lemmas[i].toLowerCase() : norm;
    out.push({ norm, stem, start: offset + start, end: offset + pos, stop: !acronym && STOP_WORDS.has(norm), capitalized, acronym, lemma, pos: tags[i] });
    // Hyphenated compounds ("US-Israeli", "Shahed-139") also count as their parts.
    if (norm.includes('-')) {
      for (const part of norm.split('-')) {
        if (!part || !WORDISH.test(part)) continue;
        const partStem = stemWord(part);
        out.push({ norm: part, stem: partStem, start: offset + start, end: offset + pos, stop: STOP_WORDS.has(part), capitalized, acronym: false, lemma: part, pos: tags[i] });
      }
    }
  }
  return out;
}

/**
 * A text's tokens as the sentence scorer needs them: every token's norm (for the embedding) and,
 * for content words, the stem ('' for a stop word). Cached per corpus sentence at ingest, so
 * answering never runs wink-nlp over the corpus again.
 */
export interface SentenceTokens {
  norms: string[];
  stems: string[];
}

export function sentenceTokens(text: string): SentenceTokens {
  const tokens = tokenize(text);
  return { norms: tokens.map((t) => t.norm), stems: tokens.map((t) => (t.stop ? '' : t.stem)) };
}

/** Content terms (stems of non-stop words) of a text: what retrieval and scoring match on. */
export function terms(text: string): string[] {
  return tokenize(text).filter((t) => !t.stop).map((t) => t.stem);
}

/** Sentence spans of `text`, as offsets shifted by `offset`, trimmed of surrounding whitespace. */
export function sentenceSpans(text: string, offset = 0): { start: number; end: number }[] {
  const nlp = getNlp();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  return sentenceRanges(doc, values, tokenStarts(text, values, doc)).map((r) => ({ start: offset + r.start, end: offset + r.end }));
}

/**
 * The sentences of `text` (offsets shifted by `offset`) and each one's tokens, from one wink-nlp
 * pass: tokenising each sentence again after splitting its paragraph was a quarter of ingest
 * (bench/). The tokens are those sentenceTokens() gives each sentence on its own
 * (tests/core/ingest-tokens.test.ts).
 */
export function sentencesWithTokens(text: string, offset = 0): { spans: { start: number; end: number }[]; tokens: SentenceTokens[] } {
  if (INVISIBLE.test(text)) {
    // tokenize() reads past invisible characters, sentenceSpans() does not: keep each its own pass.
    const spans = sentenceSpans(text, offset);
    return { spans, tokens: spans.map((s) => sentenceTokens(text.slice(s.start - offset, s.end - offset))) };
  }
  const nlp = getNlp();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const col = doc.tokens();
  // Each token's lexeme id and part of speech decide what it adds (see Lexeme): asking wink for
  // them, rather than for every token's value, type and lemma (its lemmatiser ran for every
  // token), cut the time spent outside wink's own pass over synthetic 10k from 1.5 to 1.0-1.3 s,
  // and from 1.1 to 0.5-0.8 s once its words were known (bench/).
  const ids = col.out(its.uniqueId) as unknown as number[];
  const tags = col.out(its.pos) as string[];
  const contracted = col.out(its.contractionFlag) as unknown as boolean[];
  const values = new Array<string>(ids.length);
  const found = new Array<SentenceTokens | null>(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const lexeme = lexemeOf(ids[i], col, i, contracted[i] ? undefined : tags[i]);
    values[i] = lexeme.value;
    // A contraction's parts have lemmas of their own ("'s": "be" in "he's", "us" in "let's").
    found[i] = contracted[i] ? termsOf(lexeme.value, lexeme.type, lemmaAt(col, i)) : lexemeTerms(lexeme, tags[i], col, i);
  }
  const ranges = sentenceRanges(doc, values, tokenStarts(text, values, doc));
  return {
    spans: ranges.map((r) => ({ start: offset + r.start, end: offset + r.end })),
    tokens: ranges.map((r) => {
      const norms: string[] = [];
      const stems: string[] = [];
      for (let i = r.first; i <= r.last; i++) {
        const t = found[i];
        if (!t) continue;
        // Most tokens add one term; a hyphenated one adds its parts too.
        for (let k = 0; k < t.norms.length; k++) {
          norms.push(t.norms[k]);
          stems.push(t.stems[k]);
        }
      }
      return { norms, stems };
    }),
  };
}

type WinkTokenCollection = ReturnType<WinkDoc['tokens']>;

/**
 * A wink lexeme (its uniqueId: the same id is the same text, in this process' wink): its value and
 * type, and what a token of it adds to a sentence, by part of speech. wink gives a token that is
 * not part of a contraction the lemma of its lexeme, or lemmatises its normal form by its part of
 * speech (wink-nlp src/its.js `lemma`), so the lexeme and the tag decide the terms; a corpus
 * repeats its words, and working each one out again (case, punctuation folding, the stemmer) was
 * a fifth of ingest (bench/).
 */
interface Lexeme {
  value: string;
  type: string;
  /** The terms by the first tag it was met with, inline: most words come with one tag (none when met in a contraction). */
  tag?: string;
  lemma?: string;
  terms: SentenceTokens | null;
  others?: { tag: string; lemma: string | undefined; terms: SentenceTokens | null }[];
}

const lexemes = new Map<number, Lexeme>();

function lexemeOf(id: number, col: WinkTokenCollection, i: number, tag: string | undefined): Lexeme {
  let lexeme = lexemes.get(id);
  if (lexeme) return lexeme;
  // Bounded: a flood of odd tokens must not grow memory without end.
  if (lexemes.size >= STEM_CACHE_SIZE) lexemes.clear();
  const its = getNlp().its;
  const token = col.itemAt(i);
  const [value, type] = [token.out(its.value), token.out(its.type)];
  const lemma = tag === undefined ? undefined : lemmaOf(token);
  lexemes.set(id, (lexeme = { value, type, tag, lemma, terms: tag === undefined ? null : termsOf(value, type, lemma) }));
  return lexeme;
}

function lexemeTerms(lexeme: Lexeme, tag: string, col: WinkTokenCollection, i: number): SentenceTokens | null {
  if (lexeme.tag === tag) return lexeme.terms;
  const others = (lexeme.others ??= []);
  for (const v of others) if (v.tag === tag) return v.terms;
  // Most tags of a word give it the same lemma ("talks" as a noun and a verb): the same terms.
  const lemma = lemmaAt(col, i);
  const terms = lexeme.tag !== undefined && lemma === lexeme.lemma ? lexeme.terms : (others.find((v) => v.lemma === lemma)?.terms ?? termsOf(lexeme.value, lexeme.type, lemma));
  others.push({ tag, lemma, terms });
  return terms;
}

/** wink's lemma of token i; undefined for some words it has none for ("dont" outside a contraction). */
function lemmaAt(col: WinkTokenCollection, i: number): string | undefined {
  return lemmaOf(col.itemAt(i));
}

function lemmaOf(token: ReturnType<WinkTokenCollection['itemAt']>): string | undefined {
  const its = getNlp().its;
  // wink's typings omit `lemma` from ItsFunction though `out(its.lemma)` works (wink-nlp src/its.js).
  return token.out(its.lemma as unknown as typeof its.value);
}

/** What a token adds to its sentence's tokens, as tokensOf decides it. */
function termsOf(value: string, type: string, lemma: string | undefined): SentenceTokens | null {
  const one = tokensOf({ values: [value], types: [type], lemmas: [lemma as string], tags: [''], starts: [0] }, 0, 1, 0);
  return one.length ? { norms: one.map((x) => x.norm), stems: one.map((x) => (x.stop ? '' : x.stem)) } : null;
}

/**
 * Each sentence's first and last token and its [start, end) in the text, with any whitespace
 * tokens (wink's newline tokens in hard-wrapped text) trimmed off both ends.
 */
function sentenceRanges(doc: WinkDoc, values: string[], starts: number[]): { first: number; last: number; start: number; end: number }[] {
  const its = getNlp().its;
  const out: { first: number; last: number; start: number; end: number }[] = [];
  doc.sentences().each((s: { out: (f: unknown) => unknown }) => {
    let [first, last] = s.out(its.span) as unknown as [number, number];
    if (first === undefined || last === undefined || first >= values.length) return;
    while (first <= last && !values[first].trim()) first++;
    while (last >= first && !values[last].trim()) last--;
    if (first > last) return;
    const start = starts[first];
    const end = starts[last] + values[last].length;
    if (end > start) out.push({ first, last, start, end });
  });
  return out;
}
