import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWordVectorCache, cacheFile } from '../src/index/word-vectors.js';
import { LocalWordVectorEmbeddings } from '../src/index/embedder-local.js';

/**
 * Runs once, in vitest's own process, before any test file. Returns the teardown.
 *
 * Every temporary folder a test makes goes under one folder for the run, removed when the run
 * ends: a run used to leave about 200 behind in /tmp, and a /tmp holding thousands of folders made
 * creating a file several times slower for everything on the machine. `os.tmpdir()` reads TMPDIR
 * on every call, and vitest starts its test processes after the global setup with `...process.env`
 * (vitest 4.1 `cli-api` chunk, the pool's `projectEnvs`), so the tests, and the processes they
 * start, inherit it.
 */
export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const runTmp = mkdtempSync(path.join(os.tmpdir(), 'briefbot-tests-'));
  chmodSync(runTmp, 0o755); // the PostgreSQL tests run the server as the `postgres` user, inside it
  process.env.TMPDIR = runTmp;

  const scratch = mkdtempSync(path.join(runTmp, 'briefbot-setup-'));
  // Converts the word vectors once per machine (seconds, ~1.5 GB), into the shared cache.
  const file = cacheFile(scratch);
  if (!existsSync(file)) buildWordVectorCache(file);
  LocalWordVectorEmbeddings.load(scratch); // also caches the common component

  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(runTmp, { recursive: true, force: true });
  };
}
