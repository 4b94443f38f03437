// `/brief add|remove|feed|feeds`: changing the corpus from Slack, for the people on BRIEFBOT_EDITORS,
// through the process's SourceDesk. startSlack adds these rows only when it has one. The words are
// shared (adapters/shared/source-card.ts); Slack's part is reading the arguments (a link arrives as
// `<https://…|label>`, whose address slackToPlain would drop), who may, and the private replies: a
// slow add shows "Adding…" first and the outcome replaces it, like a slow answer.
import { describeError, isUserSafe } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import type { SourceDesk } from '../../src/sources/types.js';
import type { Card } from '../shared/card.js';
import { isEditor } from '../shared/editors.js';
import { replyWhenReady } from '../shared/reply-flow.js';
import {
  addOutcomeCard,
  feedAddedCard,
  feedRemovedCard,
  feedsCard,
  NO_DESK,
  notEditorCard,
  pollCard,
  refusedCard,
  removedCard,
  SOURCE_COMMAND_HELP as HELP,
  usageCard,
  workingCard,
  type SourceAction,
  type SourceDialect,
} from '../shared/source-card.js';
import { BRIEF_COMMAND, PLATFORM, type BriefCommandContext, type BriefSubcommand } from './context.js';
import { escapeMrkdwn, slackLinkTarget } from './mrkdwn.js';
import { renderCard, renderNotice } from './render.js';
import { PLACEHOLDER_AFTER_MS } from './replies.js';

export const ADD_USAGE = `${BRIEF_COMMAND} add URL`;
export const REMOVE_USAGE = `${BRIEF_COMMAND} remove ID`;

export const SLACK_SOURCES: SourceDialect = {
  commands: {
    add: ADD_USAGE,
    remove: REMOVE_USAGE,
    sources: `${BRIEF_COMMAND} sources`,
    feedAdd: `${BRIEF_COMMAND} feed add URL`,
    feeds: `${BRIEF_COMMAND} feeds`,
    feedRemove: `${BRIEF_COMMAND} feed remove ID`,
    poll: `${BRIEF_COMMAND} feed poll`,
  },
  removeDocument: (id) => `${BRIEF_COMMAND} remove ${id}`,
  sendFile: { dm: true },
};

/** The command's own text after its first `n` words, Slack markup and all. */
function rawAfter(text: string | undefined, n: number): string {
  let rest = (text ?? '').trim();
  for (let i = 0; i < n; i++) rest = rest.replace(/^\S+\s*/, '');
  return rest;
}

const by = (ctx: BriefCommandContext) => `${PLATFORM}:${ctx.command.user_id}`;
const show = (ctx: BriefCommandContext, card: Card, replace?: boolean) => ctx.reply(renderCard(card), replace);

export function logSourceFailure(log: Logger, action: SourceAction, err: unknown): void {
  if (isUserSafe(err)) log.info({ action, code: err.code }, 'slack: source command refused');
  else log.error({ action, ...describeError(err) }, 'slack: source command failed');
}

/**
 * Replies with `card(outcome)`, or the refusal; when the work takes longer than the placeholder
 * delay, "working…" is shown first and the outcome replaces it.
 */
async function privately<R>(ctx: BriefCommandContext, action: SourceAction, what: string, work: () => Promise<R> | R, card: (r: R) => Card): Promise<void> {
  await replyWhenReady(Promise.resolve().then(work), {
    deadlineMs: ctx.placeholderAfterMs ?? PLACEHOLDER_AFTER_MS,
    hold: () =>
      show(ctx, workingCard(action, what)).then(
        () => true as const,
        (err: unknown) => {
          ctx.logger.warn(describeError(err), 'slack: could not show the placeholder; the outcome will follow on its own');
          return undefined;
        },
      ),
    send: async (outcome, held) => {
      await show(ctx, card(outcome), held);
      ctx.logger.info({ action, placeholder: held !== undefined }, 'slack: source command done');
    },
    fail: async (err, held) => {
      logSourceFailure(ctx.logger, action, err);
      await show(ctx, refusedCard(action, err), held);
    },
  });
}

