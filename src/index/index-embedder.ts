// What the corpus index embeds its chunks with. Any LangChain `Embeddings` will do; the local word
// vectors get a short cut, since ingest has already tokenised every sentence they would embed.
import type { Embeddings } from '@langchain/core/embeddings';
import type { SentenceTokens } from '../text/tokens.js';
import { LocalWordVectorEmbeddings } from './embedder-local.js';

export interface IndexEmbedder {
  embeddings: Embeddings;
  /** Stable identity of the embedding function (model and recipe): part of every cache key. */
  id: string;
  dims: number;
}

/** Chunk vectors: the local embedder reuses the sentence tokens; any other embedder gets the texts. */
export async function embedChunks(embeddings: Embeddings, chunks: readonly { text: string }[], tokens: SentenceTokens[][]): Promise<number[][]> {
  if (chunks.length === 0) return [];
  if (embeddings instanceof LocalWordVectorEmbeddings) return tokens.map((t) => Array.from(embeddings.embedSentences(t)));
  return embeddings.embedDocuments(chunks.map((c) => c.text));
}
