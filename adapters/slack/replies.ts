// Getting an answer and putting it in front of the user, with the failure path in the same place:
// every failure is logged with its cause and the user gets a short reply instead of silence.
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import type { Answer, AskOptions } from '../../src/types.js';
import { PLATFORM, topicLabels, type SlackContext } from './context.js';
import { renderAnswer, renderNotice, type AnswerRenderOptions, type SlackMessage } from './render.js';
import { answerMetadata, type AnswerMetadata } from './threads.js';

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

/** chat.postMessage with the settings every bot message shares. */
export function postMessage(client: webApi.WebClient, place: Place, message: SlackMessage, metadata?: AnswerMetadata) {
  return client.chat.postMessage({
    channel: place.channel,
    ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
    text: message.text,
    blocks: message.blocks,
    ...(metadata ? { metadata } : {}),
    // Quotes may contain URLs; previews would bury the answer under cards.
    unfurl_links: false,
    unfurl_media: false,
  });
}

/** The loggable cause of a Web API or other failure: never a token, never a whole request. */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: String(err) };
  const e = err as Error & { code?: string; data?: { error?: string }; statusCode?: number };
  return {
    error: e.message,
    ...(e.code ? { code: e.code } : {}),
    ...(e.data?.error ? { slackError: e.data.error } : {}),
    ...(e.statusCode ? { status: e.statusCode } : {}),
  };
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
