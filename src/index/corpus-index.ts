// The corpus on disk -> documents, chunks, a lexical and a vector index, cached under DATA_DIR.
//
// Two cache levels keep start-up and re-ingest proportional to what changed:
//  - per document (keyed by its sha256 and the embedder): parsed sections, chunks, chunk stems and
//    vectors. A changed file is re-parsed and re-embedded; the others are read back.
//  - per corpus (keyed by every document's hash and the embedder): the saved HNSW graph. Any change
//    to the set of files gives a new key, so a stale index is never used.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Document as LcDocument } from '@langchain/core/documents';
import type { Embeddings } from '@langchain/core/embeddings';
import { CorpusError, listCorpusFiles, readDocumentText, type CorpusWarning } from '../corpus/load.js';
import { FrontMatterError } from '../corpus/frontmatter.js';
import { parseDocument } from '../corpus/parse.js';
import { terms } from '../text/tokens.js';
import { sentenceTokens } from '../answer/scorer.js';
import type { Document } from '../types.js';
import { Bm25Index } from './bm25.js';
import { chunkDocument, type Chunk } from './chunk.js';
import { HnswVectorStore } from './hnsw-store.js';

export interface IndexEmbedder {
  embeddings: Embeddings;
  /** Stable identity of the embedding function (model and recipe): part of every cache key. */
  id: string;
  dims: number;
}

interface DocCacheEntry {
  version: number;
  doc: Omit<Document, 'text'>;
  chunks: (Omit<Chunk, 'text' | 'id'> & { stems: string[] })[];
  vectors: number[][];
}

const DOC_CACHE_VERSION = 3;
const INDEX_VERSION = 1;

export interface BuildStats {
  documents: number;
  chunks: number;
  /** Documents parsed and embedded in this run (the rest came from the cache). */
  embedded: number;
  ms: number;
  cached: boolean;
}

export class CorpusIndex {
  readonly byId = new Map<string, Document>();

  private constructor(
    readonly documents: Document[],
    readonly chunks: Chunk[],
    readonly chunkStems: string[][],
    readonly bm25: Bm25Index,
    readonly store: HnswVectorStore,
    readonly warnings: CorpusWarning[],
    readonly stats: BuildStats,
  ) {
    for (const d of documents) this.byId.set(d.id, d);
  }

  static async open(opts: { corpusDir: string; dataDir: string; embedder: IndexEmbedder; rebuild?: boolean }): Promise<CorpusIndex> {
    const t0 = performance.now();
    const { corpusDir, dataDir, embedder } = opts;
    const safeId = embedder.id.replace(/[^\w.-]+/g, '_');
    const docCacheDir = path.join(dataDir, 'cache', 'documents', safeId);
    mkdirSync(docCacheDir, { recursive: true });

    const warnings: CorpusWarning[] = [];
    const documents: Document[] = [];
    const entries: DocCacheEntry[] = [];
    let embedded = 0;

    for (const file of listCorpusFiles(corpusDir)) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file.file);
      } catch (e) {
        warnings.push({ file: file.id, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
        continue;
      }
      const decoded = readDocumentText(bytes);
      if ('reason' in decoded) {
        warnings.push({ file: file.id, reason: decoded.reason });
        continue;
      }
      const hash = createHash('sha256').update(bytes).digest('hex');
      // The id is part of the key: the same bytes under another name are another document.
      const cacheFile = path.join(docCacheDir, `${createHash('sha256').update(`${file.id}\0${hash}`).digest('hex').slice(0, 32)}.json`);
      let entry = opts.rebuild ? undefined : readJson<DocCacheEntry>(cacheFile);
      if (!entry || entry.version !== DOC_CACHE_VERSION) {
        let doc: Document;
        try {
          doc = parseDocument(file.id, decoded.text, bytes);
        } catch (e) {
          if (e instanceof FrontMatterError) {
            warnings.push({ file: file.id, reason: `broken front matter: ${e.message}` });
            continue;
          }
          throw e;
        }
        if (doc.sections.length === 0) {
          warnings.push({ file: file.id, reason: 'the file has no paragraphs of text' });
          continue;
        }
        const chunks = chunkDocument(doc);
        const vectors = chunks.length ? await embedder.embeddings.embedDocuments(chunks.map((c) => c.text)) : [];
        const { text: _text, ...rest } = doc;
        entry = {
          version: DOC_CACHE_VERSION,
          doc: rest,
          // A chunk's lexical terms include its section heading: a question naming the topic finds it.
          chunks: chunks.map(({ text: _t, id: _i, ...c }) => ({
            ...c,
            stems: [...terms(_t), ...terms(c.section)],
            sentenceTokens: c.sentences.map((sp) => sentenceTokens(doc.text.slice(sp.start, sp.end))),
          })),
          vectors: vectors.map((v) => v.map((x) => Math.round(x * 1e6) / 1e6)),
        };
        writeJsonAtomic(cacheFile, entry);
        embedded++;
      }
      documents.push({ ...entry.doc, text: decoded.text });
      entries.push(entry);
    }
    if (documents.length === 0) {
      const why = warnings.length ? ` (${warnings.map((w) => `${w.file}: ${w.reason}`).join('; ')})` : '';
      throw new CorpusError(`no usable documents in ${corpusDir}: add .md or .txt analyses${why}`);
    }

    const chunks: Chunk[] = [];
    const chunkStems: string[][] = [];
    const bm25 = new Bm25Index();
    entries.forEach((entry, d) => {
      const doc = documents[d];
      for (const c of entry.chunks) {
        const { stems, ...rest } = c;
        chunks.push({ ...rest, id: `${doc.id}#${chunks.length}`, text: doc.text.slice(c.start, c.end) });
        chunkStems.push(stems);
        bm25.add(stems);
      }
    });

    const key = createHash('sha256')
      .update(JSON.stringify([INDEX_VERSION, embedder.id, documents.map((d) => [d.id, d.hash])]))
      .digest('hex')
      .slice(0, 24);
    const indexRoot = path.join(dataDir, 'cache', 'index');
    const indexDir = path.join(indexRoot, key);
    let store: HnswVectorStore | undefined;
    let cached = false;
    if (!opts.rebuild && existsSync(path.join(indexDir, 'docstore.json'))) {
      try {
        store = await HnswVectorStore.load(indexDir, embedder.embeddings);
        cached = store.size === chunks.length;
        if (!cached) store = undefined;
      } catch {
        store = undefined; // a damaged cache is rebuilt, never trusted
      }
    }
    if (!store) {
      store = new HnswVectorStore(embedder.embeddings, { dims: embedder.dims });
      const vectors = entries.flatMap((e) => e.vectors);
      await store.addVectors(
        vectors,
        chunks.map((c, i) => new LcDocument({ pageContent: '', metadata: { chunk: i, document: c.document, section: c.section } })),
      );
      const tmp = `${indexDir}.${process.pid}.tmp`;
      rmSync(tmp, { recursive: true, force: true });
      await store.save(tmp);
      rmSync(indexDir, { recursive: true, force: true });
      renameSync(tmp, indexDir);
      // Older corpus states are of no further use; keep the cache folder from growing forever.
      for (const old of readdirSync(indexRoot)) if (old !== key && !old.endsWith('.tmp')) rmSync(path.join(indexRoot, old), { recursive: true, force: true });
    }

    return new CorpusIndex(documents, chunks, chunkStems, bm25, store, warnings, {
      documents: documents.length,
      chunks: chunks.length,
      embedded,
      ms: performance.now() - t0,
      cached,
    });
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}
