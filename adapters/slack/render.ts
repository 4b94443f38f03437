// Cards (adapters/shared/card.ts), digests, help and notices as Block Kit. Outside text goes through
// fitMrkdwn/blockQuote (escaped, capped), and mrkdwn text objects are `verbatim` so Slack neither
// auto-links nor parses mentions: nothing we send can ping (api.slack.com/reference/block-kit/composition-objects#text).
import type { types } from '@slack/bolt';
import type { Digest } from '../../src/digest/types.js';
import type { VoteCounts } from '../../src/store/feedback.js';
import type { Answer, SourceInfo, Topic } from '../../src/types.js';
import { answerCard, moreQuotesNote, OLDER_NOT_SHOWN, sourcesCard, type Card, type CardItem, type Dialect } from '../shared/card.js';
import { digestCard, fitWithin, passageCount, type DigestCard, type DigestDialect } from '../shared/digest-card.js';
import { blockQuote, escapeMrkdwn, fitMrkdwn, truncate } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

/** Slack rejects a section over 3,000 characters and a message over 50 blocks; stay under both. */
export const SECTION_MAX = 2900;
export const MAX_BLOCKS = 49;
/** Quotes under one answer (the rest are counted): more would bury the lead. 20 blocks in all, under 50. */
const MAX_QUOTES = 8;
/** The plain `text` fallback (notifications, screen readers, old clients). */
export const TEXT_MAX = 3000;
const CONTEXT_MAX = 300;

export const ACTION_FEEDBACK_UP = 'briefbot_feedback_up';
export const ACTION_FEEDBACK_DOWN = 'briefbot_feedback_down';
export const ACTION_SHARE = 'briefbot_share';
const ANSWER_ACTIONS_BLOCK = 'briefbot_answer_actions';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface AnswerRenderOptions {
  /** Id of the stored answer: adds 👍 / 👎 buttons that carry it. */
  answerId?: string;
  /** Adds "Share in channel" (for answers only the asker sees). */
  share?: boolean;
  /** Echo the question under the answer (shared and slash-command answers stand alone). */
  showQuestion?: boolean;
  /** Current votes, shown on the buttons once someone has clicked. */
  votes?: VoteCounts;
  /** One closing line of ours, e.g. "Shared in the channel." */
  note?: string;
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });
export const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });
export const context = (...texts: string[]): KnownBlock => ({ type: 'context', elements: texts.map((t) => mrkdwn(t)) });

/** How a person asks in Slack: a mention or DM in plain words; the topics are in `/brief help`. */
export const SLACK_DIALECT: Dialect = {
  example: (question) => `“${question}”`,
  topicsCommand: '`/brief help`',
};

/** "— [1] Tidewater Gulf Monitor, 10 Mar 2026 · Section" under a quote, escaped. */
const sourceLine = (attribution: string) => `— ${fitMrkdwn(attribution, CONTEXT_MAX - 2)}`;

/** A quote as a block quote (under `lead`, escaped mrkdwn, when given) with its attribution under it. */
export function quoteBlocks(text: string, attribution: string, lead?: string): KnownBlock[] {
  const above = lead ? `${lead}\n` : '';
  return [section(`${above}${blockQuote(text, SECTION_MAX - above.length)}`), context(sourceLine(attribution))];
}

function feedbackButtons(answerId: string, votes: VoteCounts | undefined, share: boolean): KnownBlock {
  const label = (emoji: string, n: number | undefined) => ({ type: 'plain_text' as const, text: n ? `${emoji} ${n}` : emoji, emoji: true });
  const elements: types.Button[] = [];
  if (share) {
    elements.push({ type: 'button', action_id: ACTION_SHARE, value: answerId, style: 'primary', text: { type: 'plain_text', text: 'Share in channel' } });
  }
  elements.push(
    { type: 'button', action_id: ACTION_FEEDBACK_UP, value: answerId, text: label('👍', votes?.up), accessibility_label: 'Helpful answer' },
    { type: 'button', action_id: ACTION_FEEDBACK_DOWN, value: answerId, text: label('👎', votes?.down), accessibility_label: 'Unhelpful answer' },
  );
  return { type: 'actions', block_id: ANSWER_ACTIONS_BLOCK, elements };
}

