// A Digest as ONE Slack message in Block Kit: a header with the date, the LLM overview when there
// is one, then "New since the last briefing", the key points and "Indicators to watch", each quote
// a Slack block quote with its outlet, date and section under it. One message keeps a day's
// digest atomic: one chat.postMessage, one `ts`, which is what the once-a-day claim records.
//
// At the composer's maxima (5 new documents with 2 quotes each, 6 points, 5 indicators) the layout
// takes 48 blocks, under Slack's 50: a new document's title shares the section of its first quote
// and a point's topic label shares the section of its quote. Should a digest ever need more, whole
// quotes are left out, least important first, and the last block says how many.
import type { types } from '@slack/bolt';
import type { Digest } from '../../src/digest/types.js';
import type { Quote } from '../../src/types.js';
import { documentByline } from '../shared/attribution.js';
import { blockQuote, escapeMrkdwn, fitMrkdwn, truncate } from './mrkdwn.js';
import { MAX_BLOCKS, SECTION_MAX, sourceLine, TEXT_MAX, type SlackMessage } from './render.js';
import { dropOrder } from '../../src/digest/priority.js';

type KnownBlock = types.KnownBlock;

export const NEW_SINCE_HEADING = 'New since the last briefing';
export const POINTS_HEADING = 'Key points';
export const INDICATORS_HEADING = 'Indicators to watch';
/** Slack's cap on a header block's plain text. */
export const HEADER_MAX = 150;
/** `event_type` of the metadata on a posted digest: marks the message as briefbot's digest of a date. */
export const DIGEST_EVENT_TYPE = 'briefbot_digest';

const OFFLINE_NOTE = 'Every point is quoted word for word from the sources, with the outlet, date and section it comes from.';
const LLM_NOTE = 'Overview written by a language model; every quote checked against the sources.';
const NOTHING = 'The sources have nothing to brief on for this date.';

export interface DigestRenderOptions {
  /** One closing line of ours (already safe mrkdwn), e.g. who can see the message. */
  note?: string;
}

type Part = 'new' | 'points' | 'indicators';

interface Item {
  part: Part;
  quote: Quote;
  /** Escaped mrkdwn shown above the quote in the same section (a topic label, a document line). */
  lead?: string;
  /** Index of the new document the quote belongs to. */
  doc?: number;
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });
const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });
const context = (...texts: string[]): KnownBlock => ({ type: 'context', elements: texts.map((t) => mrkdwn(t)) });

/** "• *Title* — Outlet, 10 Mar 2026": the same outlet and date as under every quote. */
function documentLine(d: Digest['newSince'][number]): string {
  const meta = documentByline(d.document);
  return `• *${fitMrkdwn(d.document.title, 200)}*${meta ? ` — ${fitMrkdwn(meta, 200)}` : ''}`;
}

function items(d: Digest): { all: Item[]; dropOrder: Item[] } {
  const fresh = d.newSince.map((n, doc) => n.quotes.map((quote): Item => ({ part: 'new', quote, doc })));
  const points = d.points.map((p): Item => ({ part: 'points', quote: p.quote, lead: `*${fitMrkdwn(p.topic.label, 150)}*` }));
  const indicators = d.indicators.map((quote): Item => ({ part: 'indicators', quote }));
  return { all: [...fresh.flat(), ...points, ...indicators], dropOrder: dropOrder(fresh, points, indicators) };
}

/** A quote as a section (with `lead` above it when given) and its source line under it. */
function quoteBlocks(item: Item, titles: Record<string, string>): KnownBlock[] {
  const lead = item.lead ? `${item.lead}\n` : '';
  return [section(`${lead}${blockQuote(item.quote.text, SECTION_MAX - lead.length)}`), context(sourceLine(item.quote, titles))];
}

function layout(d: Digest, kept: Item[], left: number, options: DigestRenderOptions): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(d.title, HEADER_MAX), emoji: false } }];
  const empty = !d.newSince.length && !d.points.length && !d.indicators.length;
  if (d.overview?.trim()) blocks.push(section(fitMrkdwn(d.overview.trim(), SECTION_MAX)));
  else if (empty) blocks.push(section(NOTHING));

  if (d.newSince.length) {
    blocks.push(section(`*${NEW_SINCE_HEADING}*`));
    d.newSince.forEach((n, doc) => {
      const quotes = kept.filter((i) => i.part === 'new' && i.doc === doc);
      const line = documentLine(n);
      if (!quotes.length) {
        blocks.push(section(line));
        return;
      }
      quotes.forEach((q, j) => blocks.push(...quoteBlocks(j === 0 ? { ...q, lead: line } : q, d.titles)));
    });
  }
  const points = kept.filter((i) => i.part === 'points');
  if (points.length) {
    blocks.push(section(`*${POINTS_HEADING}*`));
    for (const p of points) blocks.push(...quoteBlocks(p, d.titles));
  }
  const indicators = kept.filter((i) => i.part === 'indicators');
  if (indicators.length) {
    blocks.push(section(`*${INDICATORS_HEADING}*`));
    for (const q of indicators) blocks.push(...quoteBlocks(q, d.titles));
  }

  const footer: string[] = [];
  if (!empty) footer.push(d.overview?.trim() ? LLM_NOTE : OFFLINE_NOTE);
  if (left) footer.push(`${left} more quote${left === 1 ? '' : 's'} left out to fit one Slack message; ask me about any topic for the full passages.`);
  if (options.note) footer.push(options.note);
  if (footer.length) blocks.push(context(...footer));
  return blocks;
}

/** The plain `text` of the message: what notifications and screen readers get. */
function fallbackText(d: Digest): string {
  const lines = [d.title];
  if (d.newSince.length) lines.push(`${NEW_SINCE_HEADING}: ${d.newSince.map((n) => n.document.title).join('; ')}`);
  for (const p of d.points) lines.push(`• ${p.topic.label}: “${truncate(p.quote.text.replace(/\s+/g, ' '), 300)}”`);
  if (d.indicators.length) lines.push(`${INDICATORS_HEADING}: ${d.indicators.length} passage${d.indicators.length === 1 ? '' : 's'}`);
  const escaped = escapeMrkdwn(lines.join('\n'));
  if (escaped.length <= TEXT_MAX) return escaped;
  // Cut outside an entity (&amp; ...) so Slack never sees half of one.
  return `${escaped.slice(0, TEXT_MAX - 1).replace(/&[a-z]{0,4}$/, '')}…`;
}

/** The digest as one Slack message: blocks within Slack's limits and a text fallback. */
export function renderDigest(d: Digest, options: DigestRenderOptions = {}): SlackMessage {
  const { all, dropOrder } = items(d);
  const dropped = new Set<Item>();
  let blocks = layout(d, all, 0, options);
  for (const item of dropOrder) {
    if (blocks.length <= MAX_BLOCKS) break;
    dropped.add(item);
    blocks = layout(
      d,
      all.filter((i) => !dropped.has(i)),
      dropped.size,
      options,
    );
  }
  // Only reachable with more new documents than the composer ever lists: keep the title, the list
  // of documents and the note rather than send a message Slack would refuse (invalid_blocks).
  if (blocks.length > MAX_BLOCKS) blocks = [...blocks.slice(0, MAX_BLOCKS - 1), blocks[blocks.length - 1]];
  return { text: fallbackText(d), blocks };
}
