// The briefing the end-to-end Slack tests run against, and a wrapper that records what reached it.
import type { BriefingService } from '../../src/service.js';
import type { AskOptions } from '../../src/types.js';
import { FakeBriefing } from './fake-briefing.js';

export async function e2eBriefing(): Promise<BriefingService> {
  return new FakeBriefing();
}

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
