// OpenAI (or any OpenAI-compatible server's) embeddings as a LangChain `Embeddings`, built from the
// config, for the vector store to use in place of the local word vectors when
// OPENAI_EMBEDDING_MODEL is set.
import { OpenAIEmbeddings } from '@langchain/openai';
import { ConfigError, type OpenAIConfig } from '../config.js';
import type { IndexEmbedder } from './index-embedder.js';

export interface OpenAIEmbedderConfig extends Pick<OpenAIConfig, 'apiKey' | 'baseURL' | 'embeddingModel' | 'timeoutMs'> {
  /** Retries of a failed request (5xx, time-out, 429 with a short Retry-After). Default 2: an index
   *  build is not interactive, and a lost batch fails the whole build. */
  maxRetries?: number;
  /** Texts per request. Default 128: small enough for local servers' request limits. */
  batchSize?: number;
}

/** Builds the embeddings client. `cfg.embeddingModel` must be set (the caller checks
 *  OPENAI_EMBEDDING_MODEL before switching the index to OpenAI embeddings). */
export function createOpenAIEmbeddings(cfg: OpenAIEmbedderConfig): OpenAIEmbeddings {
  if (!cfg.embeddingModel) throw new ConfigError('OPENAI_EMBEDDING_MODEL is not set, so there is no OpenAI embedding model to use');
  return new OpenAIEmbeddings({
    apiKey: cfg.apiKey,
    model: cfg.embeddingModel,
    configuration: cfg.baseURL ? { baseURL: cfg.baseURL } : undefined,
    // Per request; OpenAIEmbeddings builds its openai client with `maxRetries: 0` and retries in
    // LangChain's AsyncCaller instead (@langchain/openai dist/embeddings.js, embeddingWithRetry).
    timeout: cfg.timeoutMs,
    maxRetries: cfg.maxRetries ?? 2,
    batchSize: cfg.batchSize ?? 128,
    // Without an explicit format the openai client asks for base64 and decodes whatever comes back
    // as base64 (openai resources/embeddings.js); a compatible server that ignores the parameter and
    // sends float arrays would then yield garbage vectors silently. "float" works everywhere.
    encodingFormat: 'float',
  });
}

/** A stable name for the index cache: switching model, dimensions or server rebuilds the index.
 *  Only [A-Za-z0-9._-], so it can be part of a file name. */
export function openAIEmbedderKey(cfg: Pick<OpenAIEmbedderConfig, 'baseURL' | 'embeddingModel'>): string {
  let server = 'api.openai.com';
  if (cfg.baseURL) {
    try {
      const u = new URL(cfg.baseURL);
      server = `${u.host}${u.pathname.replace(/\/+$/, '')}`;
    } catch {
      server = cfg.baseURL;
    }
  }
  return `openai-${cfg.embeddingModel ?? 'none'}@${server}`.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The embedder as the corpus index takes it. The vector length is not in the config and differs by
 *  model and server (1536 for text-embedding-3-small, 768 for nomic-embed-text...), so one short
 *  request measures it; that request also fails fast on a wrong URL, key or model name. */
export async function createOpenAIIndexEmbedder(cfg: OpenAIEmbedderConfig): Promise<IndexEmbedder> {
  const embeddings = createOpenAIEmbeddings(cfg);
  const probe = await embeddings.embedQuery('dimension probe');
  if (!Array.isArray(probe) || probe.length === 0 || !probe.every(Number.isFinite)) {
    throw new Error(`the embeddings server at ${cfg.baseURL ?? 'api.openai.com'} returned no usable vector for model ${cfg.embeddingModel}`);
  }
  return { embeddings, id: openAIEmbedderKey(cfg), dims: probe.length };
}
