// A document's sentence tokens are read when one of its chunks is first scored, not at every start;
// a missing or damaged tokens file costs a re-tokenisation, never a wrong answer.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const tokenFiles = () => {
    const docs = path.join(dataDir, 'cache', 'documents');
    return readdirSync(docs).flatMap((e) => readdirSync(path.join(docs, e)).filter((f) => f.endsWith('.tokens.json')).map((f) => path.join(docs, e, f)));
  };

  test('answers from a cached index equal the answers of the first build', async () => {
    const first = await Briefing.open({ corpusDir, dataDir });
    const question = 'Why did Iran object to Admiral Cooper being at the table?';
    const fresh = await first.ask(question);
    const again = await (await Briefing.open({ corpusDir, dataDir })).ask(question);
    expect(again.quotes).toEqual(fresh.quotes);
    expect(tokenFiles()).toHaveLength(1);
  });

  test('a damaged tokens file is rebuilt from the text and the answer is unchanged', async () => {
    const question = 'Why did Iran object to Admiral Cooper being at the table?';
    const before = await (await Briefing.open({ corpusDir, dataDir })).ask(question);
    for (const f of tokenFiles()) writeFileSync(f, '[[["not tokens"');
    const b = await Briefing.open({ corpusDir, dataDir });
    expect(b.index.stats).toMatchObject({ embedded: 0, cached: true });
    expect((await b.ask(question)).quotes).toEqual(before.quotes);
    for (const f of tokenFiles()) expect(Array.isArray(JSON.parse(readFileSync(f, 'utf8')))).toBe(true);
  });
});
