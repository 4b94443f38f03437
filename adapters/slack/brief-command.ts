// The `/brief` slash command: ack at once (Slack allows 3 s; an answer may take longer), then
// reply through the command's response_url, which reaches the user in any conversation, including
// ones the bot is not a member of. Questions are answered privately with a "Share in channel" button;
// a slow answer is preceded by a private "Looking through the sources…" that the answer replaces.
import type { App, RespondArguments, SlashCommand, webApi } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { replyWhenReady } from '../shared/reply-flow.js';
import type { SlackContext } from './context.js';
import { slackToPlain } from './mrkdwn.js';
import { answerMessage, placeholderAfterMs, prepareAnswer, replyingSorry, workingMessage, type OutgoingMessage } from './replies.js';
import { BRIEF_COMMAND, matchSubcommand } from './subcommands.js';

type Respond = (m: RespondArguments) => Promise<unknown>;

export function registerBriefCommand(app: App, ctx: SlackContext): void {
  app.command(BRIEF_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const log = ctx.logger.child({ command: BRIEF_COMMAND, channel: command.channel_id, user: command.user_id });
    // Once a placeholder went out, the reply replaces it rather than adding a message under it.
    const reply = (message: OutgoingMessage, replace?: boolean) => replyPrivately(client, command, respond, message, replace);
    const fail = replyingSorry(log, 'slack: /brief failed', '/brief reply', reply);
    const text = slackToPlain(command.text ?? '');
    const match = matchSubcommand(ctx.subcommands, text);
    if (match) {
      try {
        await match.subcommand.run({ args: match.args, command, reply, client, briefing: ctx.briefing, deps: ctx.deps, logger: log, subcommands: ctx.subcommands });
        log.info({ subcommand: match.subcommand.name || '(digest)' }, 'slack: /brief subcommand done');
      } catch (err) {
        await fail(err);
      }
      return;
    }
    const done = await replyWhenReady(prepareAnswer(ctx, text), {
      deadlineMs: placeholderAfterMs(ctx),
      hold: () => sendPlaceholder(reply, log),
      send: (prepared, replace) => reply(answerMessage(ctx, prepared, { share: true, showQuestion: true }), replace),
      fail,
    });
    if (done) log.info({ ms: done.reply.answer.ms, abstained: done.reply.answer.abstained, error: done.reply.answer.error, placeholder: done.held !== undefined }, 'slack: /brief answered');
  });
}

/** True when the placeholder went out; a failure is logged and the answer simply follows on its own. */
async function sendPlaceholder(reply: (message: OutgoingMessage) => Promise<void>, log: Logger): Promise<true | undefined> {
  try {
    await reply(workingMessage());
    return true;
  } catch (err) {
    log.warn(describeError(err), 'slack: could not send the /brief placeholder; the answer will follow on its own');
    return undefined;
  }
}

/**
 * An ephemeral reply: response_url first; if that fails (expired after 30 minutes, used five
 * times), chat.postEphemeral, which works where the bot is a channel member.
 *
 * `replace` sends `replace_original: true`, which Slack documents for response_urls ("can also be
 * used to update the original interactive message, regardless of whether it was an ephemeral
 * message or not", api.slack.com/messaging/modifying). Some report that a slash command's own
 * response_url posts a second ephemeral message instead (slackapi/bolt-js#2287,
 * slackapi/bolt-python#1268); the answer still arrives then, under the placeholder. An ephemeral
 * message cannot be edited over the Web API, so the chat.postEphemeral fallback always adds one.
 */
async function replyPrivately(client: webApi.WebClient, command: SlashCommand, respond: Respond, message: OutgoingMessage, replace = false): Promise<void> {
  try {
    await respond({ response_type: 'ephemeral', ...(replace ? { replace_original: true } : {}), text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
  } catch (err) {
    await client.chat.postEphemeral({ channel: command.channel_id, user: command.user_id, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) }).catch((second: unknown) => {
      throw new AggregateError([err, second], `response_url failed (${describeError(err).error}) and chat.postEphemeral failed (${describeError(second).error})`);
    });
  }
}
