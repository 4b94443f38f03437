// Re-ingest after one file changed reads and parses only that file: every other document comes back
// from its cache entry (keyed by id and content hash, found without reading a file whose size and
// modification time did not change), and the index answers from the new text.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CorpusIndex } from '../../src/index/corpus-index.js';
import { LocalWordVectorEmbeddings } from '../../src/index/embedder-local.js';
import { racyMs } from '../../src/index/file-manifest.js';
import { docCacheFile } from '../../src/index/ingest-document.js';
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

describe('re-ingest reads what changed (file size and modification time, file-manifest.ts)', () => {
  const corpusDir = copyCorpus();
  const names = ['2026-02-09-muscat-talks.md', ...Array.from({ length: 5 }, (_, f) => `port-${f}.md`)];
  for (let f = 0; f < 5; f++) writeFileSync(path.join(corpusDir, names[f + 1]), markdownDoc(`Port ${f}`, `## Ports\n\nThe port town ${f} shipped grain and timber. Its ferry left at dawn.`));
  // Files last written an hour ago: a file changed just before it is listed is read again at the
  // next open (a second change within the clock's tick would keep its size and time).
  const anHourAgo = (name: string) => {
    const t = new Date(Date.now() - 3_600_000);
    utimesSync(path.join(corpusDir, name), t, t);
  };
  names.forEach(anHourAgo);
  const dataDir = tempDir('manifest');
  const local = LocalWordVectorEmbeddings.load(dataDir);
  const open = (rebuild = false) => CorpusIndex.open({ corpusDir, dataDir, embedder: { embeddings: local, id: local.id, dims: local.dimensions }, rebuild });

  test('a first ingest reads every file; a second reads none, from its cache', async () => {
    expect((await open()).stats).toMatchObject({ documents: 6, read: 6, parsed: 6 });
    const again = await open();
    expect(again.stats).toMatchObject({ documents: 6, read: 0, parsed: 0, cached: true });
    // The text comes back from the cache, exactly as the file holds it.
    const doc = again.byId.get('port-3.md')!;
    expect(doc.text).toBe(readFileSync(path.join(corpusDir, 'port-3.md'), 'utf8'));
    expect(again.chunks.filter((c) => c.document === 'port-3.md').map((c) => c.text)).toEqual(['The port town 3 shipped grain and timber. Its ferry left at dawn.']);
  });

  test('after one file changed, only that file is read (and parsed)', async () => {
    appendFileSync(path.join(corpusDir, 'port-2.md'), '\nA lighthouse keeper counted forty-two herring boats.\n');
    anHourAgo('port-2.md');
    const index = await open();
    expect(index.stats).toMatchObject({ documents: 6, read: 1, parsed: 1, embedded: 1, graph: 'updated' });
    expect(index.byId.get('port-2.md')!.text).toContain('herring');
    expect((await open()).stats).toMatchObject({ read: 0, parsed: 0, cached: true });
  });

  test('a touched file is read and hashed again, and stays cached when its bytes did not change', async () => {
    const later = new Date(Date.now() - 1_800_000);
    utimesSync(path.join(corpusDir, 'port-4.md'), later, later);
    expect((await open()).stats).toMatchObject({ read: 1, parsed: 0, cached: true });
    expect((await open()).stats).toMatchObject({ read: 0, parsed: 0 });
  });

  test('a file changed just before the open is read again at the next one too', async () => {
    const file = path.join(corpusDir, 'port-0.md');
    writeFileSync(file, markdownDoc('Port 0', '## Ports\n\nThe port town 0 shipped salt.'));
    // Stamped as if written an instant before it was listed, whatever the test machine's speed.
    const justNow = new Date(Date.now() + 5_000);
    utimesSync(file, justNow, justNow);
    expect((await open()).stats).toMatchObject({ read: 1, parsed: 1 });
    expect((await open()).stats).toMatchObject({ read: 1, parsed: 0, cached: true });
    anHourAgo('port-0.md');
    expect((await open()).stats).toMatchObject({ read: 1, parsed: 0 });
    expect((await open()).stats).toMatchObject({ read: 0, parsed: 0 });
  });

  test('a time in whole seconds (FAT, HFS+, ext3 keep no finer one) stays racy for two seconds, a finer one for 50 ms', () => {
    expect(racyMs(1_764_640_000_000)).toBe(2000);
    expect(racyMs(1_764_640_000_123.456)).toBe(50);
  });

  test('a file whose cache entry is gone is read and parsed again; a rebuild reads everything', async () => {
    const [embedderDir] = readdirSync(path.join(dataDir, 'cache', 'documents'));
    const hash = createHash('sha256').update(readFileSync(path.join(corpusDir, 'port-1.md'))).digest('hex');
    rmSync(docCacheFile(path.join(dataDir, 'cache', 'documents', embedderDir), 'port-1.md', hash));
    expect((await open()).stats).toMatchObject({ read: 1, parsed: 1 });
    expect((await open(true)).stats).toMatchObject({ read: 6, parsed: 6, graph: 'built' });
  });
});

describe('one cache file a document (doc-cache-file.ts): damage is never trusted', () => {
  const corpusDir = copyCorpus();
  writeFileSync(path.join(corpusDir, 'port.md'), markdownDoc('Port', '## Ports\n\nThe port town shipped grain and timber. Its ferry left at dawn.\n\nA lighthouse keeper counted herring boats.'));
  const dataDir = tempDir('doc-file');
  const local = LocalWordVectorEmbeddings.load(dataDir);
  const open = () => CorpusIndex.open({ corpusDir, dataDir, embedder: { embeddings: local, id: local.id, dims: local.dimensions } });
  const cacheFile = () => {
    const [embedderDir] = readdirSync(path.join(dataDir, 'cache', 'documents'));
    const hash = createHash('sha256').update(readFileSync(path.join(corpusDir, 'port.md'))).digest('hex');
    return docCacheFile(path.join(dataDir, 'cache', 'documents', embedderDir), 'port.md', hash);
  };
  const plain = (index: CorpusIndex) => index.chunks.filter((c) => c.document === 'port.md').map((c) => ({ text: c.text, tokens: c.sentenceTokens }));

  test('a file cut short: the document is parsed again', async () => {
    const first = await open();
    const expected = plain(first);
    const bytes = readFileSync(cacheFile());
    writeFileSync(cacheFile(), bytes.subarray(0, bytes.length - 1));
    const again = await open();
    expect(again.stats).toMatchObject({ parsed: 1, embedded: 1 });
    expect(plain(again)).toEqual(expected);
  });

  test('a damaged part of the same length: worked out again from the text, and the file parsed again next time', async () => {
    const expected = plain(await open());
    const bytes = readFileSync(cacheFile());
    // The tokens are the last part: its last bytes overwritten, the file's length unchanged.
    bytes.write('{{{{', bytes.length - 4, 'latin1');
    writeFileSync(cacheFile(), bytes);
    const damaged = await open();
    expect(damaged.stats).toMatchObject({ parsed: 0 });
    expect(plain(damaged)).toEqual(expected);
    expect(existsSync(cacheFile())).toBe(false);
    expect((await open()).stats).toMatchObject({ parsed: 1 });
    expect((await open()).stats).toMatchObject({ parsed: 0 });
  });
});
