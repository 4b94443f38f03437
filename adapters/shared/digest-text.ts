// `briefbot digest` in a terminal: the digest card as plain text, and what `--post` did in each
// channel. The command lives in the core (src/digest/command.ts), which words nothing; the
// composition root (adapters/main.ts) hands it this layout.
import type { DigestTextLayout } from '../../src/digest/command.js';
import type { DeliveryResult } from '../../src/digest/deliver.js';
import type { Digest } from '../../src/digest/types.js';
import { digestCard, type DigestCardQuote } from './digest-card.js';

function quoteLines(q: DigestCardQuote, indent: string, bullet = ''): string[] {
  return [`${indent}${bullet}“${q.quote.text.trim()}”`, `${indent}${' '.repeat(bullet.length)}  — ${q.attribution}`];
}

/** The digest as terminal text: no limits, so nothing is ever left out. */
export function digestText(d: Digest): string {
  const card = digestCard(d);
  const lines: string[] = [card.title, '='.repeat(Math.min(card.title.length, 72)), ''];
  if (card.newSince) {
    lines.push(card.newSince.heading, '');
    for (const doc of card.newSince.documents) {
      lines.push(`* ${doc.title}${doc.byline ? ` — ${doc.byline}` : ''}`);
      for (const q of doc.quotes) lines.push(...quoteLines(q, '    '));
      lines.push('');
    }
  }
  if (card.points) {
    lines.push(card.points.heading, '');
    card.points.quotes.forEach((p, i) => lines.push(`${i + 1}. ${p.label}`, ...quoteLines(p, '   '), ''));
  }
  if (card.indicators) {
    lines.push(card.indicators.heading, '');
    for (const q of card.indicators.quotes) lines.push(...quoteLines(q, '  ', '- '), '');
  }
  if (card.nothing) lines.push(card.nothing, '');
  return lines.join('\n');
}

/** One line per channel `--post` went to. */
export function deliveryLine(r: DeliveryResult): string {
  const where = `${r.platform} ${r.channelId} (${r.localDate})`;
  const o = r.outcome;
  switch (o.status) {
    case 'sent':
      return `${where}: posted, message ${o.messageId}${o.attempts > 1 ? ` after ${o.attempts} attempts` : ''}`;
    case 'already':
      return `${where}: not posted, today's digest is already ${o.existing.state}${o.existing.messageId ? ` (message ${o.existing.messageId})` : ''}`;
    case 'failed':
      return `${where}: FAILED, ${o.reason}`;
    case 'unknown':
      return `${where}: UNKNOWN, ${o.reason}`;
    case 'gone':
      return `${where}: FAILED, ${o.reason}; unsubscribed`;
    case 'no-poster':
      return `${where}: not posted, ${r.platform} is not configured in this environment`;
  }
}

export const TERMINAL_DIGEST: DigestTextLayout = {
  digest: digestText,
  deliveries: (results) => (results.length ? `${results.map(deliveryLine).join('\n')}\n` : 'No channel is subscribed to the daily digest.\n'),
};
