// Cards as Discord embeds within every Discord limit: quotes verbatim as labelled block quotes, long
// text split at sentences, split quotes saying "part i of n", and what does not fit one message in
// follow-ups. A digest is always ONE message (its once-a-day claim records one message id).
import { escapeMarkdown, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { Digest } from '../../src/digest/types.js';
import type { Card, Dialect } from '../shared/card.js';
import { fitWithin, type DigestCard, type DigestCardQuote, type DigestDialect } from '../shared/digest-card.js';
import { clip, LIMITS, splitText } from './limits.js';

export interface CardBlock {
  /** Label, e.g. "Document title — Section". */
  name: string;
  text: string;
  /** Rendered as a Markdown block quote (verbatim source text). */
  quote?: boolean;
}

/** A platform-shaped but limit-free description of one reply, for cardToEmbeds to fit into Discord's limits. */
export interface EmbedCard {
  title: string;
  description?: string;
  blocks: CardBlock[];
  /** Shown on every embed (e.g. the sources); long footers are clipped. */
  footer?: string;
  color?: number;
}

/** One Discord message: at most one embed, so the 6,000-character total is per embed. */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
}

const BRAND_COLOR = 0x2f6f9f;
const ABSTAIN_COLOR = 0x8a8f98;
const NEW_COLOR = 0x3a9f5f;
const INDICATORS_COLOR = 0xc9872c;
/** Follow-ups beyond this are dropped with a note; a channel should not be flooded by one answer. */
export const MAX_MESSAGES = 10;
/** Discord's cap on embeds in one message. */
export const MAX_EMBEDS = 10;
/** Footers are clipped to this so reserving room for one on every embed stays cheap. */
const FOOTER_MAX = 1000;
const PAGE_SUFFIX_MAX = ' · part 99/99'.length;

export function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function blockFields(block: CardBlock): APIEmbedField[] {
  const format = block.quote ? blockQuote : (s: string) => s;
  const parts = splitText(block.text, (chunk) => format(chunk).length <= LIMITS.fieldValue);
  // A field needs a value: an empty block gets a zero-width space.
  if (parts.length <= 1) return [{ name: clip(block.name, LIMITS.fieldName), value: parts.length ? format(parts[0]) : '\u200b' }];
  return parts.map((part, i) => {
    const suffix = ` (part ${i + 1} of ${parts.length})`;
    return { name: clip(block.name, LIMITS.fieldName - suffix.length) + suffix, value: format(part) };
  });
}

