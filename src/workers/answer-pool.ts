// Answers off the event loop (R2.4). Scoring a question takes milliseconds of CPU; on the main
// thread, twenty at once delayed every Slack ack, socket ping and gateway heartbeat behind them.
// The bot answers in worker threads (tinypool), each with its own Briefing over the same index
// cache; the main thread keeps its own Briefing for what is cheap and cached (topics, sources, the
// digest) and only hands questions over.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { Briefing, BriefingOptions } from '../briefing.js';
import type { Digest, DigestOptions } from '../digest/types.js';
import type { BriefingService } from '../service.js';
import type { Answer, AskOptions, SourceInfo, Topic, TopicBriefing } from '../types.js';
import type { AnswerWorkerData, AskTask } from './answer-worker.js';

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

export class PooledBriefing implements BriefingService {
  private constructor(
    /** The main thread's engine: topics, sources and digests, which are cached after the first call. */
    readonly local: Briefing,
    private readonly pool: Tinypool,
  ) {}

  /**
   * Starts the worker threads over the index `local` has opened (and so cached) already, and
   * resolves once each has opened and warmed its engine: the first person waits on nothing.
   */
  static async start(local: Briefing, options: Omit<BriefingOptions, 'logger' | 'rebuild'>, logLevel: string, threads = defaultThreads()): Promise<PooledBriefing> {
    const workerData: AnswerWorkerData = { options, logLevel };
    const pool = new Tinypool({ filename: workerFile(), workerData, minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: TASKS_PER_THREAD, idleTimeout: Infinity });
    // An empty question is refused at once, but only after the thread's engine has opened.
    await Promise.all(Array.from({ length: threads }, () => pool.run({ question: '' } satisfies AskTask)));
    return new PooledBriefing(local, pool);
  }

  ask(question: string, options: AskOptions = {}): Promise<Answer> {
    const task: AskTask = { question, options: { history: options.history } };
    return this.pool.run(task) as Promise<Answer>;
  }

  topics(): Topic[] {
    return this.local.topics();
  }

  topic(id: string): TopicBriefing | undefined {
    return this.local.topic(id);
  }

  sources(): SourceInfo[] {
    return this.local.sources();
  }

  documentHashes(): Record<string, string> {
    return this.local.documentHashes();
  }

  digest(options?: DigestOptions): Promise<Digest> {
    return this.local.digest(options);
  }

  /** Stops the threads; questions still queued are refused. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
