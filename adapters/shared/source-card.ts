// Every sentence of adding to and removing from the corpus in the chat (R2.5 "Adding from the
// chat"): what was added, what was already there, what was removed, the feeds, who may do it, and
// why something was refused. The SourceDesk hands over outcomes and user-safe CodedErrors; the words
// are made here, once, and each platform lays the Card out (Slack: render.ts, Discord: cardMessages).
import { isUserSafe } from '../../src/errors.js';
import type { AddOutcome, FeedInfo, FeedPollSummary, RemovedSource } from '../../src/sources/types.js';
import { listedByline } from '../../src/text/attribution.js';
import { formatDay } from '../../src/text/dates.js';
import { counted, type Card } from './card.js';

/** The source commands as people type them on one platform, for the pointers in our sentences. */
export interface SourceDialect {
  commands: {
    /** "/brief add URL" */
    add: string;
    /** "/brief remove ID" */
    remove: string;
    /** Lists the documents with their ids: "/brief sources". */
    sources: string;
    feedAdd: string;
    feeds: string;
    feedRemove: string;
    poll: string;
  };
  /** The command that removes document `id`, ready to paste. */
  removeDocument(id: string): string;
  /** How a file is added on this platform: shared in a direct message, or attached to a command. */
  sendFile: { dm: true } | { attach: string };
}

/** What was being done when a refusal or failure came, for the sentence that reports it. */
export type SourceAction = 'add' | 'file' | 'remove' | 'feed_add' | 'feed_remove' | 'poll';

/** The formats a shared or attached file may have: the extractor reads these and nothing else. */
export const READABLE_FILES = 'HTML pages (.html, .htm), PDFs (.pdf), Markdown (.md) and text files (.txt)';
// The same formats as names and types, next to the sentence that lists them so the two never drift.
const READABLE_EXTENSIONS = new Set(['html', 'htm', 'pdf', 'md', 'markdown', 'txt']);
const READABLE_TYPES = ['text/html', 'application/xhtml+xml', 'application/pdf', 'text/markdown', 'text/x-markdown', 'text/plain'];
/** What a file download may answer with: the readable types, and the generic ones file servers send for any upload. */
export const FILE_DOWNLOAD_TYPES: readonly string[] = [...READABLE_TYPES, 'application/octet-stream', 'binary/octet-stream'];

/** A file `add` can read: by its extension, or, when the name has none, by the type the platform declares. */
export function isReadableFile(name: string, contentType?: string): boolean {
  const ext = /\.([a-z0-9]+)$/i.exec(name.trim())?.[1]?.toLowerCase();
  if (ext) return READABLE_EXTENSIONS.has(ext);
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return READABLE_TYPES.includes(type);
}

/** What each command does, for help and command descriptions (Discord allows 100 characters). */
export const SOURCE_COMMAND_HELP = {
  add: 'add an article to the sources: a web page, a PDF, Markdown or text (editors)',
  addOrShare: 'add an article to the sources: a web page, a PDF, Markdown or text; to add a file, share it with me in a direct message (editors)',
  addFile: 'a file to add: HTML, PDF, Markdown or text',
  addUrl: 'the address of the article, PDF or text file',
  remove: 'remove a document from the sources by its id (editors)',
  removeId: 'the document’s id, as the list of sources shows it',
  list: 'the documents I quote from, newest first, with their ids',
  feed: 'follow an RSS or Atom feed: its new articles are added (editors)',
  feedCommands: 'RSS and Atom feeds whose new articles are added: follow one, list them, stop one, check them now (editors)',
  feedUrl: 'the feed’s address',
  feeds: 'the feeds I follow: address, last check, last error',
  feedRemove: 'stop following a feed, by its id or address (editors)',
  feedRemoveWhich: 'the feed’s id or address, as the list of feeds shows it',
  poll: 'check every feed now and add its new articles (editors)',
} as const;

const empty = { quotes: [], numbered: false, items: [], notes: [] };
const line = (lead: string, tone: Card['tone'] = 'answer'): Card => ({ ...empty, tone, lead });

/** "12 KB", "3.4 KB": the size of the Markdown file written. */
export function kilobytes(bytes: number): string {
  const kb = bytes / 1024;
  return `${kb < 10 ? Math.max(0.1, Math.round(kb * 10) / 10) : Math.round(kb)} KB`;
}

/** "10 Mar 2026 14:05 UTC" for an ISO instant; the string as given when it is not one. */
export function checkedAt(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const day = formatDay(t.toISOString().slice(0, 10));
  return `${day} ${t.toISOString().slice(11, 16)} UTC`;
}

