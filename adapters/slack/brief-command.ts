// The `/brief` slash command: ack at once (Slack allows 3 s; an answer may take longer), then
// reply through the command's response_url, which reaches the user in any conversation, including
// ones the bot is not a member of. Questions are answered privately with a "Share in channel" button.
import type { App, RespondArguments, SlashCommand, webApi } from '@slack/bolt';
import type { SlackContext } from './context.js';
import { slackToPlain } from './mrkdwn.js';
import type { SlackMessage } from './render.js';
import { answerMessage, describeError, prepareAnswer, sorryMessage, tryReply } from './replies.js';
import { BRIEF_COMMAND, matchSubcommand } from './subcommands.js';

export function registerBriefCommand(app: App, ctx: SlackContext): void {
  app.command(BRIEF_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const log = ctx.logger.child({ command: BRIEF_COMMAND, channel: command.channel_id, user: command.user_id });
    const reply = (message: SlackMessage) => replyPrivately(client, command, respond, message);
    try {
      const text = slackToPlain(command.text ?? '');
      const match = matchSubcommand(ctx.subcommands, text);
      if (match) {
        await match.subcommand.run({ args: match.args, command, reply, client, briefing: ctx.briefing, deps: ctx.deps, logger: log, subcommands: ctx.subcommands });
        log.info({ subcommand: match.subcommand.name || '(overview)' }, 'slack: /brief subcommand done');
        return;
      }
      const prepared = await prepareAnswer(ctx, text);
      await reply(answerMessage(ctx, prepared, { share: true, showQuestion: true }));
      log.info({ ms: prepared.answer.ms, abstained: prepared.answer.abstained, error: prepared.answer.error }, 'slack: /brief answered');
    } catch (err) {
      log.error(describeError(err), 'slack: /brief failed');
      await tryReply(log, '/brief reply', () => reply(sorryMessage()));
    }
  });
}

/**
 * An ephemeral reply: response_url first; if that fails (expired after 30 minutes, used five
 * times), chat.postEphemeral, which works where the bot is a channel member.
 */
async function replyPrivately(client: webApi.WebClient, command: SlashCommand, respond: (m: RespondArguments) => Promise<unknown>, message: SlackMessage): Promise<void> {
  try {
    await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
  } catch (err) {
    await client.chat.postEphemeral({ channel: command.channel_id, user: command.user_id, text: message.text, blocks: message.blocks }).catch((second: unknown) => {
      throw new AggregateError([err, second], `response_url failed (${describeError(err).error}) and chat.postEphemeral failed (${describeError(second).error})`);
    });
  }
}