/** An Answer as a Slack message: the lead, each quote with its outlet, date and section, buttons. */
export function renderAnswer(answer: Answer, options: AnswerRenderOptions = {}): SlackMessage {
  const card = answerCard(answer, SLACK_DIALECT);
  if (card.tone === 'problem') return renderNotice(fitMrkdwn(card.lead, SECTION_MAX));
  // The lead is bold when nothing is quoted: it is the whole reply.
  const blocks: KnownBlock[] = [section(card.tone === 'none' ? `*${fitMrkdwn(card.lead, SECTION_MAX - 2)}*` : fitMrkdwn(card.lead, SECTION_MAX))];
  const plain = [escapeMrkdwn(card.lead)];
  const shown = card.quotes.slice(0, MAX_QUOTES);
  shown.forEach((q, i) => {
    const attribution = `${card.numbered ? `[${i + 1}] ` : ''}${q.attribution}`;
    blocks.push(...quoteBlocks(q.text, attribution));
    plain.push(`“${escapeMrkdwn(truncate(q.text.replace(/\s+/g, ' '), 400))}” ${sourceLine(attribution)}`);
  });
  if (card.quotes.length > shown.length) blocks.push(context(fitMrkdwn(moreQuotesNote(card.quotes.length - shown.length), CONTEXT_MAX)));
  const footer: string[] = [];
  if (options.showQuestion && answer.question) footer.push(`Question: ${fitMrkdwn(answer.question, CONTEXT_MAX)}`);
  // The notes carry the asker's own words (what the sources lack), so they are escaped like any user text.
  for (const n of card.notes) footer.push(fitMrkdwn(n, CONTEXT_MAX));
  if (options.note) footer.push(fitMrkdwn(options.note, CONTEXT_MAX));
  if (footer.length) blocks.push(context(...footer));
  if (options.answerId) blocks.push(feedbackButtons(options.answerId, options.votes, options.share ?? false));
  return { text: fitText(plain.join('\n')), blocks };
}

/** `/brief help`: what the bot does, its commands and the topics it knows. */
export function renderHelp(topics: Topic[], commands: Array<{ usage: string; description: string }>): SlackMessage {
  const how = [
    '*briefbot* answers questions about the US–Iran nuclear talks by quoting its sources word for word, naming the outlet, date and section of every quote.',
    '• Mention me in a channel with a question: I answer in a thread. Mention me again in that thread to follow up.',
    '• Send me a direct message: same thing, and replies in the thread are read as follow-ups.',
    ...commands.map((c) => `• \`${escapeMrkdwn(c.usage)}\`: ${escapeMrkdwn(c.description)}`),
    'Under each answer, 👍 / 👎 tell the team whether it helped.',
  ].join('\n');
  const blocks: KnownBlock[] = [section(truncate(how, SECTION_MAX))];
  if (topics.length) {
    const lines = topics.map((t) => `• *${fitMrkdwn(t.label, 150)}*: ${fitMrkdwn(t.description, 400)}`);
    blocks.push(...sectionsOf(['*Topics I know*', ...lines], MAX_BLOCKS - 1).blocks);
  }
  const plain = `briefbot answers questions about the US–Iran nuclear talks with verbatim quotes. Topics: ${topics.map((t) => t.label).join(', ') || 'none yet'}.`;
  return { text: fitText(escapeMrkdwn(plain)), blocks };
}

/** A card item on one line: "• *Name* — detail · `id`", with its extra on the next. */
function itemLine(item: CardItem, extra: boolean): string {
  const id = item.id ? ` · \`${fitMrkdwn(item.id.replace(/`/g, "'"), 200)}\`` : '';
  return `• *${fitMrkdwn(item.name, 200)}* — ${fitMrkdwn(item.detail, 400)}${id}${extra && item.extra ? `\n   ${fitMrkdwn(item.extra, 400)}` : ''}`;
}

/** `/brief sources`: the documents, in the order given (the engine's: newest first), with outlet and date; `removeCommand`: with ids, for editors. */
export function renderSources(sources: SourceInfo[], options: { removeCommand?: string } = {}): SlackMessage {
  const card = sourcesCard(sources, options);
  if (!card.items.length) return renderNotice(escapeMrkdwn(card.lead));
  const lines = card.items.map((item) => itemLine(item, false));
  // Room stays for the title, the lead and the count of documents left out.
  const listed = sectionsOf(lines, MAX_BLOCKS - (card.lead ? 3 : 2));
  const blocks = [section(`*${fitMrkdwn(card.title ?? '', 200)}*`), ...listed.blocks];
  if (card.lead) blocks.push(context(fitMrkdwn(card.lead, CONTEXT_MAX)));
  if (listed.taken < lines.length) blocks.push(context(OLDER_NOT_SHOWN(lines.length - listed.taken)));
  return { text: fitText(escapeMrkdwn(card.title ?? '')), blocks };
}

/** Any other card of ours (the source commands' replies): a titled list, or just its lead. */
export function renderCard(card: Card): SlackMessage {
  if (!card.title) return renderNotice(fitMrkdwn(card.lead, SECTION_MAX));
  const blocks: KnownBlock[] = [section(`*${fitMrkdwn(card.title, 200)}*`)];
  if (card.lead) blocks.push(section(fitMrkdwn(card.lead, SECTION_MAX)));
  // Room stays for the notes.
  blocks.push(...sectionsOf(card.items.map((item) => itemLine(item, true)), MAX_BLOCKS - blocks.length - 1).blocks);
  if (card.notes.length) blocks.push(context(...card.notes.map((n) => fitMrkdwn(n, CONTEXT_MAX))));
  return { text: fitText(escapeMrkdwn([card.title, card.lead].filter(Boolean).join('\n'))), blocks };
}

