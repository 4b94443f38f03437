// Mentions in channels and DMs, answered in a thread. Bolt acked the event before these listeners run
// (App.processEvent acks Events API requests before dispatch), so an answer may take its time.
// Follow-ups: each answer carries its question in message metadata (replies.ts), and a later question
// reads the thread back (conversations.replies) for history: Slack stays the record, surviving
// restarts, and only the bot's own answers count, so chatter in the thread never leaks into a query.
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs, webApi } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { PLATFORM, type SlackContext } from './context.js';
import { slackToPlain } from './mrkdwn.js';
import type { SlackMessage } from './render.js';
import { ANSWER_EVENT_TYPE, apologize, postMessage, prepareAnswer, replyWithAnswer, type AnswerMetadata, type Place } from './replies.js';

/** Earlier questions passed to the engine: enough to resolve "that", few enough to stay on topic. */
const MAX_HISTORY = 3;

/** The parts of app_mention and message events the conversation (and a file share) reads. */
export interface IncomingMessage {
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
    // are not questions (bot messages go on to be dropped, with a log line, in handle()); a file
    // share, its text included, is a source to add (file-share.ts), never a question too.
    if (message.channel_type !== 'im') return;
    if (message.subtype && message.subtype !== 'thread_broadcast' && message.subtype !== 'bot_message') return;
    await handle(ctx, args, message, 'dm');
  });
}

type EventArgs = SlackEventMiddlewareArgs<'app_mention' | 'message'> & AllMiddlewareArgs;

async function handle(ctx: SlackContext, args: EventArgs, message: IncomingMessage, kind: 'mention' | 'dm'): Promise<void> {
  const { body, context } = args;
  // Our own posts and every other bot's are never answered: two bots answering each other would loop.
  const eventId = (body as { event_id?: string }).event_id;
  if (message.bot_id || message.subtype === 'bot_message' || !message.user || message.user === context.botUserId) {
    ctx.logger.debug({ eventId, botId: message.bot_id, user: message.user }, 'slack: message from a bot ignored');
    return;
  }
  // The rest waits its turn (answer-queue.ts): requests still unread are acked first.
  await ctx.answers.run(() => answerInThread(ctx, args, message, kind, eventId));
}

async function answerInThread(ctx: SlackContext, args: EventArgs, message: IncomingMessage, kind: 'mention' | 'dm', eventId: string | undefined): Promise<void> {
  const { context, client } = args;
  const log = ctx.logger.child({ eventId, channel: message.channel, kind });
  const place = { channel: message.channel, threadTs: message.thread_ts ?? message.ts };
  const web = client as webApi.WebClient;
  // The event, and the message behind it (one message can arrive as an app_mention and a
  // message.im), are claimed once; a claim a crashed process left is finished here, in its placeholder.
  const keys: [string, string][] = [...(eventId ? [[PLATFORM, eventId] as [string, string]] : []), [`${PLATFORM}:message`, `${message.channel}:${message.ts}`]];
  let resumed: string | undefined;
  try {
    const claim = await ctx.deliveries.claim(...keys);
    if (claim.kind === 'duplicate') {
      log.info({ retryNum: context.retryNum, ts: message.ts }, claim.source === PLATFORM ? 'slack: duplicate event ignored' : 'slack: message already answered via another event');
      return;
    }
    if (claim.kind === 'resume') resumed = claim.placeholder ?? '';
  } catch (err) {
    // The ledger cannot be written (disk full, a broken DATA_DIR): say so rather than go silent.
    await apologize(log, 'slack: could not record the event', err, (sorry) => postMessage(web, place, sorry));
    return;
  }
  if (resumed !== undefined) log.info({ placeholder: resumed || undefined }, 'slack: finishing an answer a stopped process left');
  const record = async (what: () => Promise<void>) => {
    try {
      await what();
    } catch (err) {
      log.warn(describeError(err), 'slack: could not update the event ledger');
    }
  };
  const work = earlierQuestions(web, message, context, log).then((history) => prepareAnswer(ctx, slackToPlain(message.text ?? '', context.botUserId), history));
  await replyWithAnswer(ctx, log, work, {
    hold: async (placeholder) => {
      if (resumed) return resumed;
      const { ts } = await postMessage(web, place, placeholder);
      if (ts) await record(() => ctx.deliveries.hold(ts, ...keys));
      return ts;
    },
    send: async (reply, placeholderTs, metadata) => {
      await deliver(web, place, placeholderTs ?? (resumed || undefined), reply, metadata, log);
      // Answered only once it is delivered: a crash before this line leaves the claim to be resumed.
      await record(() => ctx.deliveries.done(...keys));
    },
    answered: 'slack: answered',
    failed: 'slack: answering failed',
  });
}

// The questions this bot answered in the thread before `message`, oldest first. A failed lookup
// (missing scope, deleted thread) is logged and yields no history rather than no answer.
async function earlierQuestions(client: webApi.WebClient, message: IncomingMessage, context: EventArgs['context'], log: Logger): Promise<string[]> {
  if (!message.thread_ts) return [];
  let messages: Array<Record<string, unknown>>;
  try {
    const res = await client.conversations.replies({ channel: message.channel, ts: message.thread_ts, include_all_metadata: true, limit: 200 });
    messages = (res.messages ?? []) as Array<Record<string, unknown>>;
  } catch (err) {
    log.warn({ ...describeError(err), channel: message.channel, threadTs: message.thread_ts }, 'slack: could not read thread history; answering without it');
    return [];
  }
  const questions: string[] = [];
  for (const m of messages) {
    const ts = typeof m.ts === 'string' ? m.ts : '';
    if (!ts || !tsBefore(ts, message.ts)) continue;
    const ours = (context.botId !== undefined && m.bot_id === context.botId) || (context.botUserId !== undefined && m.user === context.botUserId);
    const meta = m.metadata as Partial<AnswerMetadata> | undefined;
    if (!ours || meta?.event_type !== ANSWER_EVENT_TYPE) continue;
    const q = meta.event_payload?.question;
    if (typeof q === 'string' && q.trim() && questions[questions.length - 1] !== q) questions.push(q);
  }
  return questions.slice(-MAX_HISTORY);
}

/** Slack ts ("1700000000.000100") order without float rounding. */
function tsBefore(a: string, b: string): boolean {
  const [as, au = ''] = a.split('.');
  const [bs, bu = ''] = b.split('.');
  if (as.length !== bs.length) return as.length < bs.length;
  if (as !== bs) return as < bs;
  return au.padEnd(6, '0') < bu.padEnd(6, '0');
}

// Puts `message` in place of the placeholder, else in a new message. A placeholder that cannot be
// updated is left as it is: a stale "Looking…" line beats an answer that never arrives.
async function deliver(client: webApi.WebClient, place: Place, placeholderTs: string | undefined, message: SlackMessage, metadata: AnswerMetadata | undefined, log: Logger): Promise<void> {
  if (placeholderTs) {
    try {
      // Metadata only when given: Slack keeps a message's previous metadata when the field is left
      // out, and the placeholder has none.
      await client.chat.update({ channel: place.channel, ts: placeholderTs, text: message.text, blocks: message.blocks, ...(metadata ? { metadata } : {}) });
      return;
    } catch (err) {
      log.warn({ ...describeError(err), placeholderTs }, 'slack: could not replace the placeholder; posting the reply anew');
    }
  }
  await postMessage(client, place, message, metadata);
}
