// `/sources`: the documents briefbot quotes from, and for the editors (BRIEFBOT_EDITORS: user or role
// ids) adding and removing them and their feeds through the process's SourceDesk. The command is
// registered with Manage Server as its default permission, so only managers see it unless a server
// admin widens it; the editors list is checked on top, since Discord lets admins hand the command to
// anyone. The words are shared (adapters/shared/source-card.ts); slow adds are deferred by the handler.
import { PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { describeError, isUserSafe } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { fetchUrl } from '../../src/sources/fetch.js';
import type { AddRequest, SourceDesk } from '../../src/sources/types.js';
import { sourcesCard, type Card } from '../shared/card.js';
import { isEditor } from '../shared/editors.js';
import {
  addOutcomeCard,
  feedAddedCard,
  feedRemovedCard,
  feedsCard,
  FILE_DOWNLOAD_TYPES,
  isReadableFile,
  NO_DESK,
  notEditorCard,
  pollCard,
  refusedCard,
  removedCard,
  SOURCE_COMMAND_HELP as HELP,
  unreadableFileCard,
  usageCard,
  type SourceAction,
  type SourceDialect,
} from '../shared/source-card.js';
import type { AdapterDeps } from '../types.js';
import { PLATFORM } from './config.js';
import { clip } from './limits.js';
import { cardMessages } from './render.js';
import { problem, type Reply, type SlashCommand } from './slash-command.js';

/** Discord allows 25 autocomplete choices, each value at most 100 characters. */
const MAX_CHOICES = 25;
const CHOICE_MAX = 100;

export const DISCORD_SOURCES: SourceDialect = {
  commands: {
    add: '/sources add url:',
    remove: '/sources remove id:',
    sources: '/sources list',
    feedAdd: '/sources feed url:',
    feeds: '/sources feeds',
    feedRemove: '/sources feed-remove feed:',
    poll: '/sources poll',
  },
  removeDocument: (id) => `/sources remove id:${id}`,
  sendFile: { attach: '/sources add file:' },
};

/** Discord shows descriptions as sentences; the shared help is written to follow a colon. */
const described = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const reply = (card: Card, ephemeral?: boolean): Reply => ({ messages: cardMessages(card), ephemeral });

/** The member's own id and, in a server, its role ids: a role on the editors list makes its members editors. */
export function editorIds(interaction: ChatInputCommandInteraction): string[] {
  const roles = interaction.member?.roles;
  const roleIds = !roles ? [] : Array.isArray(roles) ? roles : [...roles.cache.keys()];
  return [interaction.user.id, ...roleIds];
}

function logFailure(log: Logger, action: SourceAction, err: unknown): void {
  if (isUserSafe(err)) log.info({ action, code: err.code }, 'discord /sources refused');
  else log.error({ action, error: describeError(err) }, 'discord /sources failed');
}

/** Runs `work`, wording its outcome with `card`, a refusal or failure with the shared refusal. */
async function attempt<R>(log: Logger, action: SourceAction, work: () => Promise<R> | R, card: (r: R) => Card): Promise<Reply> {
  try {
    return reply(card(await work()));
  } catch (err) {
    logFailure(log, action, err);
    return reply(refusedCard(action, err), true);
  }
}

/** `/sources add url:` or `file:` (one of the two): the file is downloaded here, the desk reads it. */
async function add(interaction: ChatInputCommandInteraction, deps: AdapterDeps, desk: SourceDesk, log: Logger): Promise<Reply> {
  const url = interaction.options.getString('url')?.trim();
  const file = interaction.options.getAttachment('file');
  if (!url === !file) return reply(usageCard('add', DISCORD_SOURCES), true);
  const by = `${PLATFORM}:${interaction.user.id}`;
  if (url) return attempt(log, 'add', () => desk.add({ url, by }), (o) => addOutcomeCard(o, DISCORD_SOURCES));
  const name = file!.name;
  const declared = file!.contentType ?? undefined;
  if (!isReadableFile(name, declared)) return reply(unreadableFileCard(name), true);
  const request = async (): Promise<AddRequest> => {
    const fetched = await fetchUrl(file!.url, { accept: FILE_DOWNLOAD_TYPES, allowPrivate: deps.config.allowPrivateUrls });
    return { file: { bytes: fetched.body, name, contentType: declared ?? fetched.contentType }, by };
  };
  return attempt(log, 'file', async () => desk.add(await request()), (o) => addOutcomeCard(o, DISCORD_SOURCES));
}

async function runEdit(sub: string, interaction: ChatInputCommandInteraction, deps: AdapterDeps, desk: SourceDesk, log: Logger): Promise<Reply> {
  const by = `${PLATFORM}:${interaction.user.id}`;
  switch (sub) {
    case 'add':
      return add(interaction, deps, desk, log);
    case 'remove': {
      const id = interaction.options.getString('id')?.trim();
      if (!id) return reply(usageCard('remove', DISCORD_SOURCES), true);
      return attempt(log, 'remove', () => desk.remove(id, by), removedCard);
    }
    case 'feed': {
      const url = interaction.options.getString('url')?.trim();
      if (!url) return reply(usageCard('feed', DISCORD_SOURCES), true);
      return attempt(log, 'feed_add', () => desk.addFeed(url, by), (r) => feedAddedCard(r, DISCORD_SOURCES));
    }
    case 'feed-remove': {
      const which = interaction.options.getString('feed')?.trim();
      if (!which) return reply(usageCard('feed', DISCORD_SOURCES), true);
      return attempt(log, 'feed_remove', () => desk.removeFeed(which), (feed) => feedRemovedCard(feed, which, DISCORD_SOURCES));
    }
    case 'poll':
      return attempt(log, 'poll', () => desk.pollFeeds(), (summaries) => pollCard(summaries, DISCORD_SOURCES));
    default:
      return reply(usageCard('feed', DISCORD_SOURCES), true);
  }
}

export const sources: SlashCommand = {
  name: 'sources',
  definition: () =>
    new SlashCommandBuilder()
      .setName('sources')
      .setDescription('The documents briefbot quotes from; editors add and remove them and their feeds here')
      // Changing what the whole server is briefed from is a manager's call; admins can widen it in Server Settings > Integrations.
      .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
      .addSubcommand((s) => s.setName('list').setDescription(described(HELP.list)))
      .addSubcommand((s) =>
        s
          .setName('add')
          .setDescription(described(HELP.add))
          .addStringOption((o) => o.setName('url').setDescription(described(HELP.addUrl)).setMaxLength(2000))
          .addAttachmentOption((o) => o.setName('file').setDescription(described(HELP.addFile))),
      )
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription(described(HELP.remove))
          .addStringOption((o) => o.setName('id').setDescription(described(HELP.removeId)).setRequired(true).setAutocomplete(true).setMaxLength(500)),
      )
      .addSubcommand((s) =>
        s
          .setName('feed')
          .setDescription(described(HELP.feed))
          .addStringOption((o) => o.setName('url').setDescription(described(HELP.feedUrl)).setRequired(true).setMaxLength(2000)),
      )
      .addSubcommand((s) => s.setName('feeds').setDescription(described(HELP.feeds)))
      .addSubcommand((s) =>
        s
          .setName('feed-remove')
          .setDescription(described(HELP.feedRemove))
          .addStringOption((o) => o.setName('feed').setDescription(described(HELP.feedRemoveWhich)).setRequired(true).setMaxLength(2000)),
      )
      .addSubcommand((s) => s.setName('poll').setDescription(described(HELP.poll)))
      .toJSON(),
  // The list is for the channel, as it always was; editing and its refusals concern only the editor.
  isPrivate: (interaction) => (interaction.options.getSubcommand(false) ?? 'list') !== 'list',
  async run(interaction, deps) {
    // No subcommand: a registration from before `/sources` had any, which listed the documents.
    const sub = interaction.options.getSubcommand(false) ?? 'list';
    const desk = deps.sources;
    const editor = isEditor(deps.config.editors, editorIds(interaction));
    if (sub === 'list') return reply(sourcesCard(deps.briefing.sources(), desk && editor ? { removeCommand: DISCORD_SOURCES.commands.remove } : {}));
    if (!desk) return problem(NO_DESK);
    if (sub === 'feeds') return reply(feedsCard(await desk.feeds(), DISCORD_SOURCES));
    const log = deps.logger.child({ command: 'sources', subcommand: sub, user: interaction.user.id });
    if (!editor) {
      log.info('discord /sources refused: not an editor');
      return reply(notEditorCard(deps.config.editors), true);
    }
    return runEdit(sub, interaction, deps, desk, log);
  },
  // Document ids are paths: picking one beats typing it.
  autocomplete(interaction, deps) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== 'id') return [];
    const typed = String(focused.value).toLowerCase();
    return deps.briefing
      .sources()
      .filter((s) => s.id.length <= CHOICE_MAX && (s.id.toLowerCase().includes(typed) || s.title.toLowerCase().includes(typed)))
      .slice(0, MAX_CHOICES)
      .map((s) => ({ name: clip(`${s.title} — ${s.id}`, CHOICE_MAX), value: s.id }));
  },
};
