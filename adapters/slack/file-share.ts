// A file an editor shares with the bot in a DM is added to the sources: files.info for its name,
// type and private download URL, the download with the bot token (Slack serves url_private only to
// an authorized request), then the SourceDesk, and the outcome in the DM's thread. conversation.ts
// never treats a file share as a question (it drops the subtype), and the event and message are
// claimed in the same ledger as questions, so a redelivered share is added, and answered, once.
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs, webApi } from '@slack/bolt';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { fetchUrl } from '../../src/sources/fetch.js';
import type { SourceDesk } from '../../src/sources/types.js';
import type { Card } from '../shared/card.js';
import { isEditor } from '../shared/editors.js';
import { replyWhenReady } from '../shared/reply-flow.js';
import { addOutcomeCard, FILE_DOWNLOAD_TYPES, isReadableFile, notEditorCard, refusedCard, unreadableFileCard, workingCard } from '../shared/source-card.js';
import { PLATFORM, type SlackContext } from './context.js';
import type { IncomingMessage } from './conversation.js';
import { renderCard } from './render.js';
import { apologize, PLACEHOLDER_AFTER_MS, postMessage, type Place } from './replies.js';
import { logSourceFailure, SLACK_SOURCES } from './source-subcommands.js';

/** Files taken from one message: a share of dozens is a mistake, not a reading list. */
const MAX_FILES = 5;

/** The parts of a `file_share` message event this file reads. */
interface FileShareMessage extends IncomingMessage {
  files?: Array<{ id?: string }>;
}

/** The parts of files.info's `file` this file reads. */
interface SharedFile {
  name?: string;
  title?: string;
  mimetype?: string;
  url_private?: string;
  url_private_download?: string;
}

type EventArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

export function registerFileShares(app: App, ctx: SlackContext): void {
  app.event('message', async (args) => {
    const message = args.event as FileShareMessage;
    if (message.channel_type !== 'im' || message.subtype !== 'file_share' || !message.files?.length) return;
    // Our own uploads and other bots' are never added: only a person hands the bot a source.
    if (message.bot_id || !message.user || message.user === args.context.botUserId) return;
    const desk = ctx.deps.sources;
    if (!desk) return;
    await ctx.answers.run(() => addShared(ctx, args, message, desk));
  });
}

async function addShared(ctx: SlackContext, args: EventArgs, message: FileShareMessage, desk: SourceDesk): Promise<void> {
  const eventId = (args.body as { event_id?: string }).event_id;
  const log = ctx.logger.child({ eventId, channel: message.channel, kind: 'file_share', user: message.user });
  const web = args.client as webApi.WebClient;
  const place: Place = { channel: message.channel, threadTs: message.thread_ts ?? message.ts };
  const keys: [string, string][] = [...(eventId ? [[PLATFORM, eventId] as [string, string]] : []), [`${PLATFORM}:message`, `${message.channel}:${message.ts}`]];
  try {
    if ((await ctx.deliveries.claim(...keys)).kind === 'duplicate') {
      log.info({ ts: message.ts }, 'slack: file share already handled');
      return;
    }
  } catch (err) {
    await apologize(log, 'slack: could not record the file share', err, (sorry) => postMessage(web, place, sorry));
    return;
  }
  const say = (card: Card) => postMessage(web, place, renderCard(card));
  try {
    if (!isEditor(ctx.deps.config.editors, [message.user!])) {
      log.info('slack: file share refused: not an editor');
      await say(notEditorCard(ctx.deps.config.editors));
    } else {
      const token = args.context.botToken ?? web.token ?? '';
      for (const { id } of (message.files ?? []).slice(0, MAX_FILES)) {
        if (id) await addOne(ctx, web, place, log, desk, token, id, `${PLATFORM}:${message.user}`);
      }
    }
  } catch (err) {
    await apologize(log, 'slack: file share failed', err, (sorry) => postMessage(web, place, sorry));
  }
  try {
    await ctx.deliveries.done(...keys);
  } catch (err) {
    log.warn(describeError(err), 'slack: could not update the event ledger');
  }
}

async function addOne(ctx: SlackContext, web: webApi.WebClient, place: Place, log: Logger, desk: SourceDesk, token: string, fileId: string, by: string): Promise<void> {
  let file: SharedFile;
  try {
    file = ((await web.files.info({ file: fileId })).file ?? {}) as SharedFile;
  } catch (err) {
    // Most likely the app lacks files:read (manifest.yml): a setup matter for the log, an apology here.
    logSourceFailure(log, 'file', err);
    await postMessage(web, place, renderCard(refusedCard('file', err)));
    return;
  }
  const name = file.name || file.title || fileId;
  const url = file.url_private_download || file.url_private;
  if (!isReadableFile(name, file.mimetype) || !url) {
    log.info({ fileId, mimetype: file.mimetype }, 'slack: shared file not in a readable format');
    await postMessage(web, place, renderCard(unreadableFileCard(name)));
    return;
  }
  const work = (async () => {
    const fetched = await fetchUrl(url, { accept: FILE_DOWNLOAD_TYPES, headers: { Authorization: `Bearer ${token}` }, allowPrivate: ctx.deps.config.allowPrivateUrls });
    return desk.add({ file: { bytes: fetched.body, name, contentType: file.mimetype || fetched.contentType }, by });
  })();
  await replyWhenReady(work, {
    deadlineMs: ctx.placeholderAfterMs ?? PLACEHOLDER_AFTER_MS,
    hold: () =>
      postMessage(web, place, renderCard(workingCard('file', `“${name}”`))).then(
        (posted) => posted.ts,
        (err: unknown) => {
          log.warn(describeError(err), 'slack: could not post the placeholder; the outcome will follow on its own');
          return undefined;
        },
      ),
    send: async (outcome, held) => {
      await deliver(web, place, held, addOutcomeCard(outcome, SLACK_SOURCES), log);
      log.info({ fileId, outcome: outcome.kind, placeholder: held !== undefined }, 'slack: shared file handled');
    },
    fail: async (err, held) => {
      logSourceFailure(log, 'file', err);
      await deliver(web, place, held, refusedCard('file', err), log);
    },
  });
}

/** In place of the placeholder when there is one, else (or when it cannot be edited) anew. */
async function deliver(web: webApi.WebClient, place: Place, placeholderTs: string | undefined, card: Card, log: Logger): Promise<void> {
  const message = renderCard(card);
  if (placeholderTs) {
    try {
      await web.chat.update({ channel: place.channel, ts: placeholderTs, text: message.text, blocks: message.blocks });
      return;
    } catch (err) {
      log.warn({ ...describeError(err), placeholderTs }, 'slack: could not replace the placeholder; posting the outcome anew');
    }
  }
  await postMessage(web, place, message);
}
