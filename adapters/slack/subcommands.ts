// `/brief` subcommands as a table. `/brief` alone is the entry named "" (today's digest, for the
// asker only), `/brief sources` lists the documents, `/brief help` lists the table, and the
// daily-digest rows (subscribe, unsubscribe, status: digest-subcommands.ts) are added by startSlack
// when there is a scheduler; startSlack(config, deps, { subcommands }) takes a full list instead.
// Anything that is not a subcommand is a question.
import { localDate } from '../../src/digest/schedule.js';
import { BRIEF_COMMAND, type BriefSubcommand } from './brief-subcommand.js';
import { PLATFORM } from './context.js';
import { renderDigest } from './digest-render.js';
import { renderHelp, renderSources, type CommandHelp } from './render.js';

// The digest rows (digest-subcommands.ts) and the tests reach the entry's shape through the table.
export { BRIEF_COMMAND, type BriefCommandContext, type BriefSubcommand } from './brief-subcommand.js';

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