/** A sentence from a message someone else wrote: ends in a full stop unless it ends already. */
const sentence = (text: string) => {
  const t = text.trim();
  return /[.!?…)”"]$/.test(t) ? t : `${t}.`;
};

const liveNote = (live: boolean, now: string, later: string) => (live ? now : later);

/** The reply to an `add`: what the document is now, or which one already has it. */
export function addOutcomeCard(outcome: AddOutcome, d: SourceDialect): Card {
  if (outcome.kind === 'duplicate') {
    const why = outcome.why === 'same_url' ? 'it comes from the same address' : 'it has the same text';
    return line(`Already in the sources: “${outcome.title}” (\`${outcome.id}\`); ${why}. Nothing was added.`, 'caveat');
  }
  const a = outcome.added;
  const sections = a.sections.length ? a.sections.join('; ') : 'none found';
  return {
    ...empty,
    tone: 'answer',
    title: `Added to the sources: ${a.title}`,
    lead: liveNote(outcome.live, 'I answer from it now.', 'It is saved; I answer from it once the index is rebuilt (at the next start).'),
    items: [
      { name: 'Outlet and date', detail: listedByline(a.source, a.published) },
      ...(a.url ? [{ name: 'Address', detail: a.url }] : []),
      { name: `Sections (${a.sections.length})`, detail: sections },
      { name: 'Size', detail: kilobytes(a.bytes) },
      { name: 'Id', detail: `\`${a.id}\`; \`${d.removeDocument(a.id)}\` removes it` },
    ],
  };
}

export function removedCard(removed: RemovedSource): Card {
  const after = liveNote(removed.live, 'I no longer quote it.', 'I stop quoting it once the index is rebuilt (at the next start).');
  return line(`Removed “${removed.title}” (\`${removed.id}\`) from the sources. ${after}`);
}

/** The polite no for someone not on the editors list; an empty list means nobody may edit here. */
export function notEditorCard(editors: readonly string[]): Card {
  if (!editors.length) {
    return line('Sorry, nobody can add or remove sources from the chat yet: editors are set with BRIEFBOT_EDITORS. Please ask whoever runs briefbot.', 'problem');
  }
  return line('Sorry, only the editors can add or remove sources and feeds. Please ask one of the editors to do it for you.', 'problem');
}

const DOING: Record<SourceAction, { refused: string; failed: string; unchanged: string }> = {
  add: { refused: 'I could not add that', failed: 'adding that', unchanged: 'Nothing was added' },
  file: { refused: 'I could not add that file', failed: 'adding that file', unchanged: 'Nothing was added' },
  remove: { refused: 'I could not remove that', failed: 'removing that', unchanged: 'Nothing was removed' },
  feed_add: { refused: 'I could not follow that feed', failed: 'adding that feed', unchanged: 'No feed was added' },
  feed_remove: { refused: 'I could not stop that feed', failed: 'removing that feed', unchanged: 'Nothing was changed' },
  poll: { refused: 'I could not check the feeds', failed: 'checking the feeds', unchanged: 'Articles added before the failure stay in the sources' },
};

/**
 * A refusal the person can act on (a user-safe CodedError: its message was written for them) shown
 * as it is; anything else is a generic apology, its cause left to the log.
 */
export function refusedCard(action: SourceAction, err: unknown): Card {
  const w = DOING[action];
  if (isUserSafe(err)) return line(`${w.refused}: ${sentence(err.message)} ${w.unchanged}.`, 'problem');
  return line(`Sorry, something went wrong on my side while ${w.failed}. ${w.unchanged}; please try again in a minute.`, 'problem');
}

/** Shown while slow work runs (fetching, reading and re-indexing take seconds); `what`: the link, file, id or feed. */
export function workingCard(action: SourceAction, what: string): Card {
  switch (action) {
    case 'add':
    case 'file':
      return line(`Adding ${what}… fetching, reading and indexing it can take a few seconds.`);
    case 'remove':
      return line(`Removing ${what}…`);
    case 'feed_add':
      return line(`Adding the feed ${what}…`);
    case 'feed_remove':
      return line(`Stopping the feed ${what}…`);
    case 'poll':
      return line('Checking the feeds for new articles… this can take a while.');
  }
}

export function unreadableFileCard(name: string): Card {
  return line(`I can’t read that format (“${name}”). I can add ${READABLE_FILES}. Nothing was added.`, 'problem');
}

