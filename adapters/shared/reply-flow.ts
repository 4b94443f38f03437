// The steps every platform takes to answer: reply at once when the answer is ready in time, else
// show that the bot is working (a Slack placeholder, a Discord deferral) and replace that with the
// answer. Offline answers take milliseconds, so they never flicker through the intermediate step.
import { withDeadline } from '../../src/deadline.js';

export interface ReplySteps<R, H> {
  /** How long the work may take before the user is shown that the bot is working. */
  deadlineMs: number;
  /** Shows that the bot is working; resolves to what `send` replaces, or undefined when nothing was shown. */
  hold(): Promise<H | undefined>;
  /** Sends the reply: in place of what `hold` showed when `held` is set. */
  send(reply: R, held: H | undefined): Promise<void>;
  /** The work, `hold` or `send` failed: tells the user, in place of what `hold` showed. */
  fail(err: unknown, held: H | undefined): Promise<void>;
}

/** Resolves once the reply went out, with what it replaced; undefined when it failed and `fail` told the user. */
export async function replyWhenReady<R, H>(work: Promise<R>, steps: ReplySteps<R, H>): Promise<{ reply: R; held: H | undefined } | undefined> {
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
    await steps.fail(err, held);
    return undefined;
  }
}
