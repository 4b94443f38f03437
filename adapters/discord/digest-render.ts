// A Digest as ONE Discord message: an embed with the title (and the LLM overview when there is
// one), then "New since the last briefing", the key points and "Indicators to watch". One message
// keeps a day's digest atomic (one post, one message id, one nonce), so the at-most-once claim
// maps onto exactly one Discord request. A message allows 10 embeds and 6,000 characters over all
// of them: when a digest would not fit, whole quotes are left out (least important first) and the
// footer says how many; a quote is never cut without saying so (card.ts marks split quotes).
import { escapeMarkdown, type APIEmbed } from 'discord.js';
import type { Digest } from '../../src/digest/types.js';
import type { Quote } from '../../src/types.js';
import { BRAND_COLOR, cardToEmbeds, type Card, type DiscordMessage } from './card.js';
import { LIMITS } from './limits.js';
import { documentByline, quoteAttribution } from '../shared/attribution.js';
import { sourcesFooter } from './render.js';
import { dropOrder } from '../../src/digest/priority.js';

export const NEW_SINCE_HEADING = 'New since the last briefing';
export const POINTS_HEADING = 'Key points';
export const INDICATORS_HEADING = 'Indicators to watch';
/** Discord's cap on embeds in one message. */
export const MAX_EMBEDS = 10;
const NEW_COLOR = 0x3a9f5f;
const INDICATORS_COLOR = 0xc9872c;
const NO_OVERVIEW = 'Each point is quoted verbatim from the sources, with the outlet, date and section it comes from.';
const NOTHING = 'The sources have nothing to brief on for this date.';

type Section = 'new' | 'points' | 'indicators';

interface Item {
  section: Section;
  quote: Quote;
  name: string;
}

/** Total characters Discord counts against the 6,000 limit of one message. */
export function messageSize(embeds: APIEmbed[]): number {
  return embeds.reduce(
    (n, e) =>
      n +
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.footer?.text.length ?? 0) +
      (e.author?.name.length ?? 0) +
      (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
    0,
  );
}

function items(d: Digest): { all: Item[]; dropOrder: Item[] } {
  const label = (q: Quote) => quoteAttribution(q, d.titles);
  const fresh = d.newSince.map((n) => n.quotes.map((quote): Item => ({ section: 'new', quote, name: label(quote) })));
  const points = d.points.map((p): Item => ({ section: 'points', quote: p.quote, name: `${p.topic.label} — ${label(p.quote)}` }));
  const indicators = d.indicators.map((quote): Item => ({ section: 'indicators', quote, name: label(quote) }));
  return { all: [...fresh.flat(), ...points, ...indicators], dropOrder: dropOrder(fresh, points, indicators) };
}

function newDocumentList(d: Digest): string {
  return d.newSince
    .map((n) => {
      const meta = documentByline(n.document);
      return `• **${escapeMarkdown(n.document.title)}**${meta ? ` — ${escapeMarkdown(meta)}` : ''}`;
    })
    .join('\n');
}

function layout(d: Digest, kept: Item[], left: number): APIEmbed[] {
  const of = (s: Section) => kept.filter((i) => i.section === s).map((i) => ({ name: i.name, text: i.quote.text, quote: true }));
  const cards: Card[] = [{ title: d.title, description: d.overview?.trim() || (d.points.length || d.newSince.length || d.indicators.length ? NO_OVERVIEW : NOTHING), blocks: [] }];
  if (d.newSince.length) cards.push({ title: NEW_SINCE_HEADING, description: newDocumentList(d), blocks: of('new'), color: NEW_COLOR });
  const points = of('points');
  if (points.length) cards.push({ title: POINTS_HEADING, blocks: points });
  const indicators = of('indicators');
  if (indicators.length) cards.push({ title: INDICATORS_HEADING, blocks: indicators, color: INDICATORS_COLOR });

  const sources = sourcesFooter(
    kept.map((i) => i.quote),
    d.titles,
  );
  const note = left ? `${left} more quote${left === 1 ? '' : 's'} left out to fit one Discord message; /brief topic: shows each topic in full` : undefined;
  const footer = [sources, note].filter(Boolean).join(' · ') || undefined;
  cards[cards.length - 1].footer = footer;
  return cards.flatMap((c) => cardToEmbeds({ color: BRAND_COLOR, ...c }));
}

function fits(embeds: APIEmbed[]): boolean {
  return embeds.length <= MAX_EMBEDS && messageSize(embeds) <= LIMITS.embedTotal;
}

/** The digest as one message (embeds only; the caller adds `allowed_mentions`). */
export function renderDigest(d: Digest): DiscordMessage {
  const { all, dropOrder } = items(d);
  const dropped = new Set<Item>();
  let embeds = layout(d, all, 0);
  for (const item of dropOrder) {
    if (fits(embeds)) break;
    dropped.add(item);
    embeds = layout(
      d,
      all.filter((i) => !dropped.has(i)),
      dropped.size,
    );
  }
  // Only a pathological digest (titles near Discord's maximum on every field) gets here: post the
  // title alone rather than a request Discord would refuse with 400.
  if (!fits(embeds)) embeds = layout(d, [], all.length);
  return { embeds };
}
