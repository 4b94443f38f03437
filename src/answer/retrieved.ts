// A passage as the answer path carries it: retrieved (fused score, its document's share) and then
// reranked (each sentence's score).
import type { Chunk } from '../index/chunk.js';
import type { Span } from '../types.js';

export interface Candidate {
  chunk: Chunk;
  /** Fused retrieval score (RRF). */
  fused: number;
  /** The chunk's document's share of the fused scores of everything retrieved, relative to the top document (0..1). */
  docShare: number;
}

export interface Retrieved extends Candidate {
  /** Best sentence score in the chunk. */
  best: number;
  sentences: { span: Span; score: number }[];
}