type DeskRun = (ctx: BriefCommandContext, desk: SourceDesk) => Promise<void>;

/** Runs `run` for an editor where there is a desk; anyone else gets the polite no. */
async function asEditor(ctx: BriefCommandContext, subcommand: string, run: DeskRun): Promise<void> {
  const desk = ctx.deps.sources;
  if (!desk) return ctx.reply(renderNotice(escapeMrkdwn(NO_DESK)));
  if (!isEditor(ctx.deps.config.editors, [ctx.command.user_id])) {
    ctx.logger.info({ subcommand }, 'slack: source command refused: not an editor');
    return show(ctx, notEditorCard(ctx.deps.config.editors));
  }
  await run(ctx, desk);
}

/** A row that changes the corpus. */
const editorRow = (row: Omit<BriefSubcommand, 'run'>, run: DeskRun): BriefSubcommand => ({ ...row, run: (ctx) => asEditor(ctx, row.name, run) });

const add: DeskRun = async (ctx, desk) => {
  const url = slackLinkTarget(rawAfter(ctx.command.text, 1));
  if (!url) return show(ctx, usageCard('add', SLACK_SOURCES));
  await privately(ctx, 'add', url, () => desk.add({ url, by: by(ctx) }), (outcome) => addOutcomeCard(outcome, SLACK_SOURCES));
};

const remove: DeskRun = async (ctx, desk) => {
  const id = ctx.args.trim();
  if (!id || /\s/.test(id)) return show(ctx, usageCard('remove', SLACK_SOURCES));
  await privately(ctx, 'remove', id, () => desk.remove(id, by(ctx)), removedCard);
};

const listFeeds = async (ctx: BriefCommandContext, desk: SourceDesk) => show(ctx, feedsCard(await desk.feeds(), SLACK_SOURCES));

/** `feed add URL | list | remove ID|URL | poll`; listing needs no editor, the rest do. */
async function feed(ctx: BriefCommandContext): Promise<void> {
  const word = ctx.args.split(/\s+/)[0]?.toLowerCase() ?? '';
  const desk = ctx.deps.sources;
  if (word === 'list' && desk) return listFeeds(ctx, desk);
  await asEditor(ctx, 'feed', async (c, d) => {
    const target = slackLinkTarget(rawAfter(c.command.text, 2));
    switch (word) {
      case 'add':
        if (!target) return show(c, usageCard('feed', SLACK_SOURCES));
        return privately(c, 'feed_add', target, () => d.addFeed(target, by(c)), (r) => feedAddedCard(r, SLACK_SOURCES));
      case 'remove':
        if (!target) return show(c, usageCard('feed', SLACK_SOURCES));
        return privately(c, 'feed_remove', target, () => d.removeFeed(target), (f) => feedRemovedCard(f, target, SLACK_SOURCES));
      case 'poll':
        return privately(c, 'poll', '', () => d.pollFeeds(), (summaries) => pollCard(summaries, SLACK_SOURCES));
      default:
        return show(c, usageCard('feed', SLACK_SOURCES));
    }
  });
}

/** The source rows of the `/brief` table; startSlack adds them when it has a SourceDesk. */
export function sourceSubcommands(): BriefSubcommand[] {
  return [
    editorRow({ name: 'add', usage: ADD_USAGE, description: HELP.addOrShare, args: 'optional' }, add),
    editorRow({ name: 'remove', usage: REMOVE_USAGE, description: HELP.remove, args: 'optional' }, remove),
    { name: 'feed', usage: `${BRIEF_COMMAND} feed add URL | list | remove ID | poll`, description: HELP.feedCommands, args: 'optional', run: feed },
    {
      name: 'feeds',
      usage: `${BRIEF_COMMAND} feeds`,
      description: HELP.feeds,
      args: 'none',
      run: (ctx) => (ctx.deps.sources ? listFeeds(ctx, ctx.deps.sources) : ctx.reply(renderNotice(escapeMrkdwn(NO_DESK)))),
    },
  ];
}
