// Mentions in channels and messages in DMs: answered in a thread under the asker's message, with
// the thread's earlier questions as history. Bolt has already acknowledged the event when these
// listeners run (App.processEvent acks Events API requests before dispatch), so the answer may
// take as long as it needs; when it is slow, a placeholder in the thread says the bot is working
// and is then replaced by the answer.
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs, webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import { PLATFORM, type SlackContext } from './context.js';
import { slackToPlain } from './mrkdwn.js';
import type { SlackMessage } from './render.js';
import { replyWhenReady } from '../shared/reply-flow.js';
import {
  answerMessage,
  describeError,
  placeholderAfterMs,
  postMessage,
  prepareAnswer,
  replyingSorry,
  updateMessage,
  workingMessage,
  type Place,
  type PreparedAnswer,
} from './replies.js';
import { earlierQuestions, type AnswerMetadata } from './threads.js';

/** The parts of app_mention and message events this file reads. */
interface IncomingMessage {
  text?: string;
  user?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
  subtype?: string;
  bot_id?: string;
}

export function registerConversation(app: App, ctx: SlackContext): void {
  app.event('app_mention', async (args) => {
    await handle(ctx, args, args.event as IncomingMessage, 'mention');
  });
  app.event('message', async (args) => {
    const message = args.event as IncomingMessage;
    // Only DMs: channel messages reach the bot as app_mention. Edits, deletions and other subtypes
    // are not questions (bot messages go on to be dropped, with a log line, in handle()).
    if (message.channel_type !== 'im') return;
    if (message.subtype && message.subtype !== 'thread_broadcast' && message.subtype !== 'bot_message') return;
    await handle(ctx, args, message, 'dm');
  });
}

type EventArgs = SlackEventMiddlewareArgs<'app_mention' | 'message'> & AllMiddlewareArgs;

async function handle(ctx: SlackContext, args: EventArgs, message: IncomingMessage, kind: 'mention' | 'dm'): Promise<void> {
  const { body, context, client } = args;
  // Our own posts and every other bot's are never answered: two bots answering each other would loop.
  const eventId = (body as { event_id?: string }).event_id;
  if (message.bot_id || message.subtype === 'bot_message' || !message.user || message.user === context.botUserId) {
    ctx.logger.debug({ eventId, botId: message.bot_id, user: message.user }, 'slack: message from a bot ignored');
    return;
  }
  if (eventId && !ctx.seen.claim(PLATFORM, eventId)) {
    ctx.logger.info({ eventId, retryNum: context.retryNum }, 'slack: duplicate event ignored');
    return;
  }
  // One message can arrive as two events (an app_mention and a message.im); answer it once.
  if (!ctx.seen.claim(`${PLATFORM}:message`, `${message.channel}:${message.ts}`)) {
    ctx.logger.info({ eventId, channel: message.channel, ts: message.ts }, 'slack: message already answered via another event');
    return;
  }

  const log = ctx.logger.child({ eventId, channel: message.channel, kind });
  const place = { channel: message.channel, threadTs: message.thread_ts ?? message.ts };
  const web = client as webApi.WebClient;
  const done = await replyWhenReady(answer(ctx, web, message, context, log), {
    deadlineMs: placeholderAfterMs(ctx),
    hold: () => postPlaceholder(web, place, log),
    send: ({ prepared }, placeholderTs) => deliver(web, place, placeholderTs, answerMessage(ctx, prepared), prepared.metadata, log),
    fail: replyingSorry(log, 'slack: answering failed', 'thread reply', (sorry, placeholderTs?: string) => deliver(web, place, placeholderTs, sorry, undefined, log)),
  });
  if (!done) return;
  const { prepared, history } = done.reply;
  log.info({ ms: prepared.answer.ms, abstained: prepared.answer.abstained, quotes: prepared.answer.quotes.length, error: prepared.answer.error, history: history.length, placeholder: done.held !== undefined }, 'slack: answered');
}

/** The thread's earlier questions, then the engine's answer to this one. */
async function answer(ctx: SlackContext, client: webApi.WebClient, message: IncomingMessage, context: EventArgs['context'], log: Logger): Promise<{ prepared: PreparedAnswer; history: string[] }> {
  const question = slackToPlain(message.text ?? '', context.botUserId);
  const history = message.thread_ts
    ? await earlierQuestions(client, { channel: message.channel, threadTs: message.thread_ts, beforeTs: message.ts, botId: context.botId, botUserId: context.botUserId }, log)
    : [];
  const prepared = await prepareAnswer(ctx, question, history.length ? { history } : {});
  return { prepared, history };
}

/** The placeholder's ts, or undefined when it could not be posted (the answer is then posted on its own). */
async function postPlaceholder(client: webApi.WebClient, place: Place, log: Logger): Promise<string | undefined> {
  try {
    const res = await postMessage(client, place, workingMessage());
    return res.ts;
  } catch (err) {
    log.warn(describeError(err), 'slack: could not post the placeholder; the answer will follow on its own');
    return undefined;
  }
}

/**
 * Puts `message` in the thread: in place of the placeholder when there is one, else as a new
 * message. A placeholder that cannot be updated (deleted meanwhile, Slack error) is left as it is
 * and the message is posted anew: a stale "Looking…" line beats an answer that never arrives.
 */
async function deliver(client: webApi.WebClient, place: Place, placeholderTs: string | undefined, message: SlackMessage, metadata: AnswerMetadata | undefined, log: Logger): Promise<void> {
  if (placeholderTs) {
    try {
      await updateMessage(client, { channel: place.channel, ts: placeholderTs }, message, metadata);
      return;
    } catch (err) {
      log.warn({ ...describeError(err), placeholderTs }, 'slack: could not replace the placeholder; posting the reply anew');
    }
  }
  await postMessage(client, place, message, metadata);
}
