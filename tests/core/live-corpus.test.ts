// A corpus that changes under a running bot (R2.5): the pooled engine takes in a new, changed or
// removed document on reload, swapped in whole while questions keep being answered; an unchanged
// folder rebuilds nothing; a folder that no longer loads keeps the previous state answering. And
// the watcher reports a burst of changes once, passing over hidden files.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { watchCorpus } from '../../src/corpus/watch.js';
import { PooledBriefing } from '../../src/workers/answer-pool.js';
import { copyCorpus, CORPUS_DOC, tempDir } from './helpers.js';

const NEW_DOC = `---
title: "Reservoir board: a vote on the Tavira spillway"
source: Algarve Water Ledger
published: 2026-03-20
---

## The spillway vote

The Tavira reservoir board voted seven to two to rebuild the spillway before the autumn rains, after engineers found cracks in the lower apron.

Board chair Ines Carvalho said the repair would cost 14 million euros and close the dam road for five months.
`;
const QUESTION = 'What did the Tavira reservoir board vote on the spillway?';

let corpus: string;
let pooled: PooledBriefing;
beforeAll(async () => {
  corpus = copyCorpus();
  pooled = await PooledBriefing.start({ corpusDir: corpus, dataDir: tempDir('live') }, 'silent', 1);
}, 60_000);
afterAll(async () => pooled?.close());

describe('reloading the pooled engine', () => {
  test('a new document is answerable after reload, in sources and hashes, while earlier questions still get answers', async () => {
    expect((await pooled.ask(QUESTION)).coverage).toBe('none');
    mkdirSync(path.join(corpus, 'added'), { recursive: true });
    writeFileSync(path.join(corpus, 'added', 'tavira.md'), NEW_DOC);
    const reload = pooled.reload();
    // Answered by the running generation while the next one builds.
    const during = await Promise.all([pooled.ask('Who hosted the talks in Oman?'), pooled.ask('What is the trust deficit?')]);
    expect(during.every((a) => a.coverage !== 'none')).toBe(true);
    const r = await reload;
    expect(r.changed).toBe(true);
    const answer = await pooled.ask(QUESTION);
    expect(answer.coverage).toBe('answered');
    expect(answer.quotes[0].document).toBe('added/tavira.md');
    expect(answer.quotes[0].source).toBe('Algarve Water Ledger');
    expect(pooled.sources().map((s) => s.id)).toContain('added/tavira.md');
    expect(Object.keys(pooled.documentHashes())).toContain('added/tavira.md');
  }, 60_000);

  test('an unchanged folder rebuilds nothing; calls during a reload share the next one', async () => {
    expect((await pooled.reload()).changed).toBe(false);
    writeFileSync(path.join(corpus, 'added', 'tavira.md'), NEW_DOC.replace('seven to two', 'eight to one'));
    const [a, b] = await Promise.all([pooled.reload(), pooled.reload()]);
    expect(a.changed).toBe(true);
    expect(b.changed).toBe(false);
    expect((await pooled.ask(QUESTION)).quotes.map((q) => q.text).join(' ')).toContain('eight to one');
  }, 60_000);

  test('a removed document is gone after reload; a folder that no longer loads keeps the last state answering', async () => {
    rmSync(path.join(corpus, 'added', 'tavira.md'));
    await pooled.reload();
    expect((await pooled.ask(QUESTION)).coverage).toBe('none');
    rmSync(path.join(corpus, CORPUS_DOC));
    await expect(pooled.reload()).rejects.toThrow(/no usable documents/);
    expect((await pooled.ask('Who hosted the talks in Oman?')).coverage).not.toBe('none');
  }, 60_000);
});

describe('watchCorpus', () => {
  test('a burst of changes is reported once, after the folder is quiet; hidden files are passed over', async () => {
    const dir = tempDir('watch');
    let calls = 0;
    let heard: () => void = () => undefined;
    const watcher = watchCorpus(dir, () => {
      calls += 1;
      heard();
    }, { quietMs: 100 });
    await watcher.ready;
    try {
      const first = new Promise<void>((r) => (heard = r));
      writeFileSync(path.join(dir, '.draft.md.swp'), 'x');
      for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, `doc-${i}.md`), `# Doc ${i}\n\nText ${i}.\n`);
      await first;
      expect(calls).toBe(1);
      const second = new Promise<void>((r) => (heard = r));
      rmSync(path.join(dir, 'doc-0.md'));
      await second;
      expect(calls).toBe(2);
    } finally {
      await watcher.close();
    }
  });
});
