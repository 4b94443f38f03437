// The digest card (adapters/shared/digest-card.ts) as ONE Discord message: an embed with the title,
// then one per part under its heading. One message keeps a day's digest atomic (one post, one
// message id, one nonce), so the at-most-once claim maps onto exactly one Discord request. A
// message allows 10 embeds and 6,000 characters over all of them: fitWithin leaves whole quotes
// out until it fits; a quote is never cut without saying so (card.ts marks split quotes).
import { escapeMarkdown, type APIEmbed } from 'discord.js';
import type { Digest } from '../../src/digest/types.js';
import type { DigestCard, DigestCardQuote } from '../shared/digest-card.js';
import { fitWithin } from '../shared/digest-fit.js';
import type { DigestDialect } from '../shared/digest-wording.js';
import { BRAND_COLOR, cardToEmbeds, type Card, type CardBlock, type DiscordMessage } from './card.js';
import { LIMITS } from './limits.js';

/** Discord's cap on embeds in one message. */
export const MAX_EMBEDS = 10;
const NEW_COLOR = 0x3a9f5f;
const INDICATORS_COLOR = 0xc9872c;

const DISCORD_DIGEST: DigestDialect = { platform: 'Discord', fullPassages: '/brief topic: shows each topic in full' };

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

const field = (q: DigestCardQuote, name = q.attribution): CardBlock => ({ name, text: q.quote.text, quote: true });

function layout(card: DigestCard): APIEmbed[] {
  const cards: Card[] = [{ title: card.title, description: card.nothing ?? card.method, blocks: [] }];
  if (card.newSince) {
    const { heading, documents } = card.newSince;
    const list = documents.map((doc) => `• **${escapeMarkdown(doc.title)}**${doc.byline ? ` — ${escapeMarkdown(doc.byline)}` : ''}`).join('\n');
    cards.push({ title: heading, description: list, blocks: documents.flatMap((doc) => doc.quotes.map((q) => field(q))), color: NEW_COLOR });
  }
  if (card.points) cards.push({ title: card.points.heading, blocks: card.points.quotes.map((p) => field(p, `${p.label} — ${p.attribution}`)) });
  if (card.indicators) cards.push({ title: card.indicators.heading, blocks: card.indicators.quotes.map((q) => field(q)), color: INDICATORS_COLOR });
  cards[cards.length - 1].footer = [card.sources, card.leftOut?.note].filter(Boolean).join(' · ') || undefined;
  return cards.flatMap((c) => cardToEmbeds({ color: BRAND_COLOR, ...c }));
}

/** More embeds than one message holds is too big at any size. */
function size(card: DigestCard): number {
  const embeds = layout(card);
  return embeds.length > MAX_EMBEDS ? Number.POSITIVE_INFINITY : messageSize(embeds);
}

/**
 * The digest as one message (embeds only; the caller adds `allowed_mentions`). Only a pathological
 * digest (titles near Discord's maximum on every field) is still too big with every quote left
 * out; it goes as that, the title and the list of new documents, rather than not at all.
 */
export function renderDigest(d: Digest): DiscordMessage {
  return { embeds: layout(fitWithin(d, DISCORD_DIGEST, LIMITS.embedTotal, size)) };
}
