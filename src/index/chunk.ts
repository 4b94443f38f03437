// Paragraph-aware chunking: a chunk is a paragraph, or a run of whole sentences of a long one. A
// chunk never cuts a sentence and never crosses a section, so every chunk has one section to cite.
import type { SentenceTokens } from '../text/tokens.js';
import type { Document, Passage, Span } from '../types.js';

/** Paragraphs longer than this are split into runs of sentences of about equal length. */
export const MAX_CHUNK_CHARS = 1200;

export interface Chunk extends Passage {
  sentences: Span[];
  /** Tokens of each sentence (filled from the index cache), so answering needs no re-tokenising. */
  sentenceTokens?: SentenceTokens[];
}

export function chunkDocument(doc: Document): Chunk[] {
  const chunks: Chunk[] = [];
  for (const section of doc.sections) {
    for (const para of section.paragraphs) {
      const sentences = para.sentences.length ? para.sentences : [{ start: para.start, end: para.end }];
      for (const run of splitRuns(sentences)) {
        const start = run[0].start;
        const end = run[run.length - 1].end;
        chunks.push({
          id: `${doc.id}#${chunks.length}`,
          document: doc.id,
          section: section.title,
          sectionIndex: section.index,
          start,
          end,
          text: doc.text.slice(start, end),
          sentences: run,
        });
      }
    }
  }
  return chunks;
}

function splitRuns(sentences: Span[]): Span[][] {
  const total = sentences[sentences.length - 1].end - sentences[0].start;
  if (total <= MAX_CHUNK_CHARS) return [sentences];
  // Aim for equal runs, and never let one grow past the maximum (a single sentence longer than
  // the maximum stays whole: a chunk never cuts a sentence).
  const target = total / Math.ceil(total / MAX_CHUNK_CHARS);
  const runs: Span[][] = [];
  let run: Span[] = [];
  for (const s of sentences) {
    const len = run.length ? s.end - run[0].start : 0;
    if (run.length && (len > MAX_CHUNK_CHARS || run[run.length - 1].end - run[0].start >= target)) {
      runs.push(run);
      run = [];
    }
    run.push(s);
  }
  if (run.length) runs.push(run);
  return runs;
}
