// Keeps acks fast while answers are being computed. The offline engine answers with synchronous
// CPU work inside an async call, and chained awaits run as one microtask drain, so twenty questions
// started back to back would hold the event loop until all twenty are done, and every request that
// arrived meanwhile (each needing an ack within Slack's 3 s) would wait behind them. Here each
// answer starts in its own macrotask (setImmediate), after the poll phase has taken in and
// acknowledged whatever requests are waiting, one start per turn of the event loop, and only a few
// run at once: enough to overlap the network waits of LLM mode, few enough that acks never queue
// behind a crowd of answers.

/** Answers in progress at once; more wait their turn (in arrival order). */
export const DEFAULT_ANSWER_CONCURRENCY = 4;

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
