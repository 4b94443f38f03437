// The terminal's layouts of the shared cards: the lead, then each quote in curly quotes with its
// attribution under it; and `briefbot digest`, whose command (src/digest/command.ts) words nothing
// and is handed TERMINAL_DIGEST by adapters/main.ts. Plain text: nothing to escape, no limits.
import type { DigestTextLayout } from '../../src/digest/command.js';
import type { DeliveryResult } from '../../src/digest/deliver.js';
import type { Digest } from '../../src/digest/types.js';
import type { Answer, SourceInfo, TopicBriefing } from '../../src/types.js';
import { answerCard, coverageNote, sourcesCard, topicCard, type Card, type Dialect } from '../shared/card.js';
import { digestCard, type DigestCardQuote } from '../shared/digest-card.js';

export const CONSOLE_DIALECT: Dialect = {
  example: (question) => `“${question}”`,
  topicsCommand: '/topics',
};

function cardText(card: Card): string {
  const quotes = card.quotes.map((q, i) => `${card.numbered ? `[${i + 1}] ` : ''}“${q.text}”\n  — ${q.attribution}`);
  return [card.lead, ...quotes].filter(Boolean).join('\n\n');
}

/** The plain rendering of an answer that `briefbot ask --json` carries as `answer`: the lead and the quotes. */
export function answerText(answer: Answer): string {
  return cardText(answerCard(answer, CONSOLE_DIALECT));
}

/** An answer as the console chat prints it: with how far the quotes go, but not how they were made. */
export function consoleAnswer(answer: Answer): string {
  const note = coverageNote(answer);
  return note ? `${answerText(answer)}\n\n(${note})` : answerText(answer);
}

/** `briefbot ask`: the answer, then how long it took and how it was made ("412 ms · written by the model, 2 verified quote(s)"). */
export function askText(answer: Answer): string {
  const mode = answer.mode === 'llm' ? ` · written by the model, ${answer.quotes.length} verified quote(s)${answer.droppedQuotes ? `, ${answer.droppedQuotes} unverifiable dropped` : ''}` : '';
  return `${answerText(answer)}\n\n(${Math.round(answer.ms)} ms${mode})`;
}

export function topicText(briefing: TopicBriefing): string {
  return cardText(topicCard(briefing));
}

/** `briefbot sources` and `/sources`: one line a document, its id first. */
export function sourcesText(sources: SourceInfo[]): string {
  const card = sourcesCard(sources);
  return sources.length ? card.items.map((item, i) => `${sources[i].id}  ${item.name} — ${item.detail}`).join('\n') : card.lead;
}

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

/** What `--post` did in one channel. */
function deliveryLine(r: DeliveryResult): string {
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
