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
function tokenStarts(text: string, values: string[], spaces: string[]): number[] {
  const starts = new Array<number>(values.length);
  let pos = 0;
  for (let i = 0; i < values.length; i++) {
    const expected = pos + spaces[i].length;
    const found = values[i] ? text.indexOf(values[i], pos) : -1;
    starts[i] = found >= 0 ? found : expected;
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

function tokenizeVisible(text: string, offset: number): Token[] {
  const nlp = getNlp();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const types = doc.tokens().out(its.type) as string[];
  // wink's typings omit `lemma` from ItsFunction though `out(its.lemma)` works (wink-nlp src/its.js).
  const lemmas = doc.tokens().out(its.lemma as unknown as typeof its.value) as string[];
  const tags = doc.tokens().out(its.pos) as string[];
  const out: Token[] = [];
  const starts = tokenStarts(text, values, spaces);
  for (let i = 0; i < values.length; i++) {
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
  const spans: { start: number; end: number }[] = [];
  const values = doc.tokens().out(its.value) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  // Token start offsets, then each sentence's [first token start, last token end), with any
  // whitespace tokens (wink's newline tokens in hard-wrapped text) trimmed off both ends.
  const starts = tokenStarts(text, values, spaces);
  doc.sentences().each((s: { out: (f: unknown) => unknown }) => {
    let [first, last] = s.out(its.span) as unknown as [number, number];
    if (first === undefined || last === undefined || first >= values.length) return;
    while (first <= last && !values[first].trim()) first++;
    while (last >= first && !values[last].trim()) last--;
    if (first > last) return;
    const start = starts[first];
    const end = starts[last] + values[last].length;
    if (end > start) spans.push({ start: offset + start, end: offset + end });
  });
  return spans;
}
