// Answers off the event loop (R2.4), and a corpus that changes under a running bot (R2.5). Scoring
// a question takes milliseconds of CPU; on the main thread, twenty at once delayed every Slack ack,
// socket ping and gateway heartbeat behind them. So the engine lives in worker threads (tinypool),
// a generation of them per state of the corpus. The main thread keeps only a snapshot of what is
// cheap and fixed for that state (topics, sources, hashes) and hands everything else over.
//
// A reload builds the next generation beside the running one: its first thread re-indexes what
// changed (the per-document cache makes that the changed files alone) and the others read the
// cache back. Only when all of them are warm does the pool switch; questions already handed to the
// old generation finish there, and then its threads stop. No answer ever waits on a re-index.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { BriefingOptions } from '../briefing.js';
import { corpusState } from '../corpus/state.js';
import type { Digest, DigestOptions } from '../digest/types.js';
import type { BriefingService } from '../service.js';
import type { Answer, AskOptions, SourceInfo, Topic, TopicBriefing } from '../types.js';
import type { AnswerWorkerData, CorpusSnapshot, WorkerTask } from './answer-worker.js';

/** Questions one thread works on at once: an LLM-mode answer mostly waits on the network. */
export const TASKS_PER_THREAD = 4;

/** Threads to answer in: every core but one, which stays with the event loop; at least one. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * The worker's file next to this one: the compiled JavaScript in a build; from the sources, a
 * small module that loads the TypeScript through tsx (answer-worker-tsx.mjs).
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), path.extname(here) === '.ts' ? 'answer-worker-tsx.mjs' : 'answer-worker.js');
}

type PoolOptions = Omit<BriefingOptions, 'logger' | 'rebuild'>;

/** One state of the corpus: its threads, what the main thread keeps of it, and the work still in them. */
interface Generation {
  pool: Tinypool;
  snapshot: CorpusSnapshot;
  /** corpusState() when the generation was built: an unchanged folder needs no new one. */
  state: string;
  inFlight: number;
  retired: boolean;
}

export interface ReloadResult {
  /** False when the folder was as the running generation had it (nothing rebuilt). */
  changed: boolean;
  documents: number;
  chunks: number;
  warnings: CorpusSnapshot['warnings'];
  ms: number;
}

async function startGeneration(options: PoolOptions, logLevel: string, threads: number): Promise<Generation> {
  const state = corpusState(options.corpusDir);
  const workerData: AnswerWorkerData = { options, logLevel };
  const pool = new Tinypool({ filename: workerFile(), workerData, minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: TASKS_PER_THREAD, idleTimeout: Infinity });
  try {
    // One thread opens first and so builds the index cache; the rest then only read it back.
    const snapshot = (await pool.run({ kind: 'snapshot' } satisfies WorkerTask)) as CorpusSnapshot;
    await Promise.all(Array.from({ length: threads - 1 }, () => pool.run({ kind: 'snapshot' } satisfies WorkerTask)));
    return { pool, snapshot, state, inFlight: 0, retired: false };
  } catch (e) {
    await pool.destroy();
    throw e;
  }
}

export class PooledBriefing implements BriefingService {
  private reloading?: Promise<ReloadResult>;
  private queued?: Promise<ReloadResult>;

  private constructor(
    private current: Generation,
    private readonly options: PoolOptions,
    private readonly logLevel: string,
    private readonly threads: number,
  ) {}

  /** Starts the threads (building the index when the cache is stale) and resolves once each is warm: the first person waits on nothing. */
  static async start(options: PoolOptions, logLevel: string, threads = defaultThreads()): Promise<PooledBriefing> {
    return new PooledBriefing(await startGeneration(options, logLevel, threads), options, logLevel, threads);
  }

  /** What the running generation was built from: its documents, chunks and the files it skipped. */
  get snapshot(): CorpusSnapshot {
    return this.current.snapshot;
  }

  private async run<T>(task: WorkerTask): Promise<T> {
    const generation = this.current;
    generation.inFlight += 1;
    try {
      return (await generation.pool.run(task)) as T;
    } finally {
      generation.inFlight -= 1;
      if (generation.retired && generation.inFlight === 0) void generation.pool.destroy();
    }
  }

  ask(question: string, options: AskOptions = {}): Promise<Answer> {
    return this.run<Answer>({ kind: 'ask', question, options: { history: options.history } });
  }

  digest(options?: DigestOptions): Promise<Digest> {
    return this.run<Digest>({ kind: 'digest', options });
  }

  topics(): Topic[] {
    return this.current.snapshot.topics;
  }

  topic(id: string): TopicBriefing | undefined {
    return this.current.snapshot.topicBriefings[id];
  }

  sources(): SourceInfo[] {
    return this.current.snapshot.sources;
  }

  documentHashes(): Record<string, string> {
    return this.current.snapshot.documentHashes;
  }

  /**
   * Takes in the corpus folder as it is now, in the background of any answering. Calls made while
   * one reload runs share the next one, which starts when it ends: each caller's change is in
   * the generation its promise resolves to. A corpus that no longer loads keeps the running one.
   */
  reload(): Promise<ReloadResult> {
    if (!this.reloading) {
      this.reloading = this.swap().finally(() => (this.reloading = undefined));
      return this.reloading;
    }
    this.queued ??= this.reloading
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.reload();
      });
    return this.queued;
  }

  private async swap(): Promise<ReloadResult> {
    const started = performance.now();
    const old = this.current;
    const result = (g: Generation, changed: boolean): ReloadResult => ({ changed, documents: g.snapshot.documents, chunks: g.snapshot.chunks, warnings: g.snapshot.warnings, ms: performance.now() - started });
    if (corpusState(this.options.corpusDir) === old.state) return result(old, false);
    const next = await startGeneration(this.options, this.logLevel, this.threads);
    this.current = next;
    old.retired = true;
    if (old.inFlight === 0) void old.pool.destroy();
    return result(next, true);
  }

  /** Stops the threads; questions still queued are refused. */
  async close(): Promise<void> {
    await this.reloading?.catch(() => undefined);
    this.current.retired = true;
    await this.current.pool.destroy();
  }
}
