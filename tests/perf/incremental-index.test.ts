// Re-ingest touches only what changed: the previous HNSW graph is updated in place (the changed
// file's points deleted, its new vectors added), not rebuilt from every cached vector.
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { LocalWordVectorEmbeddings } from '../../src/index/embedder-local.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const paragraph = (i: number) => `Filler paragraph ${i} about harbour logistics, grain tonnage and the ferry timetable of a port town.`;

function corpusWithFillers(files: number): { corpusDir: string; dataDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefbot-incremental-'));
  const corpusDir = path.join(dir, 'corpus');
  cpSync(path.join(ROOT, 'corpus'), corpusDir, { recursive: true });
  for (let f = 0; f < files; f++) {
    const body = Array.from({ length: 10 }, (_, i) => paragraph(f * 10 + i)).join('\n\n');
    writeFileSync(path.join(corpusDir, `filler-${f}.md`), `---\ntitle: "Filler ${f}"\nsource: "test"\npublished: 2026-01-01\n---\n\n## Ports\n\n${body}\n`);
  }
  return { corpusDir, dataDir: path.join(dir, 'data') };
}

describe('incremental vector index', () => {
  const { corpusDir, dataDir } = corpusWithFillers(8);
  const open = () => Briefing.open({ corpusDir, dataDir });
  // The embedder the index was built with (the local one: no OpenAI settings here).
  const embed = (text: string) => LocalWordVectorEmbeddings.load(dataDir).embedQuery(text);

  test('a first start builds the graph; a second reads it back', async () => {
    expect((await open()).index.stats).toMatchObject({ graph: 'built', cached: false });
    expect((await open()).index.stats).toMatchObject({ graph: 'cached', cached: true, graphAdded: 0, embedded: 0 });
  });

  test('one changed file: only its chunks go into the graph, and its new text is found', async () => {
    appendFileSync(path.join(corpusDir, 'filler-3.md'), '\nThe lighthouse keeper of the port town counted forty-two herring boats.\n');
    const b = await open();
    expect(b.index.stats).toMatchObject({ graph: 'updated', embedded: 1, graphAdded: 11 });
    const a = await b.ask('How many herring boats did the lighthouse keeper count?');
    expect(a.quotes[0]?.text).toBe('The lighthouse keeper of the port town counted forty-two herring boats.');
    // Every live chunk is in the vector index once, and the old version's points are not returned.
    const vector = await embed(paragraph(39));
    const all = b.index.vectorSearch(vector, b.index.chunks.length);
    expect(new Set(all.map((n) => n.chunk)).size).toBe(b.index.chunks.length);
    expect(all.filter((n) => b.index.chunks[n.chunk].document === 'filler-3.md')).toHaveLength(11);
    expect(readdirSync(path.join(dataDir, 'cache', 'index'))).toHaveLength(1);
  });

  test('a removed file: its points leave the graph, nothing is added', async () => {
    rmSync(path.join(corpusDir, 'filler-5.md'));
    const b = await open();
    expect(b.index.stats).toMatchObject({ graph: 'updated', embedded: 0, graphAdded: 0 });
    for (const n of b.index.vectorSearch(await embed(paragraph(55)), 100)) {
      expect(b.index.chunks[n.chunk].document).not.toBe('filler-5.md');
    }
  });

  test('when deleted points pile up, the graph is rebuilt', async () => {
    for (const f of [0, 1, 2, 4]) rmSync(path.join(corpusDir, `filler-${f}.md`));
    expect((await open()).index.stats).toMatchObject({ graph: 'built', embedded: 0 });
  });

  test('a damaged BM25 file is rebuilt from the cached stems, answers unchanged', async () => {
    const question = 'Who hosted the talks in Oman?';
    const before = await (await open()).ask(question);
    const indexRoot = path.join(dataDir, 'cache', 'index');
    const [key] = readdirSync(indexRoot);
    writeFileSync(path.join(indexRoot, key, 'bm25.bin'), '{"version":1}\nnot arrays');
    const b = await open();
    expect(b.index.stats).toMatchObject({ graph: 'cached', embedded: 0 });
    expect((await b.ask(question)).quotes).toEqual(before.quotes);
  });

  test('a damaged vector file is embedded again from the cached tokens', async () => {
    const docs = path.join(dataDir, 'cache', 'documents');
    for (const e of readdirSync(docs)) for (const f of readdirSync(path.join(docs, e))) if (f.endsWith('.f32')) writeFileSync(path.join(docs, e, f), 'garbage');
    appendFileSync(path.join(corpusDir, 'filler-6.md'), '\nA late note.\n');
    rmSync(path.join(dataDir, 'cache', 'index'), { recursive: true });
    const b = await open();
    expect(b.index.stats).toMatchObject({ graph: 'built' });
    expect(b.index.vectorSearch(await embed(paragraph(71)), 1)[0].chunk).toBeGreaterThanOrEqual(0);
    expect((await b.ask('Who hosted the talks in Oman?')).abstained).toBe(false);
  });
});
