// The briefing the end-to-end Slack tests run against: the real Briefing.open on the project's
// corpus/, and a wrapper that records what reached it (and can make it fail).
//
// A cold Briefing.open builds word vectors and the index (tens of seconds on a small machine). The
// Slack test files run in parallel workers of one vitest run, so the first to take a lock builds
// the cache once and publishes it with an atomic rename; the others wait for it (fs.watch, no
// polling) and open it warm.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Briefing } from '../../src/briefing.js';
import type { BriefingService } from '../../src/service.js';
import type { AskOptions } from '../../src/types.js';

export const CORPUS_DIR = path.resolve('corpus');

function corpusKey(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(CORPUS_DIR).sort()) hash.update(f).update(readFileSync(path.join(CORPUS_DIR, f)));
  return hash.digest('hex').slice(0, 12);
}

function waitForDir(dir: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(path.dirname(dir), () => {
      if (existsSync(dir)) {
        watcher.close();
        resolve();
      }
    });
    // Checked after the watcher is set up, so a rename in between is not missed.
    if (existsSync(dir)) {
      watcher.close();
      resolve();
    }
  });
}

/** This run's shared, warm cache directory (built here if this worker is first). */
async function warmDataDir(): Promise<string> {
  // One cache per vitest run (workers share the parent pid; the bench passes its own id), so a
  // changed engine never reads a cache an older run left behind.
  const runId = process.env.BRIEFBOT_TEST_RUN_ID ?? String(process.ppid);
  const shared = path.join(tmpdir(), `briefbot-slack-e2e-${runId}-${corpusKey()}`);
  if (!existsSync(shared)) {
    let builder = false;
    try {
      mkdirSync(`${shared}.lock`);
      builder = true;
    } catch {
      // another worker is building
    }
    if (builder) {
      removeStaleCaches();
      const building = mkdtempSync(`${shared}.building-`);
      await Briefing.open({ corpusDir: CORPUS_DIR, dataDir: building });
      renameSync(building, shared);
    } else {
      await waitForDir(shared);
    }
  }
  // A warm Briefing.open only reads its cache (checked: no file changes), so the workers share it.
  return shared;
}

/** Caches of earlier runs (40 MB each, mostly word vectors) go once they are an hour old. */
function removeStaleCaches(): void {
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('briefbot-slack-e2e-')) continue;
    const dir = path.join(tmpdir(), name);
    try {
      if (statSync(dir).mtimeMs < cutoff) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}

export async function e2eBriefing(): Promise<Briefing> {
  return Briefing.open({ corpusDir: CORPUS_DIR, dataDir: await warmDataDir() });
}

/** How long a test file's beforeAll may take when it builds the shared cache. */
export const OPEN_TIMEOUT_MS = 240_000;

export interface Recorded extends BriefingService {
  asks: Array<{ question: string; options?: AskOptions }>;
  /** While set, ask() throws it (a broken engine). */
  failWith?: Error;
}

/** Wraps a briefing so tests see every ask() and can make it fail. */
export function recording(inner: BriefingService): Recorded {
  const wrapper: Recorded = {
    asks: [],
    async ask(question, options) {
      wrapper.asks.push({ question, options });
      if (wrapper.failWith) throw wrapper.failWith;
      return inner.ask(question, options);
    },
    topics: () => inner.topics(),
    topic: (id) => inner.topic(id),
    overview: () => inner.overview(),
    sources: () => inner.sources(),
    documentHashes: () => inner.documentHashes(),
    digest: (o) => inner.digest(o),
  };
  return wrapper;
}