/** The platform lets the bot run with a read-only corpus (no SourceDesk): say so rather than fail. */
export const NO_DESK = 'Adding and removing sources is not available here: this bot runs with a read-only corpus.';

export function usageCard(what: 'add' | 'remove' | 'feed', d: SourceDialect): Card {
  const c = d.commands;
  switch (what) {
    case 'add':
      return line(`Usage: \`${c.add}\` adds an article to the sources: a web page, a PDF, Markdown or text. To add a file, ${'dm' in d.sendFile ? 'share it with me in a direct message' : `attach it to \`${d.sendFile.attach}\``}.`, 'problem');
    case 'remove':
      return line(`Usage: \`${c.remove}\` removes a document from the sources; \`${c.sources}\` lists them with their ids.`, 'problem');
    case 'feed':
      return line(`Usage: \`${c.feedAdd}\` follows an RSS or Atom feed, \`${c.feeds}\` lists the feeds, \`${c.feedRemove}\` stops one, \`${c.poll}\` checks them all now.`, 'problem');
  }
}

const feedName = (f: Pick<FeedInfo, 'title' | 'url'>) => (f.title ? `“${f.title}” (${f.url})` : f.url);

export function feedAddedCard({ feed, created }: { feed: FeedInfo; created: boolean }, d: SourceDialect): Card {
  if (!created) return line(`I already follow ${feedName(feed)} (id ${feed.id}, since ${checkedAt(feed.addedAt)}). Nothing was changed.`, 'caveat');
  return line(`Following ${feedName(feed)} (id ${feed.id}). Its new articles are added to the sources as they appear; \`${d.commands.poll}\` checks it now, \`${d.commands.feedRemove}\` stops it.`);
}

export function feedsCard(feeds: readonly FeedInfo[], d: SourceDialect): Card {
  if (!feeds.length) return line(`I follow no feeds yet. \`${d.commands.feedAdd}\` follows one.`, 'none');
  return {
    ...empty,
    tone: 'answer',
    title: `Feeds (${counted(feeds.length, 'feed')})`,
    lead: `\`${d.commands.feedRemove}\` stops following one; \`${d.commands.poll}\` checks them all now.`,
    items: feeds.map((f) => ({
      name: f.title || f.url,
      detail: [`id ${f.id}`, f.title ? f.url : '', f.lastPolledAt ? `last checked ${checkedAt(f.lastPolledAt)}` : 'not checked yet'].filter(Boolean).join(' · '),
      ...(f.lastError ? { extra: `Last error: ${f.lastError}` } : {}),
    })),
  };
}

/** `feed remove`: the feed stopped, or none matched what was asked (`asked`: the id or address given). */
export function feedRemovedCard(feed: FeedInfo | undefined, asked: string, d: SourceDialect): Card {
  if (!feed) return line(`I follow no feed “${asked}”. \`${d.commands.feeds}\` lists the feeds with their ids.`, 'problem');
  return line(`Stopped following ${feedName(feed)}. Articles already added from it stay in the sources; \`${d.commands.remove}\` removes one.`);
}

function pollLine(s: FeedPollSummary): string {
  if (s.status === 'not_modified') return 'unchanged since the last check';
  if (s.status === 'failed') return `failed: ${s.error ? sentence(s.error) : 'no reason given.'}`;
  const parts = [`${counted(s.added.length, 'article')} added`];
  if (s.duplicates) parts.push(`${s.duplicates} already in the sources`);
  if (s.failed) parts.push(`${s.failed} could not be read`);
  return parts.join(', ');
}

export function pollCard(summaries: readonly FeedPollSummary[], d: SourceDialect): Card {
  if (!summaries.length) return line(`I follow no feeds yet, so there was nothing to check. \`${d.commands.feedAdd}\` follows one.`, 'none');
  const added = summaries.reduce((n, s) => n + s.added.length, 0);
  const failed = summaries.filter((s) => s.status === 'failed').length;
  return {
    ...empty,
    tone: failed ? 'caveat' : 'answer',
    title: `Checked ${counted(summaries.length, 'feed')}`,
    lead: `${added ? `${counted(added, 'new article')} added to the sources` : 'No new articles'}${failed ? `; ${counted(failed, 'feed')} failed` : ''}.`,
    items: summaries.map((s) => ({
      name: s.url,
      detail: pollLine(s),
      ...(s.added.length ? { extra: `Added: ${s.added.map((id) => `\`${id}\``).join(', ')}` } : {}),
    })),
  };
}