/** `lines` in as few sections as hold them, at most `room`; `taken` counts the lines that fit. */
function sectionsOf(lines: string[], room: number): { blocks: KnownBlock[]; taken: number } {
  const blocks: KnownBlock[] = [];
  let chunk = '';
  let taken = 0;
  for (const line of lines) {
    if (chunk && chunk.length + 1 + line.length > SECTION_MAX) {
      if (blocks.length + 2 > room) break;
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
    taken += 1;
  }
  if (chunk) blocks.push(section(chunk));
  return { blocks, taken };
}

/** A short message of ours (errors, confirmations): already safe text, one section. */
export function renderNotice(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/** The plain `text` fallback of a message, from escaped text, within TEXT_MAX. */
export function fitText(escaped: string): string {
  if (escaped.length <= TEXT_MAX) return escaped;
  // Cut outside an entity (&amp; ...) so Slack never sees half of one.
  return `${escaped.slice(0, TEXT_MAX - 1).replace(/&[a-z]{0,4}$/, '')}…`;
}

/** A public answer's blocks after a feedback click: the buttons show `votes`, all else stays as posted. */
export function withVotes(blocks: KnownBlock[], answerId: string, votes: VoteCounts): KnownBlock[] {
  return blocks.map((b) => {
    if (b.type !== 'actions' || b.block_id !== ANSWER_ACTIONS_BLOCK) return b;
    const share = b.elements.some((e) => 'action_id' in e && e.action_id === ACTION_SHARE);
    return feedbackButtons(answerId, votes, share);
  });
}

// The digest card (adapters/shared/digest-card.ts) as ONE message: 48 blocks at the composer's maxima
// (5 new documents with 2 quotes each, 6 points, 5 indicators), as a document's line and a point's label
// share their first quote's section. Beyond that, fitWithin leaves quotes out and the card says how many.

/** Slack's cap on a header block's plain text. */
export const HEADER_MAX = 150;
/** `event_type` of the metadata on a posted digest: marks the message as briefbot's digest of a date. */
export const DIGEST_EVENT_TYPE = 'briefbot_digest';

const SLACK_DIGEST: DigestDialect = { platform: 'Slack', fullPassages: 'ask me about any topic for the full passages' };

/** `note`: one closing line of ours (already safe mrkdwn), e.g. who can see the message. */
type DigestRenderOptions = { note?: string };

const heading = (text: string): KnownBlock => section(`*${escapeMrkdwn(text)}*`);

function layout(card: DigestCard, options: DigestRenderOptions): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(card.title, HEADER_MAX), emoji: false } }];
  if (card.nothing) blocks.push(section(escapeMrkdwn(card.nothing)));
  if (card.newSince) {
    blocks.push(heading(card.newSince.heading));
    for (const doc of card.newSince.documents) {
      // "• *Title* — Outlet, 10 Mar 2026": the same outlet and date as under every quote.
      const line = `• *${fitMrkdwn(doc.title, 200)}*${doc.byline ? ` — ${fitMrkdwn(doc.byline, 200)}` : ''}`;
      if (!doc.quotes.length) blocks.push(section(line));
      doc.quotes.forEach((q, j) => blocks.push(...quoteBlocks(q.quote.text, q.attribution, j === 0 ? line : undefined)));
    }
  }
  if (card.points) {
    blocks.push(heading(card.points.heading));
    for (const p of card.points.quotes) blocks.push(...quoteBlocks(p.quote.text, p.attribution, `*${fitMrkdwn(p.label, 150)}*`));
  }
  if (card.indicators) {
    blocks.push(heading(card.indicators.heading));
    for (const q of card.indicators.quotes) blocks.push(...quoteBlocks(q.quote.text, q.attribution));
  }
  const footer = [card.method, card.leftOut?.note].filter((t): t is string => !!t).map(escapeMrkdwn);
  if (options.note) footer.push(options.note);
  if (footer.length) blocks.push(context(...footer));
  return blocks;
}

/** The plain `text` of the message, from the whole card: what notifications and screen readers get. */
function fallbackText(card: DigestCard): string {
  const lines = [card.title];
  if (card.newSince) lines.push(`${card.newSince.heading}: ${card.newSince.documents.map((n) => n.title).join('; ')}`);
  for (const p of card.points?.quotes ?? []) lines.push(`• ${p.label}: “${truncate(p.quote.text.replace(/\s+/g, ' '), 300)}”`);
  if (card.indicators) lines.push(`${card.indicators.heading}: ${passageCount(card.indicators.quotes.length)}`);
  return fitText(escapeMrkdwn(lines.join('\n')));
}

export function renderDigest(d: Digest, options: DigestRenderOptions = {}): SlackMessage {
  let blocks = layout(fitWithin(d, SLACK_DIGEST, MAX_BLOCKS, (card) => layout(card, options).length), options);
  // Only reachable with more new documents than the composer ever lists: keep the title, the list
  // of documents and the notes rather than send a message Slack would refuse (invalid_blocks).
  if (blocks.length > MAX_BLOCKS) blocks = [...blocks.slice(0, MAX_BLOCKS - 1), blocks[blocks.length - 1]];
  return { text: fallbackText(digestCard(d)), blocks };
}
