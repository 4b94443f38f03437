// A platform-shaped but limit-free description of one reply ("card"), and its layout into Discord
// embeds that respect every limit: long descriptions and quotes are split at sentence boundaries,
// split quotes say "part i of n", and what does not fit one message continues in follow-ups.
import type { APIEmbed } from 'discord.js';
import { clip, LIMITS, splitText } from './limits.js';

export interface CardBlock {
  /** Label, e.g. "Document title — Section". */
  name: string;
  text: string;
  /** Rendered as a Markdown block quote (verbatim source text). */
  quote?: boolean;
}

export interface Card {
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

export const BRAND_COLOR = 0x2f6f9f;
/** Follow-ups beyond this are dropped with a note; a channel should not be flooded by one answer. */
export const MAX_MESSAGES = 10;
/** Footers are clipped to this so reserving room for one on every embed stays cheap. */
const FOOTER_MAX = 1000;
const PAGE_SUFFIX_MAX = ' · part 99/99'.length;

export function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

interface Field {
  name: string;
  value: string;
}

function blockFields(block: CardBlock): Field[] {
  const format = block.quote ? blockQuote : (s: string) => s;
  const parts = splitText(block.text, (chunk) => format(chunk).length <= LIMITS.fieldValue);
  if (parts.length === 0) return [{ name: clip(block.name, LIMITS.fieldName), value: '\u200b' }];
  if (parts.length === 1) return [{ name: clip(block.name, LIMITS.fieldName), value: format(parts[0]) }];
  return parts.map((part, i) => {
    const suffix = ` (part ${i + 1} of ${parts.length})`;
    return { name: clip(block.name, LIMITS.fieldName - suffix.length) + suffix, value: format(part) };
  });
}

function embedSize(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

/** Lays a card out as embeds, one per message, each within every Discord limit. */
export function cardToEmbeds(card: Card): APIEmbed[] {
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
    const fields = current.fields ?? [];
    if (fields.length >= LIMITS.fields || embedSize(current) + field.name.length + field.value.length + reserve > LIMITS.embedTotal) {
      current = { title: continued, color };
      embeds.push(current);
    }
    (current.fields ??= []).push({ name: field.name, value: field.value });
  }

  embeds.forEach((embed, i) => {
    const page = embeds.length > 1 ? ` · part ${i + 1}/${embeds.length}` : '';
    const text = (footer ?? '') + page;
    if (text) embed.footer = { text: footer ? text : text.replace(/^ · /, '') };
  });
  return embeds;
}

/** The messages of a card: the first is the reply, the rest follow-ups, capped at MAX_MESSAGES. */
export function cardToMessages(card: Card): DiscordMessage[] {
  const embeds = cardToEmbeds(card);
  const messages: DiscordMessage[] = embeds.slice(0, MAX_MESSAGES).map((embed) => ({ embeds: [embed] }));
  if (embeds.length > MAX_MESSAGES) {
    messages[messages.length - 1].content = `Showing ${MAX_MESSAGES} of ${embeds.length} parts; the rest was left out. Ask a narrower question to see it.`;
  }
  return messages;
}

/** A plain text message, clipped to the content limit. */
export function textMessage(text: string): DiscordMessage {
  return { content: text.length <= LIMITS.content ? text : text.slice(0, LIMITS.content - 1) + '…' };
}
