// The index cache under DATA_DIR: a second start reuses it; adding, editing or removing a corpus file
// rebuilds by itself, re-embedding only the file that changed; a damaged cache is rebuilt, never trusted.
import { appendFileSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { CORPUS_DOC, captureLogger, copyCorpus, expectAbstention, expectVerifiedAnswer, markdownDoc, readCorpusTexts, tempDir, textOf } from './helpers.js';

const NEW_DOC = 'norway-offer.md';
const NEW_TITLE = 'Norway Offers a Technical Round';
const newDoc = (city: string) =>
  markdownDoc(NEW_TITLE, `## The Offer\n\nNorway offered to host a technical round on uranium stockpiles in ${city} in March. European diplomats welcomed the proposal as a useful complement to the Omani channel.`);
const QUESTION = 'Where did Norway offer to host a technical round?';

describe('one corpus, one DATA_DIR, changed step by step', () => {
  const corpus = copyCorpus();
  const data = tempDir('cache');
  const open = (rebuild = false) => Briefing.open({ corpusDir: corpus, dataDir: data, rebuild });
  let chunksBefore = 0;

  // The steps share one corpus and cache, so they run in order (vitest runs a file's tests in order).
  test('first start builds and embeds every document', async () => {
    const b = await open();
    expect(b.index.stats).toMatchObject({ documents: 1, embedded: 1, parsed: 1, cached: false });
    chunksBefore = b.index.stats.chunks;
    expect(chunksBefore).toBeGreaterThan(10);
    expect(readdirSync(path.join(data, 'cache', 'index'))).toHaveLength(1);
  });

  test('second start uses the cache: nothing re-embedded', async () => {
    const b = await open();
    expect(b.index.stats).toMatchObject({ documents: 1, chunks: chunksBefore, embedded: 0, parsed: 0, cached: true });
    expectVerifiedAnswer(await b.ask('What happened on February 3?'), readCorpusTexts(corpus));
  });

  test('a touched but unchanged file is still cached (the key is the content hash, not mtime)', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(corpus, CORPUS_DOC), later, later);
    const b = await open();
    expect(b.index.stats).toMatchObject({ embedded: 0, parsed: 0, cached: true });
  });

  test('adding a file: it appears, and only it is embedded', async () => {
    expectAbstention(await (await open()).ask(QUESTION));
    writeFileSync(path.join(corpus, NEW_DOC), newDoc('Oslo'));
    const b = await open();
    expect(b.index.stats).toMatchObject({ documents: 2, embedded: 1, parsed: 1, cached: false });
    // Newest first: the new analysis is dated 10 February, the shipped one 9 February.
    expect(b.sources().map((s) => s.id)).toEqual([NEW_DOC, CORPUS_DOC]);
    const a = await b.ask(QUESTION);
    expectVerifiedAnswer(a, readCorpusTexts(corpus), NEW_TITLE);
    expect(a.quotes[0].document).toBe(NEW_DOC);
    expect(a.quotes[0].text).toContain('in Oslo in March');
    // The index of the old corpus state is gone: the cache does not grow with every edit.
    expect(readdirSync(path.join(data, 'cache', 'index'))).toHaveLength(1);
    expect((await open()).index.stats).toMatchObject({ embedded: 0, cached: true });
  });

  test('editing a file: only it is re-embedded and answers quote the new text', async () => {
    writeFileSync(path.join(corpus, NEW_DOC), newDoc('Bergen'));
    const b = await open();
    // Only the edited file is parsed again; the other comes back from its cache entry.
    expect(b.index.stats).toMatchObject({ documents: 2, embedded: 1, parsed: 1, cached: false });
    const a = await b.ask(QUESTION);
    expectVerifiedAnswer(a, readCorpusTexts(corpus), NEW_TITLE);
    expect(a.quotes[0].text).toContain('in Bergen in March');
    expect(textOf(a)).not.toContain('Oslo');
  });

  test('editing the big document: only it is re-embedded, its new paragraph is found', async () => {
    appendFileSync(path.join(corpus, CORPUS_DOC), '\nA late addendum notes that Finland sent observers to the Muscat venue.\n');
    const b = await open();
    expect(b.index.stats).toMatchObject({ documents: 2, embedded: 1, cached: false, chunks: chunksBefore + 1 + 1 });
    const a = await b.ask('Who sent observers to the Muscat venue?');
    expect(a.quotes[0]?.text).toBe('A late addendum notes that Finland sent observers to the Muscat venue.');
  });

  test('a bad file added later is skipped with a warning; the cached index stays valid', async () => {
    writeFileSync(path.join(corpus, 'broken.md'), '---\ntitle: never closed\n\nBody.\n');
    const { logger, lines } = captureLogger();
    const b = await Briefing.open({ corpusDir: corpus, dataDir: data, logger });
    expect(b.index.stats).toMatchObject({ documents: 2, embedded: 0, cached: true });
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([expect.stringMatching(/broken\.md.*never closed/)]);
    rmSync(path.join(corpus, 'broken.md'));
  });

  test('renaming a file is a new document id (same bytes, embedded once more)', async () => {
    renameSync(path.join(corpus, NEW_DOC), path.join(corpus, 'renamed.md'));
    const b = await open();
    expect(b.index.stats).toMatchObject({ documents: 2, embedded: 1, cached: false });
    expect(b.sources().map((s) => s.id)).toContain('renamed.md');
    expect(b.sources().map((s) => s.id)).not.toContain(NEW_DOC);
  });

  test('removing a file: it is gone from sources and answers, nothing re-embedded', async () => {
    rmSync(path.join(corpus, 'renamed.md'));
    const b = await open();
    expect(b.index.stats).toMatchObject({ documents: 1, embedded: 0, cached: false });
    expect(b.sources().map((s) => s.id)).toEqual([CORPUS_DOC]);
    const a = await b.ask(QUESTION);
    expectAbstention(a);
    expect(textOf(a)).toContain('never mention “Norway”');
  });

  test('rebuild (what `briefbot ingest` does) re-embeds everything', async () => {
    const b = await open(true);
    expect(b.index.stats).toMatchObject({ documents: 1, embedded: 1, cached: false });
  });

  test('a damaged vector index or document cache is rebuilt, never trusted', async () => {
    const indexRoot = path.join(data, 'cache', 'index');
    const [key] = readdirSync(indexRoot);
    for (const f of readdirSync(path.join(indexRoot, key))) writeFileSync(path.join(indexRoot, key, f), 'garbage');
    const docCache = path.join(data, 'cache', 'documents');
    for (const embedder of readdirSync(docCache)) for (const f of readdirSync(path.join(docCache, embedder))) writeFileSync(path.join(docCache, embedder, f), '{not json');
    const b = await open();
    expect(b.index.stats).toMatchObject({ documents: 1, embedded: 1, cached: false });
    expectVerifiedAnswer(await b.ask('What happened on February 3?'), readCorpusTexts(corpus));
    expect((await open()).index.stats).toMatchObject({ embedded: 0, cached: true });
  });
});
