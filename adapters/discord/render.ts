// Cards (adapters/shared/card.ts) -> Discord messages. Quotes are shown verbatim as block quotes
// labelled with their outlet, date and section; Discord's limits are handled by card.ts.
import type { Answer, SourceInfo, Topic, TopicBriefing } from '../../src/types.js';
import { answerCard, sourcesCard, topicCard, unknownTopicCard, type Card } from '../shared/card.js';
import { questionProblemText, type Dialect } from '../shared/wording.js';
import { cardToMessages, textMessage, type CardBlock, type DiscordMessage } from './card.js';

export { sourcesFooter } from '../shared/wording.js';

const ABSTAIN_COLOR = 0x8a8f98;

/** How a person asks in Discord: the `/ask` command; the topics are the `/brief topic:` choices. */
export const DISCORD_DIALECT: Dialect = {
  example: (question) => `\`/ask question: ${question}\``,
  topicsCommand: '`/brief topic:`',
};

/** The polite reply to an unusable question (`length`: its size, for one that is too long). */
export function questionProblem(error: Answer['error'], length?: number): string | undefined {
  return error ? questionProblemText({ error, questionChars: length }, DISCORD_DIALECT) : undefined;
}

/** A shared card as Discord embeds: its quotes as fields labelled "[1] Outlet, date · Section", its notes and sources in the footer. */
function embeds(card: Card): DiscordMessage[] {
  if (card.tone === 'problem') return [textMessage(card.lead)];
  const blocks: CardBlock[] = [
    ...card.quotes.map((q, i) => ({ name: `[${i + 1}] ${q.attribution}`, text: q.text, quote: true })),
    ...card.items.map((item) => ({ name: item.name, text: [item.detail, item.extra].filter(Boolean).join('\n') })),
  ];
  // The notes go first in the footer: card.ts clips a long footer at its end, and a long list of
  // sources must not cut off the caveat. The footer repeats on every part, so it stays with the quotes.
  const footer = [...card.notes, card.sources].filter(Boolean).join(' · ');
  return cardToMessages({
    title: card.title ?? '',
    description: card.lead || undefined,
    blocks,
    footer: footer || undefined,
    color: card.tone === 'none' ? ABSTAIN_COLOR : undefined,
  });
}

export function renderAnswer(answer: Answer): DiscordMessage[] {
  return embeds(answerCard(answer, DISCORD_DIALECT));
}

export function renderTopic(briefing: TopicBriefing): DiscordMessage[] {
  return embeds(topicCard(briefing));
}

export function renderUnknownTopic(id: string, topics: Topic[]): DiscordMessage[] {
  return embeds(unknownTopicCard(id, topics));
}

/** The documents in the order given (the engine's: newest first), each with its outlet and date. */
export function renderSources(sources: SourceInfo[]): DiscordMessage[] {
  const card = sourcesCard(sources);
  return card.items.length ? embeds(card) : [textMessage(card.lead)];
}
