// The digest card (adapters/shared/digest-card.ts) as ONE Slack message in Block Kit: a header with
// the date, then each part under its heading, each quote a Slack block quote with its outlet, date
// and section under it, and the notes in a closing context block.
//
// At the composer's maxima (5 new documents with 2 quotes each, 6 points, 5 indicators) the layout
// takes 48 blocks, under Slack's 50: a new document's line shares the section of its first quote
// and a point's topic label shares the section of its quote. Beyond that, fitWithin leaves whole
// quotes out and the card says how many.
import type { types } from '@slack/bolt';
import type { Digest } from '../../src/digest/types.js';
import { digestCard, type DigestCard, type DigestCardQuote } from '../shared/digest-card.js';
import { fitWithin } from '../shared/digest-fit.js';
import { passageCount, type DigestDialect } from '../shared/digest-wording.js';
import { blockQuote, escapeMrkdwn, fitMrkdwn, truncate } from './mrkdwn.js';
import { MAX_BLOCKS, SECTION_MAX, TEXT_MAX, type SlackMessage } from './render.js';

type KnownBlock = types.KnownBlock;

// Kept for adapters/slack/index.ts, which re-exports them.
export { INDICATORS_HEADING, NEW_SINCE_HEADING, POINTS_HEADING } from '../shared/digest-wording.js';
/** Slack's cap on a header block's plain text. */
export const HEADER_MAX = 150;
/** Room for the attribution line under a quote. */
const SOURCE_LINE_MAX = 298;
/** `event_type` of the metadata on a posted digest: marks the message as briefbot's digest of a date. */
export const DIGEST_EVENT_TYPE = 'briefbot_digest';

const SLACK_DIGEST: DigestDialect = { platform: 'Slack', fullPassages: 'ask me about any topic for the full passages' };

export interface DigestRenderOptions {
  /** One closing line of ours (already safe mrkdwn), e.g. who can see the message. */
  note?: string;
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });
const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });
const context = (...texts: string[]): KnownBlock => ({ type: 'context', elements: texts.map((t) => mrkdwn(t)) });
const heading = (text: string): KnownBlock => section(`*${escapeMrkdwn(text)}*`);

/** A quote as a section (with `lead`, escaped mrkdwn, above it) and its attribution under it. */
function quoteBlocks(q: DigestCardQuote, lead?: string): KnownBlock[] {
  const above = lead ? `${lead}\n` : '';
  return [section(`${above}${blockQuote(q.quote.text, SECTION_MAX - above.length)}`), context(`— ${fitMrkdwn(q.attribution, SOURCE_LINE_MAX)}`)];
}

function layout(card: DigestCard, options: DigestRenderOptions): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(card.title, HEADER_MAX), emoji: false } }];
  if (card.nothing) blocks.push(section(escapeMrkdwn(card.nothing)));
  if (card.newSince) {
    blocks.push(heading(card.newSince.heading));
    for (const doc of card.newSince.documents) {
      // "• *Title* — Outlet, 10 Mar 2026": the same outlet and date as under every quote.
      const line = `• *${fitMrkdwn(doc.title, 200)}*${doc.byline ? ` — ${fitMrkdwn(doc.byline, 200)}` : ''}`;
      if (!doc.quotes.length) blocks.push(section(line));
      doc.quotes.forEach((q, j) => blocks.push(...quoteBlocks(q, j === 0 ? line : undefined)));
    }
  }
  if (card.points) {
    blocks.push(heading(card.points.heading));
    for (const p of card.points.quotes) blocks.push(...quoteBlocks(p, `*${fitMrkdwn(p.label, 150)}*`));
  }
  if (card.indicators) {
    blocks.push(heading(card.indicators.heading));
    for (const q of card.indicators.quotes) blocks.push(...quoteBlocks(q));
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
  const escaped = escapeMrkdwn(lines.join('\n'));
  if (escaped.length <= TEXT_MAX) return escaped;
  // Cut outside an entity (&amp; ...) so Slack never sees half of one.
  return `${escaped.slice(0, TEXT_MAX - 1).replace(/&[a-z]{0,4}$/, '')}…`;
}

/** The digest as one Slack message: blocks within Slack's limits and a text fallback. */
export function renderDigest(d: Digest, options: DigestRenderOptions = {}): SlackMessage {
  let blocks = layout(
    fitWithin(d, SLACK_DIGEST, MAX_BLOCKS, (card) => layout(card, options).length),
    options,
  );
  // Only reachable with more new documents than the composer ever lists: keep the title, the list
  // of documents and the notes rather than send a message Slack would refuse (invalid_blocks).
  if (blocks.length > MAX_BLOCKS) blocks = [...blocks.slice(0, MAX_BLOCKS - 1), blocks[blocks.length - 1]];
  return { text: fallbackText(digestCard(d)), blocks };
}
