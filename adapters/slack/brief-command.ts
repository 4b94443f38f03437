// The `/brief` slash command: ack at once (Slack allows 3 s; an answer may take longer), then reply
// through the response_url, which reaches the user even where the bot is not a member. Subcommands are
// a table: `/brief` alone is the entry "", and startSlack adds the digest rows (digest-subcommands.ts)
// when there is a scheduler. Anything else is a question, answered privately with a share button.
import type { App, RespondFn, SlashCommand, webApi } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import { todaysDigest } from '../shared/channel-digest.js';
import { isEditor } from '../shared/editors.js';
import { BRIEF_COMMAND, PLATFORM, type BriefSubcommand, type SlackContext } from './context.js';
import { slackToPlain } from './mrkdwn.js';
import { renderDigest, renderHelp, renderSources, type SlackMessage } from './render.js';
import { apologize, firstTime, prepareAnswer, replyWithAnswer, type ReplyPlace } from './replies.js';
import { REMOVE_USAGE } from './source-subcommands.js';

const FAILED = 'slack: /brief failed';

export function registerBriefCommand(app: App, ctx: SlackContext): void {
  app.command(BRIEF_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const log = ctx.logger.child({ command: BRIEF_COMMAND, channel: command.channel_id, user: command.user_id });
    if (!(await firstTime(ctx, log, 'slack:command', command.trigger_id, (sorry) => respond({ response_type: 'ephemeral', ...sorry })))) return;
    // Once a placeholder went out, the reply replaces it rather than adding a message under it.
    const reply = (message: SlackMessage, replace?: boolean) => replyPrivately(client, command, respond, message, replace);
    const text = slackToPlain(command.text ?? '');
    const match = matchSubcommand(ctx.subcommands, text);
    if (!match) {
      const privately: ReplyPlace<true> = { hold: (placeholder) => reply(placeholder).then(() => true), send: reply, answered: 'slack: /brief answered', failed: FAILED };
      await replyWithAnswer(ctx, log, prepareAnswer(ctx, text), privately, { share: true, showQuestion: true });
      return;
    }
    try {
      await match.subcommand.run({ args: match.args, command, reply, client, briefing: ctx.briefing, deps: ctx.deps, logger: log, subcommands: ctx.subcommands, placeholderAfterMs: ctx.placeholderAfterMs });
      log.info({ subcommand: match.subcommand.name || '(digest)' }, 'slack: /brief subcommand done');
    } catch (err) {
      await apologize(log, FAILED, err, reply);
    }
  });
}

// An ephemeral reply: response_url first; if that fails (expired after 30 minutes, used five times),
// chat.postEphemeral, which works where the bot is a member. Slack documents `replace_original` for
// response_urls, ephemeral or not (api.slack.com/messaging/modifying), but some see a slash command's
// own response_url post a second message (slackapi/bolt-js#2287, slackapi/bolt-python#1268): the
// answer then lands under the placeholder, as it always does through chat.postEphemeral (an ephemeral
// message cannot be edited over the Web API).
async function replyPrivately(client: webApi.WebClient, command: SlashCommand, respond: RespondFn, message: SlackMessage, replace = false): Promise<void> {
  try {
    await respond({ response_type: 'ephemeral', ...(replace ? { replace_original: true } : {}), text: message.text, ...(message.blocks.length ? { blocks: message.blocks } : {}) });
  } catch (err) {
    await client.chat.postEphemeral({ channel: command.channel_id, user: command.user_id, text: message.text, ...(message.blocks.length ? { blocks: message.blocks } : {}) }).catch((second: unknown) => {
      throw new AggregateError([err, second], `response_url failed (${describeError(err).error}) and chat.postEphemeral failed (${describeError(second).error})`);
    });
  }
}

/** `/brief` alone: today's digest for the asker; a subscribed channel's own (its zone, "New since" its last), else in DIGEST_TZ. */
const todayDigestSubcommand: BriefSubcommand = {
  name: '',
  usage: BRIEF_COMMAND,
  description: 'today’s briefing digest, shown only to you',
  args: 'none',
  async run({ briefing, reply, command, deps }) {
    const { digest, subscription } = await todaysDigest({ briefing, scheduler: deps.scheduler, platform: PLATFORM, channelId: command.channel_id, timeZone: deps.config.digest.tz });
    const note = subscription
      ? 'Only you can see this. This channel gets it every day; `/brief status` shows when.'
      : `Only you can see this. \`${BRIEF_COMMAND} subscribe\` posts it in this channel every day.`;
    await reply(renderDigest(digest, { note }));
  },
};

const sourcesSubcommand: BriefSubcommand = {
  name: 'sources',
  usage: `${BRIEF_COMMAND} sources`,
  description: 'the documents I quote from, newest first, with outlet and date (only you see it)',
  args: 'none',
  async run({ briefing, reply, deps, command }) {
    // Editors get the ids that `/brief remove` takes; everyone else the plain list.
    const editing = deps.sources && isEditor(deps.config.editors, [command.user_id]);
    await reply(renderSources(briefing.sources(), editing ? { removeCommand: REMOVE_USAGE } : {}));
  },
};

const helpSubcommand: BriefSubcommand = {
  name: 'help',
  usage: `${BRIEF_COMMAND} help`,
  description: 'what I can do and the topics I know',
  args: 'none',
  async run({ briefing, reply, subcommands }) {
    const question = { usage: `${BRIEF_COMMAND} QUESTION`, description: 'answers only you, with a button to share the answer in the channel' };
    await reply(renderHelp(briefing.topics(), [question, ...subcommands]));
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
