// `/brief` subcommands as a table. `/brief` alone is the entry named "" (the overview; the digest
// work may replace it with today's digest), `/brief help` lists the table, and later features
// (subscribe, unsubscribe, status) add rows: startSlack(deps, { subcommands }) takes the full list.
// Anything that is not a subcommand is a question.
import type { SlashCommand, webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import type { BriefingService } from '../../src/service.js';
import type { AdapterDeps } from '../types.js';
import { renderHelp, renderOverview, type CommandHelp, type SlackMessage } from './render.js';

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

export const overviewSubcommand: BriefSubcommand = {
  name: '',
  usage: BRIEF_COMMAND,
  description: 'an overview of what the sources cover, one short quote per topic',
  args: 'none',
  async run({ briefing, reply }) {
    await reply(renderOverview(briefing.overview()));
  },
};

export const helpSubcommand: BriefSubcommand = {
  name: 'help',
  usage: `${BRIEF_COMMAND} help`,
  description: 'what I can do and the topics I know',
  args: 'none',
  async run({ briefing, reply, subcommands }) {
    const commands: CommandHelp[] = [
      { usage: `${BRIEF_COMMAND} QUESTION`, description: 'answers only you, with a button to share the answer in the channel' },
      ...subcommands.map((s) => ({ usage: s.usage, description: s.description })),
    ];
    await reply(renderHelp(briefing.topics(), commands));
  },
};

export function defaultSubcommands(): BriefSubcommand[] {
  return [overviewSubcommand, helpSubcommand];
}

/** The subcommand `text` invokes and its arguments, or undefined when `text` is a question. */
export function matchSubcommand(table: readonly BriefSubcommand[], text: string): { subcommand: BriefSubcommand; args: string } | undefined {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const word = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const args = space < 0 ? '' : trimmed.slice(space).trim();
  const subcommand = table.find((s) => s.name === word);
  if (!subcommand) return undefined;
  if (subcommand.args === 'none' && args) return undefined;
  return { subcommand, args };
}
