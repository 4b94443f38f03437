// The terminal's layout of a card (adapters/shared/card.ts): the lead, each quote in curly quotes
// with its attribution under it, listed items, then the notes in parentheses. Plain text: nothing
// to escape, no length limit.
import type { Answer, SourceInfo, TopicBriefing } from '../../src/types.js';
import { answerCard, sourcesCard, topicCard, type Card } from '../shared/card.js';
import { answerStats, coverageNote, type Dialect } from '../shared/wording.js';

/** How a person asks in the terminal. */
export const CONSOLE_DIALECT: Dialect = {
  example: (question) => `“${question}”`,
  topicsCommand: '/topics',
};

/** A card as terminal text; `notes: false` leaves out the lines under the quotes. */
export function cardText(card: Card, options: { notes?: boolean } = {}): string {
  const parts: string[] = [];
  if (card.lead) parts.push(card.lead);
  card.quotes.forEach((q, i) => parts.push(`${card.numbered ? `[${i + 1}] ` : ''}“${q.text}”\n  — ${q.attribution}`));
  for (const item of card.items) parts.push([item.name, item.detail, item.extra].filter(Boolean).join('\n  '));
  const notes = options.notes === false ? [] : card.notes;
  if (notes.length) parts.push(`(${notes.join(' ')})`);
  return parts.join('\n\n');
}

/** The plain rendering of an answer that `briefbot ask --json` carries as `answer`: the lead and the quotes. */
export function answerText(answer: Answer): string {
  return cardText(answerCard(answer, CONSOLE_DIALECT), { notes: false });
}

/** An answer as the console chat prints it: with how far the quotes go, but not how they were made. */
export function consoleAnswer(answer: Answer): string {
  const note = coverageNote(answer);
  return note ? `${answerText(answer)}\n\n(${note})` : answerText(answer);
}

/** `briefbot ask`: the answer, then how long it took and how it was made. */
export function askText(answer: Answer): string {
  return `${answerText(answer)}\n\n(${answerStats(answer)})`;
}

export function topicText(briefing: TopicBriefing): string {
  return cardText(topicCard(briefing));
}

/** `briefbot sources` and `/sources`: one line a document, its id first. */
export function sourcesText(sources: SourceInfo[]): string {
  const card = sourcesCard(sources);
  if (!sources.length) return card.lead;
  return sources.map((s, i) => `${s.id}  ${card.items[i].name} — ${card.items[i].detail}`).join('\n');
}
