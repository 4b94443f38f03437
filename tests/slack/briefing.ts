// The briefing the end-to-end Slack tests run against: the real Briefing.open on the project's
// corpus/ (index cache in a fresh temp DATA_DIR; the word vectors are shared per machine, see
// tests/global-setup.ts), and a wrapper that records what reached it (and can make it fail).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Briefing } from '../../src/briefing.js';
import type { BriefingService } from '../../src/service.js';
import type { AskOptions } from '../../src/types.js';

export const CORPUS_DIR = path.resolve('corpus');

export async function e2eBriefing(): Promise<Briefing> {
  return Briefing.open({ corpusDir: CORPUS_DIR, dataDir: mkdtempSync(path.join(tmpdir(), 'briefbot-slack-index-')) });
}

/** beforeAll budget: opening builds the index for the corpus (seconds on a busy machine). */
export const OPEN_TIMEOUT_MS = 120_000;

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
    sources: () => inner.sources(),
    documentHashes: () => inner.documentHashes(),
    digest: (o) => inner.digest(o),
  };
  return wrapper;
}
