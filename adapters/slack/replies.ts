// Getting an answer in front of the user, failures included: each is logged with its cause and the
// user gets a short reply, not silence. A slow answer (LLM mode: up to OPENAI_TIMEOUT_MS) replaces a
// placeholder (adapters/shared/reply-flow.ts); threads and `/brief` differ only in where they reply.
import type { types, webApi } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { MAX_QUESTION_CHARS, type BriefingService } from '../../src/service.js';
import type { Answer } from '../../src/types.js';
import { replyWhenReady } from '../shared/reply-flow.js';
import { PLATFORM, type SlackContext } from './context.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { renderAnswer, renderNotice, type AnswerRenderOptions, type SlackMessage } from './render.js';

export const SORRY = 'Sorry, something went wrong on my side while answering. Please try again in a minute.';
export const WORKING_TEXT = 'Looking through the sources…';
/** How long an answer may take before a placeholder is shown. */
export const PLACEHOLDER_AFTER_MS = 1500;

/** `event_type` of the metadata on an answer: the question it answered, for follow-ups (conversation.ts). */
export const ANSWER_EVENT_TYPE = 'briefbot_answer';

export interface AnswerMetadata {
  event_type: string;
  event_payload: { question: string; answer_id?: string };
}

export function answerMetadata(question: string, answerId: string): AnswerMetadata {
  return { event_type: ANSWER_EVENT_TYPE, event_payload: { question: truncate(question, MAX_QUESTION_CHARS), answer_id: answerId } };
}

export interface PreparedAnswer {
  answer: Answer;
  /** The thread's earlier questions the engine was given. */
  history: string[];
  /** Set when the answer was stored for buttons (not for unusable questions). */
  answerId?: string;
  metadata?: AnswerMetadata;
}

/** Asks the engine and stores the answer so its buttons can find it later. */
export async function prepareAnswer(ctx: SlackContext, question: string, history: string[] = []): Promise<PreparedAnswer> {
  // The engine answers off the event loop (src/workers/answer-pool.ts), so acks never wait on it.
  const answer = await ctx.briefing.ask(question, history.length ? { history } : {});
  if (answer.error) return { answer, history };
  const answerId = await ctx.feedback.saveAnswer(PLATFORM, answer);
  return { answer, history, answerId, metadata: answerMetadata(question, answerId) };
}

export function answerMessage(ctx: SlackContext, { answer, answerId }: Pick<PreparedAnswer, 'answer' | 'answerId'>, options: AnswerRenderOptions = {}): SlackMessage {
  // Answers stored before the engine named suggestions still suggest the topics.
  const bare = answer.abstained && !answer.suggestions?.length && !answer.newestTitles?.length;
  return renderAnswer(bare ? { ...answer, suggestions: topicLabels(ctx.briefing) } : answer, { answerId, ...options });
}

/** Topic labels to suggest when an answer abstains without suggestions of its own. */
function topicLabels(briefing: BriefingService): string[] {
  try {
    return briefing.topics().map((t) => t.label);
  } catch {
    return [];
  }
}

/** Where an answer is shown: `hold` shows the placeholder, `send` puts a message in its place (or anew). */
export interface ReplyPlace<H> {
  hold(placeholder: SlackMessage): Promise<H | undefined>;
  send(message: SlackMessage, held: H | undefined, metadata?: AnswerMetadata): Promise<void>;
  /** The log lines saying how it went. */
  answered: string;
  failed: string;
}

/** Answers through `place`: at once when fast, else replacing a placeholder (with the apology on failure). */
export async function replyWithAnswer<H>(ctx: SlackContext, log: Logger, work: Promise<PreparedAnswer>, place: ReplyPlace<H>, options: AnswerRenderOptions = {}): Promise<void> {
  const done = await replyWhenReady(work, {
    deadlineMs: ctx.placeholderAfterMs ?? PLACEHOLDER_AFTER_MS,
    hold: () =>
      // Plain text, no blocks: nothing in it to format, and the answer later swaps in its blocks.
      place.hold({ text: escapeMrkdwn(WORKING_TEXT), blocks: [] }).catch((err: unknown) => {
        log.warn(describeError(err), 'slack: could not post the placeholder; the answer will follow on its own');
        return undefined;
      }),
    send: (prepared, held) => place.send(answerMessage(ctx, prepared, options), held, prepared.metadata),
    fail: (err, held) => apologize(log, place.failed, err, (sorry) => place.send(sorry, held)),
  });
  if (!done) return;
  const { answer, history } = done.reply;
  log.info({ ms: answer.ms, abstained: answer.abstained, quotes: answer.quotes.length, error: answer.error, history: history.length, placeholder: done.held !== undefined }, place.answered);
}

/** A failure: its cause to the log as `logMessage`, then `apology` to the user, whose own failure is logged too and never thrown. */
export async function apologize(log: Logger, logMessage: string, err: unknown, send: (apology: SlackMessage) => Promise<unknown>, apology = SORRY): Promise<void> {
  log.error(describeError(err), logMessage);
  try {
    await send(renderNotice(apology));
  } catch (second) {
    log.error(describeError(second), 'slack: could not send the error reply either');
  }
}

/** Claims a command or click once by its trigger_id (unique per invocation); false for a replay. */
export async function firstTime(ctx: SlackContext, log: Logger, source: string, triggerId: string | undefined, apologizeWith: (m: SlackMessage) => Promise<unknown>): Promise<boolean> {
  if (!triggerId) return true;
  try {
    const claim = await ctx.deliveries.claim([source, triggerId]);
    if (claim.kind === 'duplicate') log.info({ triggerId }, `${source}: replayed request ignored`);
    else await ctx.deliveries.done([source, triggerId]);
    return claim.kind !== 'duplicate';
  } catch (err) {
    // A ledger that cannot be written gets the person an apology, not silence.
    await apologize(log, `${source}: could not record the request`, err, apologizeWith);
    return false;
  }
}

export type Place = { channel: string; threadTs?: string };

/** chat.postMessage with the settings every bot message shares; a message without blocks is its text alone. */
export function postMessage(client: webApi.WebClient, place: Place, message: SlackMessage, metadata?: types.MessageMetadata) {
  return client.chat.postMessage({
    channel: place.channel,
    ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
    text: message.text,
    ...(message.blocks.length ? { blocks: message.blocks } : {}),
    ...(metadata ? { metadata } : {}),
    // Quotes may contain URLs; previews would bury the answer under cards.
    unfurl_links: false,
    unfurl_media: false,
  });
}
