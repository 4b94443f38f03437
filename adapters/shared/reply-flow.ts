// The steps every platform takes to answer: reply at once when the answer is ready in time, else
// show that the bot is working (Slack posts a placeholder message, Discord defers the interaction)
// and replace that with the answer once it comes. Offline answers take milliseconds, so they never
// show the intermediate step: no flicker, no extra API calls. The platforms supply only their calls.
import { withDeadline } from '../../src/deadline.js';

export interface ReplySteps<R, H> {
  /** How long the work may take before the user is shown that the bot is working. */
  deadlineMs: number;
  /**
   * Shows that the bot is working; resolves to what `send` needs to replace it, or to undefined
   * when nothing could be shown (the reply then goes out on its own).
   */
  hold(): Promise<H | undefined>;
  /** Sends the reply: in place of what `hold` showed when `held` is set. */
  send(reply: R, held: H | undefined): Promise<void>;
  /**
   * The work, `hold` or `send` failed: tells the user, in place of what `hold` showed. Without it
   * the failure rejects, for a caller that reports failures its own way.
   */
  fail?(err: unknown, held: H | undefined): Promise<void>;
}

export interface Replied<R, H> {
  reply: R;
  /** Set when the reply replaced a placeholder or a deferral. */
  held: H | undefined;
}

/** Resolves once the reply went out; undefined when it failed and `fail` told the user. */
export function replyWhenReady<R, H>(work: Promise<R>, steps: ReplySteps<R, H> & Required<Pick<ReplySteps<R, H>, 'fail'>>): Promise<Replied<R, H> | undefined>;
export function replyWhenReady<R, H>(work: Promise<R>, steps: Omit<ReplySteps<R, H>, 'fail'>): Promise<Replied<R, H>>;
export async function replyWhenReady<R, H>(work: Promise<R>, steps: ReplySteps<R, H>): Promise<Replied<R, H> | undefined> {
  let held: H | undefined;
  try {
    const early = await withDeadline(work, steps.deadlineMs);
    let reply: R;
    if (early.done) reply = early.value;
    else {
      held = await steps.hold();
      reply = await work;
    }
    await steps.send(reply, held);
    return { reply, held };
  } catch (err) {
    if (!steps.fail) throw err;
    await steps.fail(err, held);
    return undefined;
  }
}
