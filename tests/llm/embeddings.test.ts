// The OpenAI embeddings factory, with the real OpenAIEmbeddings client against the fake server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { OpenAI } from 'openai';
import { createOpenAIEmbeddings, createOpenAIIndexEmbedder, openAIEmbedderKey } from '../../src/index/embedder-openai.js';
import { HnswGraph } from '../../src/index/hnsw-graph.js';
import { bagOfWordsVector, startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';
import { muscatDocument, paragraphPassages } from './fixtures.js';
import { API_KEY } from './helpers.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI({ dimensions: 32 });
});
afterEach(async () => {
  await fake.close();
});

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('createOpenAIEmbeddings', () => {
  it('embeds corpus passages and a query through /v1/embeddings', async () => {
    const passages = paragraphPassages(muscatDocument()).map((p) => p.text);
    const embeddings = createOpenAIEmbeddings({ apiKey: API_KEY, baseURL: fake.baseURL, embeddingModel: 'text-embedding-3-small', timeoutMs: 5000, batchSize: 8 });

    const vectors = await embeddings.embedDocuments(passages);
    expect(vectors).toHaveLength(passages.length);
    for (const [i, v] of vectors.entries()) {
      expect(Array.isArray(v)).toBe(true);
      expect(v).toEqual(bagOfWordsVector(passages[i]!, 32));
    }
    const query = await embeddings.embedQuery('Who led the American delegation in Muscat?');
    expect(query).toHaveLength(32);

    // The vectors carry meaning: the delegation paragraph is the nearest to the question.
    const best = vectors.map((v, i) => [cosine(v, query), i] as const).sort((a, b) => b[0] - a[0])[0]![1];
    expect(passages[best]).toContain('American delegation');

    const reqs = fake.embeddingRequests();
    expect(reqs).toHaveLength(Math.ceil(passages.length / 8) + 1);
    for (const r of reqs) {
      expect(r.model).toBe('text-embedding-3-small');
      expect(r.encoding_format).toBe('float');
    }
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
  });

  it('fails loudly (no silent garbage) when the server errors', async () => {
    await fake.close();
    fake = await startFakeOpenAI({ embeddingsStatus: 500 });
    const embeddings = createOpenAIEmbeddings({ apiKey: API_KEY, baseURL: fake.baseURL, embeddingModel: 'm', timeoutMs: 5000, maxRetries: 0 });
    await expect(embeddings.embedQuery('x')).rejects.toThrow(/500/);
  });

  it('needs an embedding model', () => {
    expect(() => createOpenAIEmbeddings({ apiKey: API_KEY, timeoutMs: 1000 })).toThrow(ConfigError);
  });
});

describe('the fake server', () => {
  it('answers base64 requests as the openai client decodes them', async () => {
    const client = new OpenAI({ apiKey: API_KEY, baseURL: fake.baseURL, maxRetries: 0 });
    const res = await client.embeddings.create({ model: 'm', input: ['nuclear talks in Oman'] });
    expect(fake.embeddingRequests()[0]!.encoding_format).toBe('base64');
    const expected = bagOfWordsVector('nuclear talks in Oman', 32);
    res.data[0]!.embedding.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 6));
  });
});

describe('openAIEmbedderKey', () => {
  it('changes with the model and the server, and is safe in a file name', () => {
    const a = openAIEmbedderKey({ embeddingModel: 'text-embedding-3-small' });
    const b = openAIEmbedderKey({ embeddingModel: 'text-embedding-3-large' });
    const c = openAIEmbedderKey({ embeddingModel: 'text-embedding-3-small', baseURL: 'http://127.0.0.1:11434/v1/' });
    expect(new Set([a, b, c]).size).toBe(3);
    expect(c).toBe(openAIEmbedderKey({ embeddingModel: 'text-embedding-3-small', baseURL: 'http://127.0.0.1:11434/v1' }));
    for (const k of [a, b, c]) expect(k).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});

describe('createOpenAIIndexEmbedder + the HNSW graph', () => {
  it('measures the vector length, then builds and queries the index through the fake', async () => {
    const embedder = await createOpenAIIndexEmbedder({ apiKey: API_KEY, baseURL: fake.baseURL, embeddingModel: 'nomic-embed-text', timeoutMs: 5000 });
    expect(embedder.dims).toBe(32);
    expect(embedder.id).toBe(openAIEmbedderKey({ embeddingModel: 'nomic-embed-text', baseURL: fake.baseURL }));

    const passages = paragraphPassages(muscatDocument());
    const graph = HnswGraph.create(embedder.dims, passages.length);
    (await embedder.embeddings.embedDocuments(passages.map((p) => p.text))).forEach((v, i) => graph.add(v, i));
    const [top] = graph.search(await embedder.embeddings.embedQuery('Who led the American delegation in Muscat?'), 1);
    expect(passages[top!.label]!.text).toContain('American delegation');
    expect(fake.embeddingRequests().length).toBeGreaterThanOrEqual(3); // probe, documents, query
  });

  it('refuses a server that returns no vector', async () => {
    await fake.close();
    fake = await startFakeOpenAI({ embed: () => [] });
    await expect(createOpenAIIndexEmbedder({ apiKey: API_KEY, baseURL: fake.baseURL, embeddingModel: 'm', timeoutMs: 5000 })).rejects.toThrow(/no usable vector/);
  });
});