/** The characters Discord counts against an embed's share of a message's 6,000. */
export function embedSize(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

export function messageSize(embeds: APIEmbed[]): number {
  return embeds.reduce((n, e) => n + embedSize(e), 0);
}

/** Lays a card out as embeds, one per message, each within every Discord limit. */
export function cardToEmbeds(card: EmbedCard): APIEmbed[] {
  const title = clip(card.title, LIMITS.title);
  const continued = clip(card.title, LIMITS.title - ' (continued)'.length) + ' (continued)';
  const footer = card.footer ? clip(card.footer, FOOTER_MAX) : undefined;
  const reserve = (footer?.length ?? 0) + PAGE_SUFFIX_MAX;
  const color = card.color ?? BRAND_COLOR;

  const embeds: APIEmbed[] = [];
  const descriptions = splitText(card.description ?? '', (chunk) => chunk.length <= LIMITS.description);
  descriptions.forEach((description, i) => embeds.push({ title: i === 0 ? title : continued, description, color }));
  if (embeds.length === 0) embeds.push({ title, color });

  for (const field of card.blocks.flatMap(blockFields)) {
    let current = embeds[embeds.length - 1];
    if ((current.fields?.length ?? 0) >= LIMITS.fields || embedSize(current) + field.name.length + field.value.length + reserve > LIMITS.embedTotal) {
      current = { title: continued, color };
      embeds.push(current);
    }
    (current.fields ??= []).push(field);
  }

  embeds.forEach((embed, i) => {
    const text = [footer, embeds.length > 1 && `part ${i + 1}/${embeds.length}`].filter(Boolean).join(' · ');
    if (text) embed.footer = { text };
  });
  return embeds;
}

/** The messages of a card: the first is the reply, the rest follow-ups, capped at MAX_MESSAGES. */
export function cardToMessages(card: EmbedCard): DiscordMessage[] {
  const embeds = cardToEmbeds(card);
  const messages: DiscordMessage[] = embeds.slice(0, MAX_MESSAGES).map((embed) => ({ embeds: [embed] }));
  if (embeds.length > MAX_MESSAGES) {
    messages[messages.length - 1].content = `Showing ${MAX_MESSAGES} of ${embeds.length} parts; the rest was left out. Ask a narrower question to see it.`;
  }
  return messages;
}

export function textMessage(text: string): DiscordMessage {
  return { content: text.length <= LIMITS.content ? text : text.slice(0, LIMITS.content - 1) + '…' };
}

/** How a person asks in Discord: the `/ask` command; the topics are the `/brief topic:` choices. */
export const DISCORD_DIALECT: Dialect = {
  example: (question) => `\`/ask question: ${question}\``,
  topicsCommand: '`/brief topic:`',
};

// A shared card as embeds: quotes as fields labelled "[1] Outlet, date · Section", notes and sources
// in the footer. A card with no title (an unusable question, an unknown topic) is just its lead.
export function cardMessages(card: Card): DiscordMessage[] {
  if (!card.title) return [textMessage(card.lead)];
  const blocks: CardBlock[] = [
    ...card.quotes.map((q, i) => ({ name: `[${i + 1}] ${q.attribution}`, text: q.text, quote: true })),
    ...card.items.map((item) => ({ name: item.name, text: [item.detail, item.id && `\`${item.id.replace(/`/g, "'")}\``, item.extra].filter(Boolean).join('\n') })),
  ];
  // The notes go first in the footer: cardToEmbeds clips a long footer at its end, and a long list of
  // sources must not cut off the caveat. The footer repeats on every part, so it stays with the quotes.
  const footer = [...card.notes, card.sources].filter(Boolean).join(' · ');
  return cardToMessages({
    title: card.title,
    description: card.lead || undefined,
    blocks,
    footer: footer || undefined,
    color: card.tone === 'none' ? ABSTAIN_COLOR : undefined,
  });
}

const DISCORD_DIGEST: DigestDialect = { platform: 'Discord', fullPassages: '/brief topic: shows each topic in full' };

const digestField = (q: DigestCardQuote, name = q.attribution): CardBlock => ({ name, text: q.quote.text, quote: true });

/** The digest card as embeds: one with the title, then one per part under its heading. */
function digestEmbeds(card: DigestCard): APIEmbed[] {
  const cards: EmbedCard[] = [{ title: card.title, description: card.nothing ?? card.method, blocks: [] }];
  if (card.newSince) {
    const { heading, documents } = card.newSince;
    const list = documents.map((doc) => `• **${escapeMarkdown(doc.title)}**${doc.byline ? ` — ${escapeMarkdown(doc.byline)}` : ''}`).join('\n');
    cards.push({ title: heading, description: list, blocks: documents.flatMap((doc) => doc.quotes.map((q) => digestField(q))), color: NEW_COLOR });
  }
  if (card.points) cards.push({ title: card.points.heading, blocks: card.points.quotes.map((p) => digestField(p, `${p.label} — ${p.attribution}`)) });
  if (card.indicators) cards.push({ title: card.indicators.heading, blocks: card.indicators.quotes.map((q) => digestField(q)), color: INDICATORS_COLOR });
  cards[cards.length - 1].footer = [card.sources, card.leftOut?.note].filter(Boolean).join(' · ') || undefined;
  return cards.flatMap((c) => cardToEmbeds(c));
}

// The digest as one message (embeds only; the caller adds `allowed_mentions`), whole quotes left out
// until it fits; one still too big with every quote left out goes as that rather than not at all.
export function renderDigest(d: Digest): DiscordMessage {
  const size = (card: DigestCard) => {
    const embeds = digestEmbeds(card);
    return embeds.length > MAX_EMBEDS ? Number.POSITIVE_INFINITY : messageSize(embeds);
  };
  return { embeds: digestEmbeds(fitWithin(d, DISCORD_DIGEST, LIMITS.embedTotal, size)) };
}
