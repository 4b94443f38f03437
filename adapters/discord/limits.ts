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

// Where text may break: after a sentence's end (punctuation, closing quotes or brackets, whitespace)
// or after a gap between words. The whitespace stays before the break, so the pieces join to the text.
const SENTENCE_BREAK = /(?<=[.!?…]+["'”’)\]]*\s+)(?=\S)/;
const WORD_BREAK = /(?<=\s)(?=\S)/;
/** Marks a cut inside a sentence, so a reader knows the text goes on. */
export const CUT_MARK = ' …';

/** Packs `pieces` greedily into chunks that `fit`, a continued one ending in `mark`; `cut` splits a piece too big. */
function pack(pieces: string[], fits: (chunk: string) => boolean, mark: string, cut: (piece: string) => string[]): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (fits((current + piece).trimEnd() + mark)) {
      current += piece;
      continue;
    }
    if (current.trim()) chunks.push(current.trimEnd() + mark);
    const parts = cut(piece);
    current = parts.pop()!;
    chunks.push(...parts);
  }
  if (current.trim()) chunks.push(current.trimEnd());
  return chunks;
}

/** A single "word" longer than the limit (a URL, a table row): cut by characters, each cut marked. */
function cutWord(word: string, fits: (chunk: string) => boolean): string[] {
  const out: string[] = [];
  let rest = word;
  while (!fits(rest.trimEnd() + CUT_MARK)) {
    let n = rest.length - 1;
    while (n > 1 && !fits(rest.slice(0, n) + CUT_MARK)) n = Math.max(1, Math.floor(n * 0.9));
    out.push(rest.slice(0, n) + CUT_MARK);
    rest = rest.slice(n);
  }
  return [...out, rest];
}

/** Trimmed chunks that each `fit`, broken at sentences, else at word gaps marked " …"; nothing else is lost. */
export function splitText(text: string, fits: (chunk: string) => boolean): string[] {
  const cutSentence = (sentence: string): string[] => {
    if (fits(sentence.trimEnd())) return [sentence];
    const parts = pack(sentence.split(WORD_BREAK), fits, CUT_MARK, (word) => cutWord(word, fits));
    // The sentence's own end is not a cut: its last piece is unmarked, and the next sentence may join it.
    return [...parts.slice(0, -1), parts[parts.length - 1] + (sentence.match(/\s+$/)?.[0] ?? '')];
  };
  const trimmed = text.trim();
  return trimmed ? pack(trimmed.split(SENTENCE_BREAK), fits, '', cutSentence) : [];
}

/** Shortens text to `max` characters for labels (titles, names); only for text that is not a quote. */
export function clip(text: string, max: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length <= max ? single : single.slice(0, max - 1).trimEnd() + '…';
}
