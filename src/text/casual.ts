// Questions arrive the way people type in Slack: "wat did rubio say b4 the mtg??? 😅", with
// zero-width spaces pasted in from web pages and bidi controls from phones. The answer engine's
// tokenizer and stop words only know plain English, so the question (never a source's quote) is
// rewritten into it first.
//
// Every pattern here is linear in the input: a previous whitespace regex backtracked quadratically
// on a long run of U+3000 and froze the bot. Whitespace runs are only ever matched by a bare
// `\s+` with nothing after it, and everything that looks at neighbouring spaces runs after the
// runs have been collapsed to one space.
import { CHAT_FILLER_PATTERN, CHAT_LEXICON, LOWER_CASE_ONLY, YES_NO_TAGS } from './chat-lexicon.js';

export interface NormalizedQuestion {
  text: string;
  /** False when the text came back exactly as given. */
  changed: boolean;
}

// "1️⃣" keeps its digit: "round 1️⃣" still asks about round 1.
const KEYCAP = /([0-9#*])\uFE0F?\u20E3/gu;
// Emoji-styled punctuation that Extended_Pictographic would otherwise delete outright.
const PICTOGRAPHIC_PUNCTUATION = /[\u203C\u2049\u2047\u2048]/gu;
const PUNCTUATION_SPELLED: Readonly<Record<string, string>> = { '\u203C': '!!', '\u2049': '!?', '\u2047': '??', '\u2048': '?!' };
// Format characters (ZWSP, ZWJ, bidi embeddings and overrides, word joiner, BOM, soft hyphen, tags)
// plus the other default-ignorable code points, which include the variation selectors. None of
// them is visible; left in, "O\u200Bman" is not "Oman" to the index. Curly quotes (Pi/Pf) and
// dashes (Pd) are in neither class.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u20E3]+/gu;
// Slack's ":fire:" and ":thumbsup::skin-tone-2:". Bounded names, and a letter required in the
// callback (but for Slack's ":+1:" and ":-1:"), so "10:30:45" survives.
const SHORTCODES = /(?<![\p{L}\p{N}])(?::[a-z0-9_+'-]{1,60}:)+(?![\p{L}\p{N}])/gu;
const SHORTCODE_NAME = /[a-z]|^:[+-]1:$/;
// Typed faces, as whole words only: ":)", ":-(", ";P", ":D", "xD", "<3", "^_^". A face is its own
// word or it is not one: "3:2" and "(see note)" never match.
const EMOTICON = /^(?:[:;=][-'^o]?[()[\]DPpOo3/\\|*@]{1,3}|[()][-']?[:;=]|[xX][Dd]{1,3}|<\/?3{1,3}|\^[_-]?\^|[oO][._][oO])$/u;
const CONTROL = /\p{Cc}/gu;
const WHITESPACE = /\s+/gu;
const TERMINAL_RUN = /[?!.…]{2,}/gu;
const PAUSE_RUN = /([,;:])[,;:]+/gu;
// Only before punctuation that ends a word: " .gov" and " :)" keep their space.
const SPACE_BEFORE_PUNCTUATION = / (?=[?!.,;:](?: |$))/gu;
const DANGLING_PAUSE = /[,;:](?=[?!.]|$)/gu;
const LEADING_PUNCTUATION = /^[,;:.!?]+(?: |$)/u;
const WORDISH = /[\p{L}\p{N}]/u;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;
const SENTENCE_PUNCTUATION = /[?!.]/gu;
const ONLY_SENTENCE_PUNCTUATION = /^[?!.]*$/u;
const TRAILING_PAUSE = /[,;:]+$/u;
const PLAIN_LEAD = /^[("'“‘[{*_~]*$/u;
const PLAIN_TRAIL = /^[?!.,;:)"'”’\]}*_~…]*$/u;
// "w/iran": the slash is where the word ends; "w/o" alone is "without" (in the lexicon).
const WITH_ATTACHED = /^w\/(\p{L}[\p{L}'’-]*)$/iu;

// "What should the desk be watching?": the people asking, named as a workplace names itself. The
// story never holds them, and a question word the sources lack reads as a subject they don't cover.
// Only after a modal, where they are the subject: "the desk" or "our team" elsewhere stays.
const ASKER = /\b(should|must|do|does|can|could|would|will)\s+(?:(?:the|our|my)\s+(?:desk|trading floor|newsroom|bosses|boss|readers|principals|clients|editors)|(?:our|my)\s+(?:team|office|group|unit))\b/gi;

interface Chunk {
  lead: string;
  core: string;
  trail: string;
}

/**
 * The question in plain English: invisible characters, emoji and Slack shortcodes removed, runs of
 * punctuation and whitespace collapsed, chat abbreviations spelled out and fillers dropped.
 */
export function normalizeQuestion(text: string): NormalizedQuestion {
  const clean = cleanCharacters(text);
  let out = rewriteWords(clean);
  out = tidy(out).replace(ASKER, (_m, modal: string) => `${modal} we`);
  // Everything said was filler ("lol??"): better the cleaned words than an empty question. Input
  // without a word ("???", "🔥") gets its cleaned characters, which may be empty.
  if (!WORDISH.test(out)) out = clean;
  return { text: out, changed: out !== text };
}

/** Character-level clean-up: nothing here knows about words. */
function cleanCharacters(text: string): string {
  let s = text.replace(KEYCAP, '$1');
  s = s.replace(PICTOGRAPHIC_PUNCTUATION, (c) => PUNCTUATION_SPELLED[c] ?? c);
  s = s.replace(INVISIBLE, '');
  // A space, not nothing: "talks🔥today" is two words. Extra spaces are collapsed below.
  s = s.replace(EMOJI, ' ');
  s = s.replace(SHORTCODES, (m) => (SHORTCODE_NAME.test(m) ? ' ' : m));
  s = s.replace(CONTROL, ' ');
  s = s.replace(WHITESPACE, ' ');
  s = collapsePunctuation(s);
  return s.trim();
}

function collapsePunctuation(s: string): string {
  s = s.replace(TERMINAL_RUN, (run, offset: number, all: string) => {
    const one = run.includes('?') ? '?' : run.includes('!') ? '!' : '.';
    // "wait...what" must not become one token "wait.what".
    const next = all[offset + run.length];
    return next !== undefined && WORD_CHAR.test(next) ? `${one} ` : one;
  });
  return s.replace(PAUSE_RUN, '$1');
}

/** Spaces before punctuation and commas left hanging by a removed word. Input has single spaces. */
function tidy(s: string): string {
  s = collapsePunctuation(s);
  s = s.replace(SPACE_BEFORE_PUNCTUATION, '');
  s = s.replace(DANGLING_PAUSE, '');
  s = collapsePunctuation(s);
  return s.replace(LEADING_PUNCTUATION, '').trim();
}

function rewriteWords(s: string): string {
  if (!s) return s;
  const chunks = s.split(' ').map((w) => (EMOTICON.test(w) ? { lead: '', core: '', trail: '' } : splitChunk(w)));
  for (const c of chunks) {
    if (dropWord(c)) {
      // Only sentence punctuation outlives a dropped word: "lol," goes whole, "lol?" leaves "?".
      c.trail = (c.trail.match(SENTENCE_PUNCTUATION) ?? []).join('');
      c.lead = '';
      c.core = '';
    }
  }
  dropYesNoTag(chunks);
  const shouted = !LOWER.test(s);
  for (const c of chunks) if (c.core) c.core = expand(c, shouted);
  return chunks
    .map((c) => c.lead + c.core + c.trail)
    .filter(Boolean)
    .join(' ');
}

/**
 * Splits off leading and trailing punctuation. Only the edges are stripped, so "tl;dr", "w/o",
 * "Khorramshahr-4" and "F-35C" stay one core; a trailing "/" stays on ("w/").
 */
function splitChunk(chunk: string): Chunk {
  let start = 0;
  while (start < chunk.length && !WORD_CHAR.test(chunk[start])) start++;
  let end = chunk.length;
  while (end > start && !WORD_CHAR.test(chunk[end - 1]) && chunk[end - 1] !== '/') end--;
  return { lead: chunk.slice(0, start), core: chunk.slice(start, end), trail: chunk.slice(end) };
}

/** The lexicon key a core may be rewritten under, or undefined when its case says it is a name. */
function lexiconKey(c: Chunk): string | undefined {
  if (!plainEdges(c)) return undefined;
  const key = c.core.toLowerCase();
  if (!Object.hasOwn(CHAT_LEXICON, key) && !CHAT_FILLER_PATTERN.test(key)) return undefined;
  if (LOWER_CASE_ONLY.has(key) && c.core !== key) return undefined;
  // A lone letter before a full stop is an initial ("n. korea"), not "and".
  if (key.length === 1 && c.trail.startsWith('.')) return undefined;
  return key;
}

/** Brackets, quotes, markdown and sentence punctuation around a word; ".gov", "#info", "@u" are something else. */
function plainEdges(c: Chunk): boolean {
  return PLAIN_LEAD.test(c.lead) && PLAIN_TRAIL.test(c.trail);
}

function dropWord(c: Chunk): boolean {
  const key = lexiconKey(c);
  return key !== undefined && (CHAT_LEXICON[key] ?? '') === '';
}

function expand(c: Chunk, shouted: boolean): string {
  const key = lexiconKey(c);
  if (key !== undefined) return matchCase(c.core, CHAT_LEXICON[key], shouted);
  const attached = plainEdges(c) ? WITH_ATTACHED.exec(c.core) : null;
  if (attached) return `${matchCase(c.core, 'with', shouted)} ${attached[1]}`;
  return c.core;
}

/**
 * "Wat" -> "What", "wat" -> "what", "idk" -> "I do not know" as written. Capitals mean shouting only
 * when the whole question is in capitals ("WAT DID ..." -> "WHAT DID ..."); elsewhere "IDK" is just
 * how the initialism is written, so it reads "I do not know".
 */
function matchCase(typed: string, plain: string, shouted: boolean): string {
  if (shouted && UPPER.test(typed)) return plain.toUpperCase();
  if (UPPER.test(typed[0])) return plain[0].toUpperCase() + plain.slice(1);
  return plain;
}

/**
 * "is iran still enriching or nah?" -> "is iran still enriching?": a closing "or nah", "or not",
 * "or what" only asks for a yes or a no, and its words would otherwise count as content.
 */
function dropYesNoTag(chunks: Chunk[]): void {
  let lastWord = chunks.length - 1;
  while (lastWord >= 0 && !chunks[lastWord].core) lastWord--;
  // Indices of the chunks with words so far, so no step scans back over dropped ones.
  const words: number[] = [];
  for (let i = 0; i <= lastWord; i++) {
    const tag = chunks[i];
    if (!tag.core) continue;
    const n = words.length;
    const or = chunks[i - 1];
    const isTag =
      // Two words at least before "or": "yes or no?" is not a tagged question.
      n >= 3 &&
      words[n - 1] === i - 1 &&
      or.core.toLowerCase() === 'or' &&
      !or.lead &&
      !or.trail &&
      !tag.lead &&
      YES_NO_TAGS.has(tag.core.toLowerCase()) &&
      ONLY_SENTENCE_PUNCTUATION.test(tag.trail) &&
      // The tag must end its sentence: closing punctuation, or no word after it.
      (tag.trail !== '' || i === lastWord);
    if (!isTag) {
      words.push(i);
      continue;
    }
    const before = chunks[words[n - 2]];
    before.trail = before.trail.replace(TRAILING_PAUSE, '') + tag.trail;
    or.core = '';
    tag.core = '';
    tag.trail = '';
    words.pop();
  }
}
