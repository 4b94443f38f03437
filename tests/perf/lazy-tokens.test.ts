// A document's sentence tokens are read when one of its chunks is first scored, not at every start;
// damaged tokens in its cache file cost a re-tokenisation, never a wrong answer.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Briefing } from '../../src/briefing.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('sentence tokens on demand', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefbot-tokens-'));
  const corpusDir = path.join(dir, 'corpus');
  const dataDir = path.join(dir, 'data');
  cpSync(path.join(ROOT, 'corpus'), corpusDir, { recursive: true });
  // One cache file a document (src/index/doc-cache-file.ts); the sentence tokens are its last part.
  const docFiles = () => {
    const docs = path.join(dataDir, 'cache', 'documents');
    return readdirSync(docs).flatMap((e) => readdirSync(path.join(docs, e)).filter((f) => f.endsWith('.doc')).map((f) => path.join(docs, e, f)));
  };

  test('answers from a cached index equal the answers of the first build', async () => {
    const first = await Briefing.open({ corpusDir, dataDir });
    const question = 'Why did Iran object to Admiral Cooper being at the table?';
    const fresh = await first.ask(question);
    const again = await (await Briefing.open({ corpusDir, dataDir })).ask(question);
    expect(again.quotes).toEqual(fresh.quotes);
    expect(docFiles()).toHaveLength(1);
  });

  test('damaged tokens are rebuilt from the text and the answer is unchanged; the next open parses the document again', async () => {
    const question = 'Why did Iran object to Admiral Cooper being at the table?';
    const before = await (await Briefing.open({ corpusDir, dataDir })).ask(question);
    const [file] = docFiles();
    const bytes = readFileSync(file);
    bytes.fill('['.charCodeAt(0), bytes.length - 16); // the same length, the tokens' JSON broken
    writeFileSync(file, bytes);
    const b = await Briefing.open({ corpusDir, dataDir });
    expect(b.index.stats).toMatchObject({ embedded: 0, cached: true });
    expect((await b.ask(question)).quotes).toEqual(before.quotes);
    expect(existsSync(file)).toBe(false);
    const again = await Briefing.open({ corpusDir, dataDir });
    expect(again.index.stats).toMatchObject({ parsed: 1 });
    expect((await again.ask(question)).quotes).toEqual(before.quotes);
    expect(docFiles()).toHaveLength(1);
  });
});
