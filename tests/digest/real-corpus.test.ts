// The digest path on the real engine and the real corpus/: the scheduler posts through a fake
// poster with a fake clock; every quote must be the corpus file's own text at its offsets, and a
// document dropped into the corpus must lead the next day's digest.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Briefing } from '../../src/briefing.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import type { Digest } from '../../src/digest/types.js';
import { openStores, type Stores } from '../../src/store/stores.js';
import { parseFrontMatter } from '../../src/corpus/frontmatter.js';
import { FakeClock, FakePoster, fakeSleep, memoryLogger, tempDir } from './helpers.js';
import { allQuotes, NEW_DOC, NEW_DOC_ID } from './fixtures/new-document.js';

const CORPUS = fileURLToPath(new URL('../../corpus', import.meta.url));


describe('digests from the real corpus', () => {
  let dirs: { corpus: string; data: string; cleanup: () => void };
  let stores: Stores;
  const clock = new FakeClock('2026-03-09T12:00:00Z');
  const posts: FakePoster['posts'] = [];

  async function schedulerOnCurrentCorpus(): Promise<DigestScheduler> {
    const briefing = await Briefing.open({ corpusDir: dirs.corpus, dataDir: dirs.data });
    return new DigestScheduler({
      stores,
      producer: briefing,
      posters: [new FakePoster('slack', clock, posts)],
      logger: memoryLogger().logger,
      now: clock.now,
      sleep: fakeSleep(clock),
    });
  }

  function expectVerbatim(digest: Digest): void {
    const quotes = allQuotes(digest);
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) {
      const text = readFileSync(path.join(dirs.corpus, q.document), 'utf8');
      expect(text.slice(q.start, q.end)).toBe(q.text);
      expect(digest.titles[q.document]).toBeTruthy();
      // Every quote carries its own document's outlet and date, as its front matter gives them.
      const front = parseFrontMatter(text)!.fields;
      expect({ source: q.source, published: q.published }).toEqual({ source: front.source, published: front.published });
    }
  }

  beforeAll(async () => {
    const t = tempDir();
    dirs = { corpus: path.join(t.dir, 'corpus'), data: path.join(t.dir, 'data'), cleanup: t.cleanup };
    cpSync(CORPUS, dirs.corpus, { recursive: true });
    stores = await openStores({ dataDir: dirs.data }, { subscriptions: { now: clock.now } });
  });
  afterAll(async () => {
    await stores.close();
    dirs.cleanup();
  });

  it('posts grounded digests daily, and a new document leads the next one', async () => {
    const first = await schedulerOnCurrentCorpus();
    await first.subscriptions.subscribe({ platform: 'slack', channelId: 'C1', time: '08:00', timeZone: 'Europe/London', createdBy: 'U1' });
    clock.set('2026-03-10T08:00:00Z');
    await first.tick();
    expect(posts).toHaveLength(1);
    const day1 = posts[0].digest;
    expect(day1.date).toBe('2026-03-10');
    expect(day1.newSince).toEqual([]);
    expect(day1.points.length).toBeGreaterThanOrEqual(3);
    expect(day1.points.length).toBeLessThanOrEqual(6);
    expect(day1.points.map((p) => p.topic.id)).not.toContain('indicators');
    expect(day1.indicators.length).toBeGreaterThan(0);
    expectVerbatim(day1);

    // A document is dropped into the corpus; the bot restarts on it.
    writeFileSync(path.join(dirs.corpus, NEW_DOC_ID), NEW_DOC);
    const second = await schedulerOnCurrentCorpus();
    clock.set('2026-03-11T08:00:00Z');
    await second.tick();
    expect(posts).toHaveLength(2);
    const day2 = posts[1].digest;
    expect(day2.newSince.map((n) => n.document)).toMatchObject([
      { id: '2026-03-10-second-round.md', title: 'Second Round in Muscat: Technical Teams Take Over', source: 'briefbot test fixture', published: '2026-03-10' },
    ]);
    expect(day2.newSince[0].quotes.length).toBeGreaterThan(0);
    expectVerbatim(day2);
    // Rotation: the same corpus topics, different passages from yesterday where there is a choice.
    expect(day2.points.map((p) => p.quote.text)).not.toEqual(day1.points.map((p) => p.quote.text));

    clock.set('2026-03-12T08:00:00Z');
    await second.tick();
    expect(posts[2].digest.newSince).toEqual([]);
  }, 180_000);
});
