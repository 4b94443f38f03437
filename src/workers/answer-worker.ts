// A worker thread's engine: one Briefing, opened from the index cache on the thread's first task
// (the first thread of a generation builds what changed; the others then read it back), answering
// what the pool hands it (answer-pool.ts). Everything it returns is plain data, so it crosses back
// to the main thread by structured clone as it is.
//
// The engine's modules are imported only once the thread has lowered its priority (below): a
// thread starts at its creator's, the event loop's, and loading the engine is some hundreds of
// milliseconds of CPU that, at that priority, took its core from the generation still answering.
import { setPriority } from 'node:os';
import Tinypool from 'tinypool';
import type { Briefing, BriefingOptions } from '../briefing.js';
import type { CorpusWarning } from '../corpus/load.js';
import type { Digest, DigestOptions } from '../digest/types.js';
import type { Answer, AskOptions, SourceInfo, Topic, TopicBriefing } from '../types.js';

export interface AnswerWorkerData {
  options: Omit<BriefingOptions, 'logger' | 'rebuild'>;
  logLevel: string;
}

/** What the main thread keeps of a generation's engine: the cheap, fixed parts of BriefingService. */
export interface CorpusSnapshot {
  topics: Topic[];
  topicBriefings: Record<string, TopicBriefing>;
  sources: SourceInfo[];
  documentHashes: Record<string, string>;
  warnings: CorpusWarning[];
  documents: number;
  chunks: number;
}

export type WorkerTask =
  | { kind: 'ask'; question: string; options?: AskOptions }
  | { kind: 'digest'; options?: DigestOptions }
  | { kind: 'snapshot' };

// Tinypool keeps its own data in node:worker_threads' workerData; ours is here.
const data = Tinypool.workerData as AnswerWorkerData;

/** Niceness of an answer thread: scoring yields the CPU to the event loop's acks and heartbeats. */
export const ANSWER_THREAD_NICENESS = 10;
/** Niceness while the thread builds and warms its engine: a re-index yields to the answering generation. */
export const BUILD_THREAD_NICENESS = 19;

// On Linux the nice value is a per-thread attribute (setpriority(2), "Linux/NPTL"), and libuv's
// uv_os_setpriority(0, ...) sets it for the calling thread: this thread, not the main one. Elsewhere
// it would lower the whole process, so it is left alone.
function nice(value: number): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(value);
  } catch {
    // Not permitted (raising priority back needs CAP_SYS_NICE or RLIMIT_NICE): the thread still answers, only lower.
  }
}

nice(BUILD_THREAD_NICENESS);
let answering = false;

let engine: Promise<Briefing> | undefined;

function briefing(): Promise<Briefing> {
  engine ??= (async () => {
    const [{ Briefing }, { createLogger }] = await Promise.all([import('../briefing.js'), import('../log.js')]);
    return Briefing.open({ ...data.options, logger: createLogger(data.logLevel), warmUp: true, logWarnings: false });
  })();
  return engine;
}

function snapshot(b: Briefing): CorpusSnapshot {
  const topics = b.topics();
  const topicBriefings: Record<string, TopicBriefing> = {};
  for (const t of topics) {
    const briefing = b.topic(t.id);
    if (briefing) topicBriefings[t.id] = briefing;
  }
  const { documents, chunks } = b.index.stats;
  return { topics, topicBriefings, sources: b.sources(), documentHashes: b.documentHashes(), warnings: b.warnings, documents, chunks };
}

export default async function run(task: WorkerTask): Promise<Answer | Digest | CorpusSnapshot> {
  const b = await briefing();
  if (task.kind !== 'snapshot' && !answering) {
    // The pool hands a generation questions only once it has taken over.
    answering = true;
    nice(ANSWER_THREAD_NICENESS);
  }
  if (task.kind === 'ask') return b.ask(task.question, task.options);
  if (task.kind === 'digest') return b.digest(task.options);
  return snapshot(b);
}
