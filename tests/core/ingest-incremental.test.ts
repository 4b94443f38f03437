// Re-ingest after one file changed parses only that file: every other document comes back from its
// cache entry (keyed by id and content hash), and the index answers from the new text.
import { appendFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CorpusIndex } from '../../src/index/corpus-index.js';
import { LocalWordVectorEmbeddings } from '../../src/index/embedder-local.js';
import { copyCorpus, markdownDoc, tempDir } from './helpers.js';

describe('re-ingest parses what changed', () => {
  const corpusDir = copyCorpus();
  for (let f = 0; f < 5; f++) writeFileSync(path.join(corpusDir, `port-${f}.md`), markdownDoc(`Port ${f}`, `## Ports\n\nThe port town ${f} shipped grain and timber. Its ferry left at dawn.`));
  const dataDir = tempDir('incremental');
  const local = LocalWordVectorEmbeddings.load(dataDir);
  const open = (rebuild = false) => CorpusIndex.open({ corpusDir, dataDir, embedder: { embeddings: local, id: local.id, dims: local.dimensions }, rebuild });

  test('a first ingest parses every file; a second none', async () => {
    expect((await open()).stats).toMatchObject({ documents: 6, parsed: 6, embedded: 6 });
    expect((await open()).stats).toMatchObject({ documents: 6, parsed: 0, embedded: 0, cached: true });
  });

  test('one changed file: only it is parsed, and its new text is indexed', async () => {
    appendFileSync(path.join(corpusDir, 'port-2.md'), '\nA lighthouse keeper counted forty-two herring boats.\n');
    const index = await open();
    expect(index.stats).toMatchObject({ documents: 6, parsed: 1, embedded: 1, graph: 'updated', graphAdded: 2 });
    const hits = index.bm25.search(new Map([['herring', 1]]), 3);
    expect(hits.map((h) => index.chunks[h.index].text)).toEqual(['A lighthouse keeper counted forty-two herring boats.']);
    expect((await open()).stats).toMatchObject({ parsed: 0, cached: true });
  });

  test('a touched but unchanged file is not parsed again', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(corpusDir, 'port-4.md'), later, later);
    expect((await open()).stats).toMatchObject({ parsed: 0, cached: true });
  });

  test('a rebuild parses everything again', async () => {
    expect((await open(true)).stats).toMatchObject({ parsed: 6, embedded: 6, graph: 'built' });
  });
});
