// Follow-ups in a thread. Each answer the bot posts carries the question it answered in Slack
// message metadata; a later question in the same thread reads the thread back
// (conversations.replies with include_all_metadata) and passes those questions as history. Slack
// stays the record, so this survives restarts and a second process with no state of our own, and
// only the bot's own answers count: other people's chatter in the thread never leaks into a query.
import type { webApi } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import { truncate } from './mrkdwn.js';

export const ANSWER_EVENT_TYPE = 'briefbot_answer';
/** Earlier questions passed to the engine: enough to resolve "that", few enough to stay on topic. */
export const MAX_HISTORY = 3;

export interface AnswerMetadata {
  event_type: string;
  event_payload: { question: string; answer_id?: string };
}

export function answerMetadata(question: string, answerId?: string): AnswerMetadata {
  return { event_type: ANSWER_EVENT_TYPE, event_payload: { question: truncate(question, MAX_QUESTION_CHARS), ...(answerId ? { answer_id: answerId } : {}) } };
}

/** Slack ts ("1700000000.000100") order without float rounding. */
export function tsBefore(a: string, b: string): boolean {
  const [as, au = ''] = a.split('.');
  const [bs, bu = ''] = b.split('.');
  if (as.length !== bs.length) return as.length < bs.length;
  if (as !== bs) return as < bs;
  return au.padEnd(6, '0') < bu.padEnd(6, '0');
}

export interface ThreadRef {
  channel: string;
  threadTs: string;
  /** The message being answered; only answers before it count. */
  beforeTs: string;
  botId?: string;
  botUserId?: string;
}

/**
 * The questions this bot answered earlier in a thread, oldest first (at most MAX_HISTORY).
 * A failed lookup (missing scope, deleted thread, Slack error) is logged and yields no history:
 * the question is still answered on its own rather than not at all.
 */
export async function earlierQuestions(client: webApi.WebClient, ref: ThreadRef, logger: Logger): Promise<string[]> {
  let messages: Array<Record<string, unknown>>;
  try {
    const res = await client.conversations.replies({ channel: ref.channel, ts: ref.threadTs, include_all_metadata: true, limit: 200 });
    messages = (res.messages ?? []) as Array<Record<string, unknown>>;
  } catch (err) {
    logger.warn({ ...describeError(err), channel: ref.channel, threadTs: ref.threadTs }, 'slack: could not read thread history; answering without it');
    return [];
  }
  const questions: string[] = [];
  for (const m of messages) {
    const ts = typeof m.ts === 'string' ? m.ts : '';
    if (!ts || !tsBefore(ts, ref.beforeTs)) continue;
    const ours = (ref.botId !== undefined && m.bot_id === ref.botId) || (ref.botUserId !== undefined && m.user === ref.botUserId);
    const meta = m.metadata as Partial<AnswerMetadata> | undefined;
    if (!ours || meta?.event_type !== ANSWER_EVENT_TYPE) continue;
    const q = meta.event_payload?.question;
    if (typeof q === 'string' && q.trim() && questions[questions.length - 1] !== q) questions.push(q);
  }
  return questions.slice(-MAX_HISTORY);
}
