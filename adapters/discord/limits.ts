// Discord's message and embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
// A request over any of them fails with 400 "Invalid Form Body", so rendering stays under all of them.
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of title, description, field names and values, footer and author name, over all embeds of a message. */
  embedTotal: 6000,
} as const;

/** Where sentences end: terminal punctuation, optional closing quotes or brackets, then whitespace. */
const SENTENCE_END = /[.!?…]+["'”’)\]]*\s+/g;
const WORD_GAP = /\s+/g;
/** Marks a cut inside a sentence, so a reader knows the text goes on. */
export const CUT_MARK = ' …';

/** Splits text after every match of `separator`, keeping the separator with the piece before it. */
function piecesAfter(text: string, separator: RegExp): string[] {
  const pieces: string[] = [];
  let from = 0;
  for (const match of text.matchAll(separator)) {
    const end = match.index! + match[0].length;
    if (end >= text.length) break;
    pieces.push(text.slice(from, end));
    from = end;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** Cuts an over-long sentence at word gaps (or anywhere, as a last resort), marking each cut. */
function cutSentence(sentence: string, fits: (chunk: string) => boolean): string[] {
  const out: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) out.push(current.trimEnd() + CUT_MARK);
    current = '';
  };
  for (const word of piecesAfter(sentence, WORD_GAP)) {
    if (fits((current + word).trimEnd() + CUT_MARK)) {
      current += word;
      continue;
    }
    flush();
    let rest = word;
    // A single "word" longer than the limit (a URL, a table row): cut it by characters.
    while (!fits(rest.trimEnd() + CUT_MARK)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n) + CUT_MARK)) n = Math.max(1, Math.floor(n * 0.9));
      out.push(rest.slice(0, n) + CUT_MARK);
      rest = rest.slice(n);
    }
    current = rest;
  }
  // The sentence's own end is not a cut, so its last piece carries no mark.
  if (current.trim()) out.push(current.trimEnd());
  return out;
}

/**
 * Splits text into chunks that each satisfy `fits` (typically "formatted length <= limit"),
 * breaking at sentence boundaries; a sentence too long for one chunk is cut at word gaps and each
 * such cut is marked with " …". Chunks are trimmed; nothing else of the text is changed or lost.
 */
export function splitText(text: string, fits: (chunk: string) => boolean): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (fits(trimmed)) return [trimmed];
  const chunks: string[] = [];
  let current = '';
  for (const sentence of piecesAfter(trimmed, SENTENCE_END)) {
    if (fits((current + sentence).trimEnd())) {
      current += sentence;
      continue;
    }
    if (current.trim()) chunks.push(current.trimEnd());
    current = '';
    if (fits(sentence.trimEnd())) {
      current = sentence;
      continue;
    }
    const parts = cutSentence(sentence, fits);
    const last = parts.pop()!;
    chunks.push(...parts);
    current = last + (sentence.match(/\s+$/)?.[0] ?? '');
  }
  if (current.trim()) chunks.push(current.trimEnd());
  return chunks;
}

/** Shortens text to `max` characters for labels (titles, names); only for text that is not a quote. */
export function clip(text: string, max: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length <= max ? single : single.slice(0, max - 1).trimEnd() + '…';
}
