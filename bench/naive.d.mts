import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { VectorStore } from '@langchain/core/vectorstores';

export declare const NAIVE_K: number;
export declare function memoryVectorStore(): Promise<{ Store: new (e: EmbeddingsInterface) => VectorStore; impl: string }>;
export declare function naiveParagraphs(corpusDir: string): { text: string; source: string }[];
export declare function buildNaive(corpusDir: string, embeddings: EmbeddingsInterface): Promise<{ store: VectorStore; impl: string; chunks: number; ms: number }>;
export declare function naiveAnswer(store: VectorStore, question: string): Promise<string[]>;
