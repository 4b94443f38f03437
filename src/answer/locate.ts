// Finds a span a model says it quoted inside a document's file text, tolerating only what a
// faithful copy can lose on the way through a chat model: whitespace (runs collapsed, line breaks
// turned into spaces, spaces around dashes and punctuation added or dropped) and straight versus
// curly quotation marks and apostrophes. Anything else (case, spelling, ellipses, a changed word)
// is a different text and does not match. Offsets are JavaScript string offsets into the file
// text, so `text.slice(start, end)` is exactly what the source says.

export interface Located {
  start: number;
  end: number;
}

const SINGLE = "'\u2018\u2019"; // ' ‘ ’
const DOUBLE = '"\u201C\u201D'; // " “ ”
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;

function escape(ch: string): string {
  // Only syntax characters may be escaped under the `u` flag (`\-` is a SyntaxError there).
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function charPattern(ch: string): string {
  if (SINGLE.includes(ch)) return `[${SINGLE}]`;
  if (DOUBLE.includes(ch)) return `[${DOUBLE}]`;
  return escape(ch);
}

/**
 * The regular expression source matching `span` under the tolerated differences, or null for an
 * empty span. Between two word characters whitespace must stay whitespace (so "nuclear deal"
 * never matches "nucleardeal"); next to punctuation it may appear or vanish ("talks — the"
 * matches "talks—the").
 */
export function spanPattern(span: string): string | null {
  const chars = Array.from(span.trim());
  if (chars.length === 0) return null;
  let out = '';
  let prev = '';
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i]!;
    if (SPACE.test(ch)) {
      while (i < chars.length && SPACE.test(chars[i]!)) i++;
      const next = chars[i] ?? '';
      out += WORD.test(prev) && WORD.test(next) ? '\\s+' : '\\s*';
      prev = ' ';
      continue;
    }
    if (prev && prev !== ' ' && !(WORD.test(prev) && WORD.test(ch))) out += '\\s*';
    out += charPattern(ch);
    prev = ch;
    i++;
  }
  return out;
}

/** Every non-overlapping place `span` occurs in `text`, in document order. */
export function locateAll(span: string, text: string): Located[] {
  const source = spanPattern(span);
  if (source === null) return [];
  const re = new RegExp(source, 'gu');
  const found: Located[] = [];
  for (const m of text.matchAll(re)) {
    found.push({ start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/**
 * Where `span` occurs in `text`; when `near` is given, an occurrence inside that range wins, then
 * the occurrence closest to it (a model quoting passage [2] means that passage, even if the same
 * words recur elsewhere in the document).
 */
export function locate(span: string, text: string, near?: Located): Located | null {
  const all = locateAll(span, text);
  if (all.length === 0) return null;
  if (!near) return all[0]!;
  const distance = (l: Located) => (l.start >= near.start && l.end <= near.end ? -1 : Math.min(Math.abs(l.start - near.start), Math.abs(l.end - near.end)));
  return all.reduce((best, l) => (distance(l) < distance(best) ? l : best));
}
