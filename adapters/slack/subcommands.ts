// `/brief` subcommands as a table. `/brief` alone is the entry named "" (today's digest, for the
// asker only), `/brief sources` lists the documents, `/brief help` lists the table, and the daily-digest rows (subscribe, unsubscribe,
// status: digest-subcommands.ts) are added by startSlack when there is a scheduler;
// startSlack(deps, { subcommands }) takes a full list instead. Anything that is not a subcommand
// is a question.
import type { SlashCommand, webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import { localDate } from '../../src/digest/schedule.js';
import type { BriefingService } from '../../src/service.js';
import type { AdapterDeps } from '../types.js';
import { PLATFORM } from './context.js';
import { renderDigest } from './digest-render.js';
import { renderHelp, renderOverview, renderSources, type CommandHelp, type SlackMessage } from './render.js';

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

/**
 * `/brief` alone: today's digest, only for the asker. In a subscribed channel it is the channel's
 * own (dated in its zone, "New since" its last digest); elsewhere it is dated in DIGEST_TZ.
 */
export const todayDigestSubcommand: BriefSubcommand = {
  name: '',
  usage: BRIEF_COMMAND,
  description: 'today’s briefing digest, shown only to you',
  args: 'none',
  async run({ briefing, reply, command, deps }) {
    const sub = deps.scheduler?.subscriptions.get(PLATFORM, command.channel_id);
    const digest = await briefing.digest({ date: localDate(new Date(), sub?.timeZone ?? deps.config.digest.tz), previous: sub?.lastHashes });
    const note = sub
      ? 'Only you can see this. This channel gets it every day; `/brief status` shows when.'
      : `Only you can see this. \`${BRIEF_COMMAND} subscribe\` posts it in this channel every day.`;
    await reply(renderDigest(digest, { note }));
  },
};

export const overviewSubcommand: BriefSubcommand = {
  name: '',
  usage: BRIEF_COMMAND,
  description: 'an overview of what the sources cover, one short quote per topic',
  args: 'none',
  async run({ briefing, reply }) {
    await reply(renderOverview(briefing.overview()));
  },
};

export const sourcesSubcommand: BriefSubcommand = {
  name: 'sources',
  usage: `${BRIEF_COMMAND} sources`,
  description: 'the documents I quote from, newest first, with outlet and date (only you see it)',
  args: 'none',
  async run({ briefing, reply }) {
    await reply(renderSources(briefing.sources()));
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
  return [todayDigestSubcommand, sourcesSubcommand, helpSubcommand];
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
