// Start-up stays lean: answering a question never loads LangChain's VectorStore module (its
// Runnable stack, langsmith and callbacks cost ~0.4 s of CPU per start).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function tempCorpus(): { corpusDir: string; dataDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefbot-perf-'));
  cpSync(path.join(ROOT, 'corpus'), path.join(dir, 'corpus'), { recursive: true });
  return { corpusDir: path.join(dir, 'corpus'), dataDir: path.join(dir, 'data') };
}

describe('lean start', () => {
  test('opening the briefing and answering loads no LangChain VectorStore, Runnable or langsmith', () => {
    const { corpusDir, dataDir } = tempCorpus();
    const script = `
      const { register } = await import('node:module');
      register(${JSON.stringify(new URL('./load-hook.mjs', import.meta.url).href)});
      const { Briefing } = await import(${JSON.stringify(new URL('../../src/briefing.ts', import.meta.url).href)});
      const b = await Briefing.open({ corpusDir: ${JSON.stringify(corpusDir)}, dataDir: ${JSON.stringify(dataDir)} });
      const a = await b.ask('Who hosted the talks in Oman?');
      console.log(JSON.stringify({ quotes: a.quotes.length }));
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).quotes).toBeGreaterThan(0);
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
    // The hook sees the process' modules: the engine's own files prove it was watching.
    expect(loaded.some((u) => u.endsWith('/src/index/corpus-index.ts'))).toBe(true);
    const heavy = loaded.filter((u) => /@langchain\/core\/dist\/(vectorstores|runnables|callbacks)|\/langsmith\//.test(u));
    expect(heavy).toEqual([]);
  });
});
