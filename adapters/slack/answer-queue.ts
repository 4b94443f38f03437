// Keeps acks fast: the work after an ack (the event's claim, the engine call, the reply) starts in
// its own macrotask, one start per event-loop turn, after the poll phase has read and acked every
// request waiting; and only a few run at once. The engine itself answers on worker threads
// (src/workers/answer-pool.ts); this bounds what is left on the main thread between two acks.

/** Answers in progress at once; more wait their turn (in arrival order). */
export const DEFAULT_ANSWER_CONCURRENCY = 2;

export class AnswerQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private pumping = false;

  constructor(private readonly concurrency = DEFAULT_ANSWER_CONCURRENCY) {}

  /** Runs `job` once a slot is free, never in the caller's tick; waiting jobs start in arrival order. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
    try {
      return await job();
    } finally {
      this.running -= 1;
      this.pump();
    }
  }

  /**
   * Starts at most one job per turn of the event loop: a setImmediate scheduled from a setImmediate
   * runs in the next turn, after the poll phase, so incoming requests are read (and acked) between
   * any two answer starts.
   */
  private pump(): void {
    if (this.pumping || !this.waiting.length || this.running >= this.concurrency) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      if (this.running < this.concurrency) {
        const start = this.waiting.shift();
        if (start) {
          this.running += 1;
          start();
        }
      }
      this.pump();
    });
  }

  /** Jobs started and not finished, and jobs waiting: for logs and tests. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
