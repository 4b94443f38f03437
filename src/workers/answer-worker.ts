// A worker thread's engine: one Briefing opened from the index cache the main thread has built,
// answering the questions the pool hands it (answer-pool.ts). Answers are plain data, so they
// cross back to the main thread by structured clone as they are.
import { setPriority } from 'node:os';
import Tinypool from 'tinypool';
import { Briefing, type BriefingOptions } from '../briefing.js';
import { createLogger } from '../log.js';
import type { Answer, AskOptions } from '../types.js';

export interface AnswerWorkerData {
  options: Omit<BriefingOptions, 'logger' | 'rebuild'>;
  logLevel: string;
}

export interface AskTask {
  question: string;
  options?: AskOptions;
}

// Tinypool keeps its own data in node:worker_threads' workerData; ours is here.
const data = Tinypool.workerData as AnswerWorkerData;

/** Niceness of an answer thread: scoring yields the CPU to the event loop's acks and heartbeats. */
export const ANSWER_THREAD_NICENESS = 10;
// On Linux the nice value is a per-thread attribute (setpriority(2), "Linux/NPTL"), and libuv's
// uv_os_setpriority(0, ...) sets it for the calling thread: this thread, not the main one. Elsewhere
// it would lower the whole process, so it is left alone.
if (process.platform === 'linux') {
  try {
    setPriority(ANSWER_THREAD_NICENESS);
  } catch {
    // Not permitted (a container without CAP_SYS_NICE may refuse): the threads still answer.
  }
}
// Opened once per thread, on the first task (the pool starts its threads at once, so this runs
// while the main thread finishes starting), warm before a person's question reaches it.
const briefing = Briefing.open({ ...data.options, logger: createLogger(data.logLevel), warmUp: true, logWarnings: false });

export default async function ask(task: AskTask): Promise<Answer> {
  return (await briefing).ask(task.question, task.options);
}
