// Section headings that a question restates. A heading sums up its section ("What the Inspectors
// Could See", "The Ordnance Dispute"), and the section's opening sentences are usually its answer,
// though they may share no word with a question that paraphrases the heading ("What did the
// inspectors see?" / "Above ground, the damage was extensive..."). So the opening of a section
// whose heading the question restates is retrieved, and scored as its heading would be.
import type { Chunk } from '../index/chunk.js';
import { terms } from '../text/tokens.js';
import type { Query } from './query.js';

/** A heading must share at least this many distinct content words with the question to count. */
export const HEADING_MIN_SHARED = 2;

interface Section {
  title: string;
  stems: Set<string>;
  /** Index of the section's first chunk in the corpus chunk list. */
  lead: number;
  chunk: Chunk;
}

export class SectionHeadings {
  /** Heading stem -> the sections whose heading has it. */
  private readonly byStem = new Map<string, Section[]>();
  private readonly byQuery = new WeakMap<Query, { index: number; chunk: Chunk }[]>();

  constructor(chunks: readonly Chunk[]) {
    const seen = new Set<string>();
    chunks.forEach((c, i) => {
      const key = `${c.document}\0${c.sectionIndex}`;
      if (seen.has(key)) return;
      seen.add(key);
      const stems = new Set(terms(c.section));
      // A one-word heading ("Background") restates nothing a question asks.
      if (stems.size < HEADING_MIN_SHARED) return;
      const section = { title: c.section, stems, lead: i, chunk: c };
      for (const s of stems) {
        const list = this.byStem.get(s);
        if (list) list.push(section);
        else this.byStem.set(s, [section]);
      }
    });
  }

  /**
   * The first chunks of sections whose heading shares at least two content words with the
   * question (its own words, or what its words stand for), and at least half the heading's, most
   * shared first, with their index in the corpus chunk list.
   */
  restated(q: Query): { index: number; chunk: Chunk }[] {
    // Asked by retrieval and again by every rerank of the same question: worked out once.
    let found = this.byQuery.get(q);
    if (!found) this.byQuery.set(q, (found = this.match(q)));
    return found;
  }

  private match(q: Query): { index: number; chunk: Chunk }[] {
    const asked = new Set(q.stems);
    for (const eq of q.equivalents.values()) for (const s of eq.keys()) asked.add(s);
    const shared = new Map<Section, number>();
    for (const s of asked) for (const section of this.byStem.get(s) ?? []) shared.set(section, (shared.get(section) ?? 0) + 1);
    return [...shared]
      .filter(([section, n]) => n >= HEADING_MIN_SHARED && n >= section.stems.size / 2)
      .sort((a, b) => b[1] / b[0].stems.size - a[1] / a[0].stems.size || a[0].lead - b[0].lead)
      .map(([section]) => ({ index: section.lead, chunk: section.chunk }));
  }
}
