// Where an answer may come from and how the documents' dates weigh: a named outlet's documents
// only, only those published since a date, and how recent each document is among the rest.
import type { Chunk } from '../index/chunk.js';
import type { Document } from '../types.js';
import type { Query } from './query.js';
import type { TimeScope } from './time.js';

/** A named outlet's documents (named-sources.ts) and the question's time (time.ts). */
export interface AnswerScope {
  documents?: ReadonlySet<string>;
  time?: TimeScope;
}

/** The chunks a question's scope allows, or undefined for all of them. */
export function scopeFilter(q: Query, byId: ReadonlyMap<string, Document>): ((c: Chunk) => boolean) | undefined {
  const docs = q.documents;
  const after = q.time?.after;
  if (!docs && !after) return undefined;
  return (c) => (!docs || docs.has(c.document)) && (!after || (byId.get(c.document)?.published ?? '') >= after);
}

/** The documents' publication dates, as a place between the oldest and the newest. */
export class DocumentDates {
  private readonly times = new Map<string, number>();
  private readonly lo: number;
  private readonly hi: number;

  constructor(documents: readonly Document[]) {
    for (const d of documents) {
      const t = Date.parse(d.published);
      if (!Number.isNaN(t)) this.times.set(d.id, t);
    }
    const all = [...this.times.values()];
    this.lo = all.length ? Math.min(...all) : 0;
    this.hi = all.length ? Math.max(...all) : 0;
  }

  /** 0 for the oldest dated document, 1 for the newest; 0 for an undated one. */
  recency(document: string): number {
    const t = this.times.get(document);
    return t === undefined || this.hi <= this.lo ? 0 : (t - this.lo) / (this.hi - this.lo);
  }

  dated(document: string): boolean {
    return this.times.has(document);
  }
}
