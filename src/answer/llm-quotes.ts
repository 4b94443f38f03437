// Finding quoted spans in free text: what a model's reply claims to quote. The same scanner reads
// the model's reply and re-reads the final answer, so a span the first pass missed cannot survive
// the second unnoticed. Its reading is deliberately wide (unclosed marks, curly and guillemet
// quotes, single quotes that look like quotations): anything a reader would take for a quotation
// must be checked.

export interface TextPiece {
  kind: 'text';
  text: string;
}
export interface QuotePiece {
  kind: 'quote';
  /** Raw text between the quotation marks. */
  inner: string;
  /** False when the opening mark had no closing one: the span runs to the end of the text. */
  closed: boolean;
  /** Passage numbers cited right after the span (or at its very end, inside the marks). */
  markers: number[];
}
export type Piece = TextPiece | QuotePiece;

/** Double-quotation openers and the closers that end them. Straight quotes close only on a
 *  straight quote first, so a source quote with curly quotes inside can be wrapped in straight ones. */
const DOUBLE_OPEN: Record<string, string[]> = {
  '"': ['"', '\u201D'],
  '\u201C': ['\u201D', '"'],
  '\u201E': ['\u201C', '\u201D', '"'],
  '\u00AB': ['\u00BB'],
  '\uFF02': ['\uFF02'],
  '\u300C': ['\u300D'],
  '\u300E': ['\u300F'],
};
/** Quotation-like characters that may not appear in answer text outside a verified quote. */
export const DOUBLE_ANY = /["\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\u2036\uFF02\u300C\u300D\u300E\u300F\u301D\u301E\u301F]/g;
const DOUBLE_MARK = new RegExp(DOUBLE_ANY.source);
const SINGLE_OPEN = new Set(["'", '\u2018', '\u2039']);
const SINGLE_CLOSE = new Set(["'", '\u2019', '\u203A']);
export const ALNUM = /[\p{L}\p{N}]/u;
const MARKERS = /^(?:\s*\[\s*\d+(?:\s*[,;\u2013-]\s*\d+)*\s*\])+/;
/** A citation marker such as [2] or [1, 3], with the space before it. */
export const MARKER_ANY = /\s*\[\s*\d+(?:\s*[,;\u2013-]\s*\d+)*\s*\]/g;
const TRAILING_MARKERS = /(?:\s*\[\s*\d+(?:\s*[,;\u2013-]\s*\d+)*\s*\])+\s*$/;

function numbersIn(s: string): number[] {
  return Array.from(s.matchAll(/\d+/g), (m) => Number(m[0]));
}

function closeOfDouble(text: string, open: string, from: number): number {
  if (open === '\u201C') {
    // Curly quotes nest, so a quote quoting a “term” closes on its own mark.
    let depth = 0;
    for (let j = from; j < text.length; j++) {
      if (text[j] === '\u201C') depth++;
      else if (text[j] === '\u201D') {
        if (depth === 0) return j;
        depth--;
      }
    }
  }
  for (const close of DOUBLE_OPEN[open]!) {
    const j = text.indexOf(close, from);
    if (j >= 0) return j;
  }
  return -1;
}

/** A single-quoted span counts as a quotation only when it looks like one: the mark opens a word
 *  and a matching mark closes one on the same line. Apostrophes (Iran's, '90s) stay text. */
function closeOfSingle(text: string, i: number): number {
  const before = i === 0 ? ' ' : text[i - 1]!;
  if (!/[\s([{\u2014\u2013-]/u.test(before) || !ALNUM.test(text[i + 1] ?? '')) return -1;
  for (let j = i + 2; j < text.length && j < i + 600; j++) {
    const ch = text[j]!;
    if (ch === '\n') return -1;
    if (SINGLE_CLOSE.has(ch) && !/\s/u.test(text[j - 1]!) && !ALNUM.test(text[j + 1] ?? '')) return j;
  }
  return -1;
}

/** Splits text into plain pieces and quoted spans; `strays` counts lone double-quote marks, which
 *  are dropped from the plain pieces. */
export function scanQuotes(text: string): { pieces: Piece[]; strays: number } {
  const pieces: Piece[] = [];
  let buf = '';
  let strays = 0;
  const flush = () => {
    if (buf) pieces.push({ kind: 'text', text: buf });
    buf = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    let close = -1;
    if (DOUBLE_OPEN[ch]) {
      close = closeOfDouble(text, ch, i + 1);
      if (close < 0) {
        // An opening mark that never closes still makes what follows look quoted: treat it all
        // as one span, so it is verified or removed like any other.
        flush();
        pieces.push({ kind: 'quote', inner: text.slice(i + 1), closed: false, markers: [] });
        return { pieces, strays };
      }
    } else if (SINGLE_OPEN.has(ch)) {
      close = closeOfSingle(text, i);
    } else if (DOUBLE_MARK.test(ch)) {
      strays++;
      i++;
      continue;
    }
    if (close < 0) {
      buf += ch;
      i++;
      continue;
    }
    flush();
    let inner = text.slice(i + 1, close);
    const markers: number[] = [];
    const insideMarks = TRAILING_MARKERS.exec(inner);
    if (insideMarks) {
      markers.push(...numbersIn(insideMarks[0]));
      inner = inner.slice(0, insideMarks.index);
    }
    i = close + 1;
    const after = MARKERS.exec(text.slice(i));
    if (after) {
      markers.push(...numbersIn(after[0]));
      i += after[0].length;
    }
    pieces.push({ kind: 'quote', inner, closed: true, markers });
  }
  flush();
  return { pieces, strays };
}

/** True when every quoted span of `answer`, read afresh, is exactly the text of a verified quote. */
export function onlyVerifiedQuotes(answer: string, allowed: Set<string>): boolean {
  const { pieces, strays } = scanQuotes(answer);
  if (strays > 0) return false;
  return pieces.every((p) => p.kind === 'text' || (p.closed && allowed.has(p.inner)));
}
