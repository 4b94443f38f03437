// Button clicks under an answer: 👍 / 👎 (stored, then acknowledged by updating the buttons) and
// "Share in channel" (posts a private /brief answer publicly). Clicks are acked before any work.
// Ephemeral messages cannot be edited with chat.update and their payload carries no blocks, so
// they are re-rendered from the stored answer through the click's response_url.
import type { App, BlockAction, ButtonAction, RespondFn, types, webApi } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import type { Vote } from '../../src/store/feedback.js';
import type { SlackContext } from './context.js';
import { ACTION_FEEDBACK_DOWN, ACTION_FEEDBACK_UP, ACTION_SHARE, renderNotice, withVotes } from './render.js';
import { answerMessage, postMessage, sorryMessage, tryReply } from './replies.js';
import { answerMetadata } from './threads.js';

const GONE = 'That answer is no longer stored, so I cannot record this. Ask again to get a fresh one.';

export function registerActions(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(new RegExp(`^(${ACTION_FEEDBACK_UP}|${ACTION_FEEDBACK_DOWN})$`), async ({ ack, body, action, client, respond }) => {
    await ack();
    const log = ctx.logger.child({ action: action.action_id, user: body.user.id });
    try {
      await onFeedback(ctx, body, action, client, respond, log);
    } catch (err) {
      log.error(describeError(err), 'slack: feedback failed');
      await tryReply(log, 'feedback reply', () => respond({ response_type: 'ephemeral', replace_original: false, ...sorryMessage() }));
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION_SHARE, async ({ ack, body, action, client, respond }) => {
    await ack();
    const log = ctx.logger.child({ action: action.action_id, user: body.user.id });
    try {
      await onShare(ctx, body, action, client, respond, log);
    } catch (err) {
      log.error(describeError(err), 'slack: share failed');
      await tryReply(log, 'share reply', () => respond({ response_type: 'ephemeral', replace_original: false, ...renderNotice('Sorry, I could not share that answer. Please try again in a minute.') }));
    }
  });
}

async function onFeedback(ctx: SlackContext, body: BlockAction<ButtonAction>, action: ButtonAction, client: webApi.WebClient, respond: RespondFn, log: Logger) {
  const vote: Vote = action.action_id === ACTION_FEEDBACK_UP ? 'up' : 'down';
  const answerId = action.value ?? '';
  const votes = ctx.feedback.record(answerId, body.user.id, vote);
  const stored = votes && ctx.feedback.getAnswer(answerId);
  if (!votes || !stored) {
    await respond({ response_type: 'ephemeral', replace_original: false, ...renderNotice(GONE) });
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

async function onShare(ctx: SlackContext, body: BlockAction<ButtonAction>, action: ButtonAction, client: webApi.WebClient, respond: RespondFn, log: Logger) {
  const answerId = action.value ?? '';
  const stored = ctx.feedback.getAnswer(answerId);
  if (!stored) {
    await respond({ response_type: 'ephemeral', replace_original: false, ...renderNotice(GONE) });
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
