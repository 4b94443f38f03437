// Ingest threads (src/index/ingest-pool.ts) parse, tokenise and embed documents with the same
// function as the main thread: a build that spreads the corpus over threads must be the very same
// index as a build on one thread: the same documents, chunks, offsets and order, the same tokens,
// BM25 terms, vectors and cache files, the same warnings in the same order.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CorpusIndex } from '../../src/index/corpus-index.js';
import { LocalWordVectorEmbeddings } from '../../src/index/embedder-local.js';
import { copyCorpus, markdownDoc, tempDir } from './helpers.js';

const TOPICS = ['harbour logistics', 'grain tonnage', 'ferry timetables', 'uranium stockpiles', 'sanctions relief', 'drone strikes'];

function corpus(): string {
  const dir = copyCorpus();
  for (let f = 0; f < 30; f++) {
    const paras = Array.from({ length: 3 + (f % 5) }, (_, i) => `Paragraph ${i} of file ${f} is about ${TOPICS[(f + i) % TOPICS.length]}. The U.S. envoy met Iran’s F.M. on Feb. ${i + 1}; the US-Israeli talks went on. Officials said ${'more '.repeat(f % 7)}details would follow.`);
    if (f % 4 === 0) writeFileSync(path.join(dir, `note-${f}.txt`), `Note ${f}\n\n${paras.join('\n\n')}\n`);
    else writeFileSync(path.join(dir, `analysis-${String(f).padStart(2, '0')}.md`), markdownDoc(`Analysis ${f}`, `## Part one\n\n${paras.join('\n\n')}\n\n## Part two\n\nO\u200Bman hosted a long paragraph ${'with many words in it that go on and on. '.repeat(40)}`));
  }
  // Unusable files: their warnings come in file order whoever parsed them.
  writeFileSync(path.join(dir, 'broken.md'), '---\ntitle: never closed\n\nBody.\n');
  writeFileSync(path.join(dir, 'empty-body.md'), '---\ntitle: "Nothing"\n---\n\n## Heading only\n');
  return dir;
}

async function build(corpusDir: string, threads: number) {
  const dataDir = tempDir(`threads-${threads}`);
  const local = LocalWordVectorEmbeddings.load(dataDir);
  const index = await CorpusIndex.open({ corpusDir, dataDir, embedder: { embeddings: local, id: local.id, dims: local.dimensions }, threads });
  return { index, dataDir, local };
}

function plainChunks(index: CorpusIndex) {
  return index.chunks.map((c) => ({ id: c.id, document: c.document, section: c.section, sectionIndex: c.sectionIndex, start: c.start, end: c.end, text: c.text, sentences: c.sentences, tokens: c.sentenceTokens }));
}

function cacheFiles(dataDir: string): Map<string, Buffer> {
  const root = path.join(dataDir, 'cache', 'documents');
  const out = new Map<string, Buffer>();
  // The manifest records when each file was listed (file-manifest.ts): not a document's cache.
  for (const e of readdirSync(root)) for (const f of readdirSync(path.join(root, e))) if (f !== 'manifest.json') out.set(`${e}/${f}`, readFileSync(path.join(root, e, f)));
  return out;
}

describe('ingest threads build the same index as one thread', () => {
  const dir = corpus();

  test.each([1, 2])('%i thread(s) besides the main one', async (threads) => {
    const one = await build(dir, 0);
    const many = await build(dir, threads);
    expect(one.index.stats).toMatchObject({ parsed: 33, parsedInThreads: 0, embedded: 31 });
    expect(many.index.stats).toMatchObject({ parsed: 33, embedded: 31 });
    // The threads took part (each claims its first batch before the main thread starts).
    expect(many.index.stats.parsedInThreads).toBeGreaterThan(0);
    expect(many.index.documents).toEqual(one.index.documents);
    expect(many.index.warnings).toEqual(one.index.warnings);
    expect(one.index.warnings.map((w) => w.file)).toEqual(['broken.md', 'empty-body.md']);
    expect(plainChunks(many.index)).toEqual(plainChunks(one.index));
    expect(many.index.bm25.toSnapshot()).toEqual(one.index.bm25.toSnapshot());
    // Every cache file (entry, tokens, terms, vectors) byte for byte.
    const [a, b] = [cacheFiles(one.dataDir), cacheFiles(many.dataDir)];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
    for (const q of ['Who hosted the talks in Oman?', 'grain tonnage at the harbour', 'drone strikes']) {
      const v = await one.local.embedQuery(q);
      expect(many.index.vectorSearch(v, 10)).toEqual(one.index.vectorSearch(v, 10));
    }
  });
});
