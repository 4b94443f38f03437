// What a `/brief` subcommand is and what it is handed. Its own file so that the context every
// handler shares (context.ts) and the table of subcommands (subcommands.ts) can both name it
// without importing each other.
import type { SlashCommand, webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import type { BriefingService } from '../../src/service.js';
import type { AdapterDeps } from '../types.js';
import type { SlackMessage } from './render.js';

export const BRIEF_COMMAND = '/brief';

export interface BriefCommandContext {
  /** The text after the subcommand's name, plain (Slack markup removed). */
  args: string;
  command: SlashCommand;
  /** Replies to the user who typed the command: only they see it. */
  reply(message: SlackMessage): Promise<void>;
  client: webApi.WebClient;
  briefing: BriefingService;
  deps: AdapterDeps;
  logger: Logger;
  /** The whole table, for help. */
  subcommands: readonly BriefSubcommand[];
}

export interface BriefSubcommand {
  /** First word after /brief, lower case; "" for /brief alone. */
  name: string;
  /** For help, e.g. "/brief subscribe [HH:MM]". */
  usage: string;
  description: string;
  /**
   * "none": only the bare word matches, so "/brief help me understand Oman" stays a question.
   * "optional" / "required": the word matches with anything after it.
   */
  args: 'none' | 'optional' | 'required';
  run(ctx: BriefCommandContext): Promise<void>;
}
