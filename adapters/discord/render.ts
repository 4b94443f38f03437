// Briefing results -> Discord messages. Quotes are shown verbatim as block quotes labelled with
// their outlet, date and section; limits are handled by card.ts.
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import type { Answer, Quote, SourceInfo, Topic, TopicBriefing } from '../../src/types.js';
import { documentTitle, quoteAttribution, sourceListByline } from '../shared/attribution.js';
import { coverageNote } from '../shared/coverage.js';
import { cardToMessages, textMessage, type CardBlock, type DiscordMessage } from './card.js';

const ABSTAIN_COLOR = 0x8a8f98;

function quoteBlocks(quotes: Quote[], titles: Record<string, string> | undefined): CardBlock[] {
  // Each quote's label is its attribution: "[1] Tidewater Gulf Monitor, 10 Mar 2026 · Section".
  return quotes.map((q, i) => ({ name: `[${i + 1}] ${quoteAttribution(q, titles)}`, text: q.text, quote: true }));
}

/** Footer naming each quoted document once, in order of first use. */
export function sourcesFooter(quotes: Quote[], titles: Record<string, string> | undefined): string | undefined {
  const names = [...new Set(quotes.map((q) => documentTitle(q, titles)))];
  if (names.length === 0) return undefined;
  return `${names.length === 1 ? 'Source' : 'Sources'}: ${names.join('; ')}`;
}

/** The polite reply to an unusable question; undefined when the question is fine. */
export function questionProblem(error: Answer['error'], length?: number): string | undefined {
  switch (error) {
    case 'empty':
      return 'Please type a question, for example `/ask question: What role does Oman play in the talks?`';
    case 'too_long': {
      const limit = MAX_QUESTION_CHARS.toLocaleString('en-US');
      const size = length === undefined ? '' : ` (${length.toLocaleString('en-US')} characters; the limit is ${limit})`;
      return `That question is too long${size}. Please keep it under ${limit} characters.`;
    }
    case 'no_words':
      return 'I could not find any words to search for in that question. Please ask it in plain words, for example `/ask question: What are the sanctions demands?`';
    default:
      return undefined;
  }
}

/** For an abstention: point at what the sources do cover, unless the lead already says it. */
function abstentionHint(answer: Answer): string {
  const lead = answer.lead.toLowerCase();
  const listed = answer.suggestions?.some((s) => lead.includes(s.toLowerCase()));
  const topics = answer.suggestions?.length && !listed ? `The sources do cover: ${answer.suggestions.join(', ')}. ` : '';
  return `${topics}Try \`/brief\` for an overview.`;
}

export function renderAnswer(answer: Answer): DiscordMessage[] {
  const problem = questionProblem(answer.error);
  if (problem) return [textMessage(problem)];
  // `lead` names the documents and sections; `answer` repeats the quotes as plain text, which the
  // embed shows as fields instead.
  const lead = answer.lead.trim() || 'Here is what the sources say:';
  // The note goes first in the footer: card.ts clips a long footer at its end, and a long list of
  // sources must not cut off the caveat. The footer repeats on every part, so it stays with the quotes.
  const footer = [coverageNote(answer), sourcesFooter(answer.quotes, answer.titles)].filter(Boolean).join(' · ');
  return cardToMessages({
    title: answer.question,
    description: answer.abstained ? `${lead}\n\n${abstentionHint(answer)}` : lead,
    blocks: quoteBlocks(answer.quotes, answer.titles),
    footer: footer || undefined,
    color: answer.abstained ? ABSTAIN_COLOR : undefined,
  });
}

export function renderTopic(briefing: TopicBriefing): DiscordMessage[] {
  return cardToMessages({
    title: `Briefing: ${briefing.topic.label}`,
    description: briefing.answer,
    blocks: quoteBlocks(briefing.quotes, briefing.titles),
    footer: sourcesFooter(briefing.quotes, briefing.titles),
  });
}

export function renderOverview(briefings: TopicBriefing[]): DiscordMessage[] {
  if (briefings.length === 0) return [textMessage('The sources do not cover any of the briefing topics yet.')];
  const quotes = briefings.flatMap((b) => b.quotes.slice(0, 1));
  const titles = Object.assign({}, ...briefings.map((b) => b.titles)) as Record<string, string>;
  return cardToMessages({
    title: 'Briefing overview',
    description: 'One short quote per topic. Use `/brief topic:` for the full passages on one topic.',
    blocks: briefings.flatMap((b) => b.quotes.slice(0, 1).map((q) => ({ name: `${b.topic.label} — ${quoteAttribution(q, b.titles)}`, text: q.text, quote: true }))),
    footer: sourcesFooter(quotes, titles),
  });
}

export function renderUnknownTopic(id: string, topics: Topic[]): DiscordMessage[] {
  return [textMessage(`I have no briefing topic "${id}". Topics: ${topics.map((t) => t.label).join(', ') || 'none yet'}.`)];
}

/** The documents in the order given (the engine's: newest first), each with its outlet and date. */
export function renderSources(sources: SourceInfo[]): DiscordMessage[] {
  if (sources.length === 0) return [textMessage('The corpus has no documents yet.')];
  return cardToMessages({
    title: `Sources (${sources.length} document${sources.length === 1 ? '' : 's'}, newest first)`,
    blocks: sources.map((s) => ({
      name: s.title,
      text: sourceListByline(s) + (s.sections.length ? `\nSections: ${s.sections.join('; ')}` : ''),
    })),
  });
}
