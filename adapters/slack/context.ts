// What every Slack handler needs and what a `/brief` subcommand is and is handed: in one file so
// that brief-command.ts, digest-subcommands.ts and the context name them without import circles.
import type { SlashCommand, webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import type { BriefingService } from '../../src/service.js';
import type { FeedbackStore } from '../../src/store/feedback.js';
import type { Deliveries } from '../../src/store/deliveries.js';
import type { AnswerQueue } from './answer-queue.js';
import type { AdapterDeps } from '../types.js';
import type { SlackMessage } from './render.js';

export const PLATFORM = 'slack';
export const BRIEF_COMMAND = '/brief';

export interface SlackContext {
  deps: AdapterDeps;
  briefing: BriefingService;
  logger: Logger;
  /** Events, commands and clicks already handled: each is answered once (src/store/deliveries.ts). */
  deliveries: Deliveries;
  feedback: FeedbackStore;
  /** The work after an ack runs through here, one start per event-loop turn (answer-queue.ts). */
  answers: AnswerQueue;
  subcommands: BriefSubcommand[];
  /** How long an answer may take before "Looking through the sources…" is shown (replies.ts). */
  placeholderAfterMs?: number;
}

export interface BriefCommandContext {
  /** The text after the subcommand's name, plain (Slack markup removed). */
  args: string;
  command: SlashCommand;
  /** Replies to the user who typed the command: only they see it. `replace`: in place of the previous reply (a placeholder). */
  reply(message: SlackMessage, replace?: boolean): Promise<void>;
  client: webApi.WebClient;
  briefing: BriefingService;
  deps: AdapterDeps;
  logger: Logger;
  /** The whole table, for help. */
  subcommands: readonly BriefSubcommand[];
  /** How long slow work may take before a placeholder is shown (SlackContext.placeholderAfterMs). */
  placeholderAfterMs?: number;
}

export interface BriefSubcommand {
  /** First word after /brief, lower case; "" for /brief alone. */
  name: string;
  /** For help, e.g. "/brief subscribe [HH:MM]". */
  usage: string;
  description: string;
  /** "none": only the bare word matches, so "/brief help me understand Oman" stays a question. */
  args: 'none' | 'optional';
  run(ctx: BriefCommandContext): Promise<void>;
}
