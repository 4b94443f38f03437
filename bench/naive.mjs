// The naive pipeline a user would otherwise build, for side-by-side figures: read every file,
// split it into paragraphs on blank lines, embed them with the same local embeddings, keep them in
// LangChain's MemoryVectorStore (brute force), answer with the top 3 paragraphs. No index on disk:
// every start embeds the whole corpus again.
//
// MemoryVectorStore lives in @langchain/classic in LangChain 1.x, a devDependency pinned to 1.0.34
// (later versions pull @langchain/openai 1.5+, which needs Node 22). When it is not installed
// (npm install --omit=dev), BENCH_MEMORY_VECTOR_STORE may point at its dist/vectorstores/memory.js;
// otherwise an equivalent scan stands in: the same cosine over plain arrays and a full sort of
// every score, as @langchain/classic 1.0.34 does.
//
//   node bench/naive.mjs --cold CORPUS_DIR DATA_DIR "QUESTION"   (needs dist/: npm run build)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const NAIVE_K = 3;

/** The MemoryVectorStore class and where it came from. */
export async function memoryVectorStore() {
  try {
    const m = await import('@langchain/classic/vectorstores/memory');
    return { Store: m.MemoryVectorStore, impl: '@langchain/classic MemoryVectorStore' };
  } catch {
    /* not installed */
  }
  if (process.env.BENCH_MEMORY_VECTOR_STORE) {
    const m = await import(pathToFileURL(path.resolve(process.env.BENCH_MEMORY_VECTOR_STORE)).href);
    return { Store: m.MemoryVectorStore, impl: `@langchain/classic MemoryVectorStore (${process.env.BENCH_MEMORY_VECTOR_STORE})` };
  }
  const { VectorStore } = await import('@langchain/core/vectorstores');
  const { Document } = await import('@langchain/core/documents');
  class BruteForceStore extends VectorStore {
    memoryVectors = [];
    _vectorstoreType() {
      return 'brute-force';
    }
    async addDocuments(documents) {
      return this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
    }
    async addVectors(vectors, documents) {
      this.memoryVectors = this.memoryVectors.concat(vectors.map((embedding, i) => ({ content: documents[i].pageContent, embedding, metadata: documents[i].metadata })));
    }
    async similaritySearchVectorWithScore(query, k) {
      return this.memoryVectors
        .map((v) => ({ similarity: cosine(query, v.embedding), v }))
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, k)
        .map(({ similarity, v }) => [new Document({ pageContent: v.content, metadata: v.metadata }), similarity]);
    }
  }
  return { Store: BruteForceStore, impl: 'brute-force cosine scan (equivalent of MemoryVectorStore; @langchain/classic not installed)' };
}

function cosine(a, b) {
  let p = 0;
  let p2 = 0;
  let q2 = 0;
  for (let i = 0; i < a.length; i++) {
    p += a[i] * b[i];
    p2 += a[i] * a[i];
    q2 += b[i] * b[i];
  }
  return p / (Math.sqrt(p2) * Math.sqrt(q2));
}

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (/\.(md|txt)$/i.test(e.name) && e.name !== 'aliases.txt') out.push(p);
  }
  return out.sort();
}

/** Paragraphs of every file: blank-line separated blocks, front matter and headings dropped. */
export function naiveParagraphs(corpusDir) {
  const out = [];
  for (const file of files(corpusDir)) {
    const text = readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    for (const block of text.split(/\n\s*\n/)) {
      const p = block.trim();
      if (p && !p.startsWith('#')) out.push({ text: p, source: path.relative(corpusDir, file) });
    }
  }
  return out;
}

/** Builds the naive store over a corpus; `ms` covers reading, splitting, embedding and adding. */
export async function buildNaive(corpusDir, embeddings) {
  const { Store, impl } = await memoryVectorStore();
  const { Document } = await import('@langchain/core/documents');
  const t0 = performance.now();
  const paragraphs = naiveParagraphs(corpusDir);
  const store = new Store(embeddings);
  await store.addDocuments(paragraphs.map((p) => new Document({ pageContent: p.text, metadata: { source: p.source } })));
  return { store, impl, chunks: paragraphs.length, ms: performance.now() - t0 };
}

/** The naive answer: the top paragraphs for the question. */
export async function naiveAnswer(store, question) {
  return (await store.similaritySearch(question, NAIVE_K)).map((d) => d.pageContent);
}

// Cold start: a fresh process from nothing to the first answer, as the naive pipeline must do it.
if (process.argv[2] === '--cold' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [corpusDir, dataDir, question] = process.argv.slice(3);
  const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
  if (!statSync(path.join(root, 'dist', 'src', 'index', 'embedder-local.js'), { throwIfNoEntry: false })) throw new Error('naive --cold needs dist/ (npm run build)');
  const { LocalWordVectorEmbeddings } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'index', 'embedder-local.js')).href);
  const embeddings = LocalWordVectorEmbeddings.load(dataDir);
  const { store } = await buildNaive(corpusDir, embeddings);
  const top = await naiveAnswer(store, question);
  process.stdout.write(`${JSON.stringify({ top })}\n`);
}
