// Button clicks under an answer, acked before any work: 👍 / 👎 (stored, then shown on the buttons)
// and "Share in channel" (a private /brief answer made public). Ephemeral messages cannot be edited
// with chat.update and their payload has no blocks: they are re-rendered through the response_url.
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, RespondFn, SlackActionMiddlewareArgs, types } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import type { Vote } from '../../src/store/feedback.js';
import type { SlackContext } from './context.js';
import { ACTION_FEEDBACK_DOWN, ACTION_FEEDBACK_UP, ACTION_SHARE, renderNotice, withVotes, type SlackMessage } from './render.js';
import { answerMessage, answerMetadata, apologize, firstTime, postMessage, SORRY } from './replies.js';

const GONE = 'That answer is no longer stored, so I cannot record this. Ask again to get a fresh one.';

type Click = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function registerActions(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(new RegExp(`^(${ACTION_FEEDBACK_UP}|${ACTION_FEEDBACK_DOWN})$`), onClick(ctx, 'feedback', SORRY, onFeedback));
  app.action<BlockAction<ButtonAction>>(ACTION_SHARE, onClick(ctx, 'share', 'Sorry, I could not share that answer. Please try again in a minute.', onShare));
}

/** Acks the click, then runs `handle`; a failure is logged and the clicker gets `apology`. */
function onClick(ctx: SlackContext, name: string, apology: string, handle: (ctx: SlackContext, click: Click, log: Logger) => Promise<void>) {
  return async (click: Click) => {
    await click.ack();
    const log = ctx.logger.child({ action: click.action.action_id, user: click.body.user.id });
    // A click replayed (the same signed request sent again) does its work once: one share, one vote.
    if (!(await firstTime(ctx, log, 'slack:action', click.body.trigger_id, (sorry) => privately(click.respond, sorry)))) return;
    try {
      await handle(ctx, click, log);
    } catch (err) {
      await apologize(log, `slack: ${name} failed`, err, (message) => privately(click.respond, message), apology);
    }
  };
}

/** A new ephemeral message for the clicker, leaving the clicked one as it is. */
const privately = (respond: RespondFn, message: SlackMessage) => respond({ response_type: 'ephemeral', replace_original: false, ...message });

async function onFeedback(ctx: SlackContext, { body, action, client, respond }: Click, log: Logger) {
  const vote: Vote = action.action_id === ACTION_FEEDBACK_UP ? 'up' : 'down';
  const answerId = action.value ?? '';
  const votes = await ctx.feedback.record(answerId, body.user.id, vote);
  const stored = votes && (await ctx.feedback.getAnswer(answerId));
  if (!votes || !stored) {
    await privately(respond, renderNotice(GONE));
    return;
  }
  log.info({ answerId, vote, up: votes.up, down: votes.down }, 'slack: feedback stored');
  const message = body.message as { ts?: string; text?: string; blocks?: types.KnownBlock[] } | undefined;
  if (body.container?.is_ephemeral || !message?.ts || !body.channel?.id) {
    // Only the asker sees a private /brief answer, so it keeps its share button.
    await respond({ replace_original: true, ...answerMessage(ctx, { answer: stored.answer, answerId }, { share: true, showQuestion: true, votes }) });
    return;
  }
  const fresh = () => answerMessage(ctx, { answer: stored.answer, answerId }, { votes });
  const blocks = message.blocks?.length ? withVotes(message.blocks, answerId, votes) : fresh().blocks;
  await client.chat.update({ channel: body.channel.id, ts: message.ts, text: message.text ?? fresh().text, blocks });
}

async function onShare(ctx: SlackContext, { body, action, client, respond }: Click, log: Logger) {
  const answerId = action.value ?? '';
  const stored = await ctx.feedback.getAnswer(answerId);
  if (!stored) {
    await privately(respond, renderNotice(GONE));
    return;
  }
  const prepared = { answer: stored.answer, answerId };
  const publicMessage = answerMessage(ctx, prepared, { showQuestion: true });
  const channel = body.channel?.id;
  let posted = false;
  if (channel) {
    try {
      await postMessage(client, { channel }, publicMessage, answerMetadata(stored.question, answerId));
      posted = true;
    } catch (err) {
      // Not a member, or a DM between two people: the response_url can still post there.
      log.warn(describeError(err), 'slack: chat.postMessage for share failed; using the response_url');
    }
  }
  if (!posted) await respond({ response_type: 'in_channel', replace_original: false, ...publicMessage });
  await respond({ replace_original: true, ...answerMessage(ctx, prepared, { showQuestion: true, note: 'Shared in the channel.' }) });
  log.info({ answerId, via: posted ? 'chat.postMessage' : 'response_url' }, 'slack: answer shared');
}
