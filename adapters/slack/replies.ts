// Getting an answer and putting it in front of the user, with the failure path in the same place:
// every failure is logged with its cause and the user gets a short reply instead of silence.
import type { webApi } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import type { Answer, AskOptions } from '../../src/types.js';
import { PLATFORM, topicLabels, type SlackContext } from './context.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { renderAnswer, renderNotice, type AnswerRenderOptions, type SlackMessage } from './render.js';
import { answerMetadata, type AnswerMetadata } from './threads.js';

// poster.ts and digest-subcommands.ts still import the describer from here.
export { describeError };

export const SORRY = 'Sorry, something went wrong on my side while answering. Please try again in a minute.';

export interface PreparedAnswer {
  answer: Answer;
  /** Set when the answer was stored for buttons (not for unusable questions). */
  answerId?: string;
  metadata?: AnswerMetadata;
}

/** Asks the engine and stores the answer so its buttons can find it later. */
export async function prepareAnswer(ctx: SlackContext, question: string, options: AskOptions = {}): Promise<PreparedAnswer> {
  const answer = await ctx.answers.run(() => ctx.briefing.ask(question, options));
  if (answer.error) return { answer };
  const answerId = ctx.feedback.saveAnswer(PLATFORM, answer);
  return { answer, answerId, metadata: answerMetadata(question, answerId) };
}

export function answerMessage(ctx: SlackContext, prepared: PreparedAnswer, options: AnswerRenderOptions = {}): SlackMessage {
  const fallbackSuggestions = prepared.answer.abstained && !prepared.answer.suggestions?.length ? topicLabels(ctx.briefing) : undefined;
  return renderAnswer(prepared.answer, { answerId: prepared.answerId, fallbackSuggestions, ...options });
}

export interface Place {
  channel: string;
  threadTs?: string;
}

/** A message with or without blocks (the placeholder is text alone). */
export type OutgoingMessage = Pick<SlackMessage, 'text'> & Partial<Pick<SlackMessage, 'blocks'>>;

/** chat.postMessage with the settings every bot message shares. */
export function postMessage(client: webApi.WebClient, place: Place, message: OutgoingMessage, metadata?: AnswerMetadata) {
  return client.chat.postMessage({
    channel: place.channel,
    ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(metadata ? { metadata } : {}),
    // Quotes may contain URLs; previews would bury the answer under cards.
    unfurl_links: false,
    unfurl_media: false,
  });
}

/** Runs a last-resort reply; a failure there is logged too, and never thrown. */
export async function tryReply(logger: Logger, what: string, reply: () => Promise<unknown>): Promise<boolean> {
  try {
    await reply();
    return true;
  } catch (err) {
    logger.error({ ...describeError(err), what }, 'slack: could not send the error reply either');
    return false;
  }
}

export const sorryMessage = (): SlackMessage => renderNotice(SORRY);

/**
 * A failure's handling wherever Slack answers: its cause to the log as `logMessage`, then the
 * apology, sent through `send` (in place of a placeholder when `held` names one).
 */
export function replyingSorry<H>(log: Logger, logMessage: string, what: string, send: (message: SlackMessage, held?: H) => Promise<unknown>) {
  return async (err: unknown, held?: H): Promise<void> => {
    log.error(describeError(err), logMessage);
    await tryReply(log, what, () => send(sorryMessage(), held));
  };
}

// Slow answers (LLM mode may take up to OPENAI_TIMEOUT_MS) get a placeholder that later becomes
// the answer (adapters/shared/reply-flow.ts).

/** How long an answer may take before a placeholder is shown. */
export const PLACEHOLDER_AFTER_MS = 1500;
export const WORKING_TEXT = 'Looking through the sources…';

export function placeholderAfterMs(ctx: SlackContext): number {
  return ctx.placeholderAfterMs ?? PLACEHOLDER_AFTER_MS;
}

/** Plain text, no blocks: nothing in it to format, and chat.update later swaps in the answer's blocks. */
export const workingMessage = (): OutgoingMessage => ({ text: escapeMrkdwn(WORKING_TEXT) });

/**
 * chat.update of one of our messages with a whole new message. Metadata only when given: Slack keeps
 * a message's previous metadata when the field is left out, and the placeholder has none.
 */
export function updateMessage(client: webApi.WebClient, target: { channel: string; ts: string }, message: SlackMessage, metadata?: AnswerMetadata) {
  return client.chat.update({
    channel: target.channel,
    ts: target.ts,
    text: message.text,
    blocks: message.blocks,
    ...(metadata ? { metadata } : {}),
  });
}
