// Fakes for the digest tests: a clock the test moves, a sleep that moves it instead of waiting,
// a corpus-shaped DigestSource, a recording DigestPoster and a logger whose lines we can read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../src/log.js';
import { composeDigest, type DigestSource } from '../../src/digest/compose.js';
import { openDatabase } from '../../src/store/db.js';
import { SqliteDigestSendStore } from '../../src/store/digest-sends.js';
import { SqliteSubscriptionStore, type SubscriptionStoreOptions } from '../../src/store/subscriptions.js';
import type { DigestProducer, Sleep } from '../../src/digest/deliver.js';
import type { DigestPoster } from '../../src/digest/poster.js';
import type { Digest } from '../../src/digest/types.js';
import type { Quote, SourceInfo, Topic } from '../../src/types.js';

export class FakeClock {
  private t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): Date => new Date(this.t);
  set(iso: string | Date): void {
    this.t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A Sleep that records each wait and advances the fake clock by it: backoff without waiting. */
export function fakeSleep(clock: FakeClock): Sleep & { waits: number[] } {
  const waits: number[] = [];
  const sleep = (async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw new Error('aborted');
    waits.push(ms);
    clock.advance(ms);
  }) as Sleep & { waits: number[] };
  sleep.waits = waits;
  return sleep;
}

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export function memoryLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream) as unknown as Logger, lines };
}

/** The SQLite stores a DigestScheduler needs, opened at once (openStores is async): `dir` a DATA_DIR or `:memory:`. */
export function sqliteDigestStores(dir: string, options: SubscriptionStoreOptions & { claimant?: string } = {}) {
  const db = openDatabase(dir);
  return { subscriptions: new SqliteSubscriptionStore(db, options), digestSends: new SqliteDigestSendStore(db, options.claimant) };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'briefbot-digest-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

interface FakeDoc {
  info: SourceInfo;
  hash: string;
  text: string;
}

/** A small corpus: each topic has `perTopic` ranked passages, in documents of their own. */
export class FakeSource implements DigestSource {
  readonly docs = new Map<string, FakeDoc>();
  private readonly topicList: Topic[];
  private readonly ranked = new Map<string, Quote[]>();
  private indicatorList: Quote[] = [];

  constructor(topicIds: string[] = ['trust', 'scope', 'oman', 'military', 'sanctions', 'outlook'], perTopic = 7) {
    this.topicList = topicIds.map((id) => ({ id, label: `Topic ${id}`, description: `about ${id}` }));
    for (const t of topicIds) {
      const sentences = Array.from({ length: perTopic }, (_, i) => `${t} passage ${i}.`);
      const doc = this.addDocument(`${t}.md`, `Analysis of ${t}`, '2026-02-01', sentences.join(' '));
      this.ranked.set(t, sentences.map((s) => this.quote(doc, s)));
    }
  }

  addDocument(id: string, title: string, published: string, text: string, hash = `h-${id}-1`): FakeDoc {
    const doc = { info: { id, title, source: `Source of ${id}`, published, sections: ['Body'] }, hash, text };
    this.docs.set(id, doc);
    return doc;
  }

  /** A verbatim quote of `sentence` from `doc` (offsets computed, so `text === slice` holds), stamped as the engine stamps it. */
  quote(doc: FakeDoc, sentence: string): Quote {
    const start = doc.text.indexOf(sentence);
    if (start < 0) throw new Error(`"${sentence}" not in ${doc.info.id}`);
    return { text: sentence, document: doc.info.id, section: 'Body', start, end: start + sentence.length, source: doc.info.source, published: doc.info.published };
  }

  setIndicators(quotes: Quote[]): void {
    this.indicatorList = quotes;
  }

  topics(): Topic[] {
    return this.topicList;
  }
  topicQuotes(topicId: string): Quote[] {
    return this.ranked.get(topicId) ?? [];
  }
  indicatorQuotes(): Quote[] {
    return this.indicatorList;
  }
  sources(): SourceInfo[] {
    return [...this.docs.values()].map((d) => d.info).sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  documentHashes(): Record<string, string> {
    return Object.fromEntries([...this.docs.values()].map((d) => [d.info.id, d.hash]));
  }
  documentQuotes(documentId: string, n: number): Quote[] {
    const doc = this.docs.get(documentId);
    if (!doc) return [];
    const sentences = doc.text.match(/[^.]+\./g) ?? [];
    return sentences.slice(0, n).map((s) => this.quote(doc, s.trim()));
  }
}

/** What `Briefing` will be to the scheduler: digest() over composeDigest, plus document hashes. */
export function producerOf(source: DigestSource): DigestProducer & { calls: number } {
  const p = {
    calls: 0,
    async digest(o: { date?: string; previous?: Record<string, string> }): Promise<Digest> {
      p.calls++;
      return composeDigest(source, { date: o.date!, previous: o.previous });
    },
    documentHashes: () => source.documentHashes(),
  };
  return p;
}

export interface PostRecord {
  platform: string;
  channelId: string;
  digest: Digest;
  at: Date;
  messageId: string;
}

/**
 * Records posts. `script` maps a channel to what its next attempts do: an Error to throw, or
 * "hang" (a post that never answers, like a process frozen after its claim).
 */
export class FakePoster implements DigestPoster {
  readonly attempts: { channelId: string; at: Date }[] = [];
  readonly script = new Map<string, (Error | 'hang')[]>();
  private n = 0;
  private onAttempt?: () => void;

  constructor(
    readonly platform: string,
    private readonly clock: { now: () => Date },
    readonly posts: PostRecord[] = [],
  ) {}

  /** Resolves at the next post attempt (lets a test act "between claim and post"). */
  nextAttempt(): Promise<void> {
    return new Promise((resolve) => (this.onAttempt = resolve));
  }

  async post(channelId: string, digest: Digest): Promise<{ messageId: string }> {
    this.attempts.push({ channelId, at: this.clock.now() });
    this.onAttempt?.();
    const next = this.script.get(channelId)?.shift();
    if (next === 'hang') return new Promise(() => undefined);
    if (next) throw next;
    const messageId = `${this.platform}-msg-${++this.n}`;
    this.posts.push({ platform: this.platform, channelId, digest, at: this.clock.now(), messageId });
    return { messageId };
  }
}

/** "HH:MM" of an instant in a zone. */
export function wallClock(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}
