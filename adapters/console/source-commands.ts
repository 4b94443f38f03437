// `briefbot add`, `briefbot remove` and `briefbot feeds`: the editable corpus from a terminal. The
// person at the terminal owns the folder, so no editors list applies. The desk here has no running
// index to tell: a `briefbot start` on the same folder takes the change in through its watcher, and
// otherwise the next start does. A refusal is one line on stderr and exit status 2.
import { userInfo } from 'node:os';
import { UsageError, type CliContext, type Command } from '../../src/cli.js';
import { isUserSafe } from '../../src/errors.js';
import { CorpusDesk } from '../../src/sources/desk.js';
import { Library } from '../../src/sources/library.js';
import { openStores } from '../../src/store/stores.js';
import type { Card } from '../shared/card.js';
import { addOutcomeCard, feedAddedCard, feedRemovedCard, feedsCard, pollCard, refusedCard, removedCard, usageCard, type SourceAction, type SourceDialect } from '../shared/source-card.js';

export const TERMINAL_SOURCES: SourceDialect = {
  commands: {
    add: 'briefbot add URL|PATH',
    remove: 'briefbot remove ID',
    sources: 'briefbot sources',
    feedAdd: 'briefbot feeds add URL',
    feeds: 'briefbot feeds list',
    feedRemove: 'briefbot feeds remove ID',
    poll: 'briefbot feeds poll',
  },
  removeDocument: (id) => `briefbot remove ${id}`,
  sendFile: { attach: 'briefbot add PATH' },
};

/** A card as terminal lines: its title, its lead, then each item; code marks (backticks) dropped. */
export function cardLines(card: Card): string {
  const items = card.items.map((i) => `  ${i.name}: ${i.detail}${i.extra ? `\n    ${i.extra}` : ''}`);
  return [card.title, card.lead, ...items].filter(Boolean).join('\n').replace(/`/g, '');
}

function who(): string {
  try {
    return `terminal:${userInfo().username}`;
  } catch {
    return 'terminal';
  }
}

async function deskFor(ctx: CliContext): Promise<{ desk: CorpusDesk; close(): Promise<void> }> {
  const stores = await openStores(ctx.config);
  const desk = new CorpusDesk({ library: new Library({ corpusDir: ctx.config.corpusDir, allowPrivate: ctx.config.allowPrivateUrls }), feeds: stores.feeds, allowPrivate: ctx.config.allowPrivateUrls, logger: ctx.logger });
  return { desk, close: () => stores.close() };
}

/** Runs one desk call and prints its card; a user-safe refusal is one line on stderr (status 2), anything else is rethrown for the CLI's own report. */
async function withDesk(ctx: CliContext, action: SourceAction, run: (desk: CorpusDesk) => Promise<Card>): Promise<number> {
  const { desk, close } = await deskFor(ctx);
  try {
    ctx.stdout(`${cardLines(await run(desk))}\n`);
    return 0;
  } catch (err) {
    if (!isUserSafe(err)) throw err;
    ctx.stderr(`briefbot: ${cardLines(refusedCard(action, err))}\n`);
    return 2;
  } finally {
    await close();
  }
}

const add: Command = async (ctx) => {
  const target = ctx.args.join(' ').trim();
  if (!target) throw new UsageError(cardLines(usageCard('add', TERMINAL_SOURCES)));
  const request = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? { url: target, by: who() } : { path: target, by: who() };
  return withDesk(ctx, 'add', async (desk) => addOutcomeCard(await desk.add(request), TERMINAL_SOURCES));
};

const remove: Command = async (ctx) => {
  const id = ctx.args.join(' ').trim();
  if (!id) throw new UsageError(cardLines(usageCard('remove', TERMINAL_SOURCES)));
  return withDesk(ctx, 'remove', async (desk) => removedCard(await desk.remove(id, who())));
};

const feeds: Command = async (ctx) => {
  const [sub, ...rest] = ctx.args;
  const arg = rest.join(' ').trim();
  switch (sub) {
    case 'add':
      if (!arg) break;
      return withDesk(ctx, 'feed_add', async (desk) => feedAddedCard(await desk.addFeed(arg, who()), TERMINAL_SOURCES));
    case 'list':
    case undefined:
      return withDesk(ctx, 'feed_add', async (desk) => feedsCard(await desk.feeds(), TERMINAL_SOURCES));
    case 'remove':
      if (!arg) break;
      return withDesk(ctx, 'feed_remove', async (desk) => feedRemovedCard(await desk.removeFeed(arg), arg, TERMINAL_SOURCES));
    case 'poll':
      return withDesk(ctx, 'poll', async (desk) => pollCard(await desk.pollFeeds(), TERMINAL_SOURCES));
  }
  throw new UsageError(cardLines(usageCard('feed', TERMINAL_SOURCES)));
};

export const SOURCE_COMMANDS: Record<string, Command> = { add, remove, feeds };
