// Cards (adapters/shared/card.ts), help and notices as Block Kit messages. Every string that came
// from a source document, the engine or a user goes through fitMrkdwn/blockQuote (escaped,
// length-capped), and mrkdwn text
// objects are `verbatim` so Slack does not auto-link names or parse bare mentions in them
// (https://api.slack.com/reference/block-kit/composition-objects#text). Nothing we send can ping.
import type { types } from '@slack/bolt';
import type { VoteCounts } from '../../src/store/feedback.js';
import type { Answer, SourceInfo, Topic } from '../../src/types.js';
import { answerCard, sourcesCard, type Card } from '../shared/card.js';
import { moreQuotesNote, OLDER_NOT_SHOWN, type Dialect } from '../shared/wording.js';
import { blockQuote, escapeMrkdwn, fitMrkdwn, truncate } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

/** Slack rejects a section over 3,000 characters and a message over 50 blocks; stay under both. */
export const SECTION_MAX = 2900;
export const MAX_BLOCKS = 49;
/** Quotes shown under one answer; more would bury the lead (the rest are counted, not dropped silently). */
export const MAX_QUOTES = 8;
/** The plain `text` fallback (notifications, screen readers, old clients). */
export const TEXT_MAX = 3000;
const CONTEXT_MAX = 300;

export const ACTION_FEEDBACK_UP = 'briefbot_feedback_up';
export const ACTION_FEEDBACK_DOWN = 'briefbot_feedback_down';
export const ACTION_SHARE = 'briefbot_share';
export const ANSWER_ACTIONS_BLOCK = 'briefbot_answer_actions';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface AnswerRenderOptions {
  /** Id of the stored answer: adds 👍 / 👎 buttons that carry it. */
  answerId?: string;
  /** Adds "Share in channel" (for answers only the asker sees). */
  share?: boolean;
  /** Echo the question under the answer (shared and slash-command answers stand alone). */
  showQuestion?: boolean;
  /** Current votes, shown on the buttons once someone has clicked. */
  votes?: VoteCounts;
  /** Topics to suggest when the answer abstains and the engine gave no suggestions. */
  fallbackSuggestions?: string[];
  /** One closing line of ours, e.g. "Shared in the channel." */
  note?: string;
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });

function section(text: string): KnownBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function context(...texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.map((t) => mrkdwn(t)) };
}

/** How a person asks in Slack: a mention or DM in plain words; the topics are in `/brief help`. */
export const SLACK_DIALECT: Dialect = {
  example: (question) => `“${question}”`,
  topicsCommand: '`/brief help`',
};

/** "— Tidewater Gulf Monitor, 10 Mar 2026 · Section" under a quote, escaped. */
function sourceLine(attribution: string): string {
  return `— ${fitMrkdwn(attribution, CONTEXT_MAX - 2)}`;
}

function feedbackButtons(answerId: string, votes: VoteCounts | undefined, share: boolean): KnownBlock {
  const label = (emoji: string, n: number | undefined) => ({ type: 'plain_text' as const, text: n ? `${emoji} ${n}` : emoji, emoji: true });
  const elements: types.Button[] = [];
  if (share) {
    elements.push({ type: 'button', action_id: ACTION_SHARE, value: answerId, style: 'primary', text: { type: 'plain_text', text: 'Share in channel' } });
  }
  elements.push(
    { type: 'button', action_id: ACTION_FEEDBACK_UP, value: answerId, text: label('👍', votes?.up), accessibility_label: 'Helpful answer' },
    { type: 'button', action_id: ACTION_FEEDBACK_DOWN, value: answerId, text: label('👎', votes?.down), accessibility_label: 'Unhelpful answer' },
  );
  return { type: 'actions', block_id: ANSWER_ACTIONS_BLOCK, elements };
}

/** An Answer as a Slack message: the lead, each quote with its outlet, date and section, buttons. */
export function renderAnswer(answer: Answer, options: AnswerRenderOptions = {}): SlackMessage {
  // Answers stored before the engine named suggestions still suggest the topics.
  const suggested = answer.abstained && !answer.suggestions?.length && !answer.newestTitles?.length && options.fallbackSuggestions ? { ...answer, suggestions: options.fallbackSuggestions } : answer;
  const card = answerCard(suggested, SLACK_DIALECT);
  if (card.tone === 'problem') return renderNotice(fitMrkdwn(card.lead, SECTION_MAX));
  const { blocks, plain } = cardBlocks(card);
  const footer: string[] = [];
  if (options.showQuestion && answer.question) footer.push(`Question: ${fitMrkdwn(answer.question, CONTEXT_MAX)}`);
  // The notes carry the asker's own words (what the sources lack), so they are escaped like any user text.
  for (const n of card.notes) footer.push(fitMrkdwn(n, CONTEXT_MAX));
  if (options.note) footer.push(fitMrkdwn(options.note, CONTEXT_MAX));
  if (footer.length) blocks.push(context(...footer));
  if (options.answerId) blocks.push(feedbackButtons(options.answerId, options.votes, options.share ?? false));
  return { text: fitText(plain.join('\n')), blocks: capBlocks(blocks) };
}

/** The lead (bold when nothing is quoted: it is the whole reply) and each quote with its attribution. */
function cardBlocks(card: Card): { blocks: KnownBlock[]; plain: string[] } {
  const lead = card.tone === 'none' ? `*${fitMrkdwn(card.lead, SECTION_MAX - 2)}*` : fitMrkdwn(card.lead, SECTION_MAX);
  const blocks: KnownBlock[] = [section(lead)];
  const plain = [escapeMrkdwn(card.lead)];
  const shown = card.quotes.slice(0, MAX_QUOTES);
  shown.forEach((q, i) => {
    const source = sourceLine(`${card.numbered ? `[${i + 1}] ` : ''}${q.attribution}`);
    blocks.push(section(blockQuote(q.text, SECTION_MAX)), context(source));
    plain.push(`“${escapeMrkdwn(truncate(q.text.replace(/\s+/g, ' '), 400))}” ${source}`);
  });
  if (card.quotes.length > shown.length) blocks.push(context(fitMrkdwn(moreQuotesNote(card.quotes.length - shown.length), CONTEXT_MAX)));
  return { blocks, plain };
}

/** A topic briefing or any other card with no buttons. */
export function renderCard(card: Card): SlackMessage {
  if (card.tone === 'problem') return renderNotice(fitMrkdwn(card.lead, SECTION_MAX));
  const { blocks, plain } = cardBlocks(card);
  if (card.sources) blocks.push(context(fitMrkdwn(card.sources, CONTEXT_MAX)));
  return { text: fitText(plain.join('\n')), blocks: capBlocks(blocks) };
}

export interface CommandHelp {
  usage: string;
  description: string;
}

/** `/brief help`: what the bot does, its commands and the topics it knows. */
export function renderHelp(topics: Topic[], commands: CommandHelp[]): SlackMessage {
  const how = [
    '*briefbot* answers questions about the US–Iran nuclear talks by quoting its sources word for word, naming the outlet, date and section of every quote.',
    '• Mention me in a channel with a question: I answer in a thread. Mention me again in that thread to follow up.',
    '• Send me a direct message: same thing, and replies in the thread are read as follow-ups.',
    ...commands.map((c) => `• \`${escapeMrkdwn(c.usage)}\`: ${escapeMrkdwn(c.description)}`),
    'Under each answer, 👍 / 👎 tell the team whether it helped.',
  ].join('\n');
  const blocks: KnownBlock[] = [section(truncate(how, SECTION_MAX))];
  if (topics.length) {
    let chunk = '*Topics I know*';
    for (const t of topics) {
      const line = `\n• *${fitMrkdwn(t.label, 150)}*: ${fitMrkdwn(t.description, 400)}`;
      if (chunk.length + line.length > SECTION_MAX) {
        blocks.push(section(chunk));
        chunk = '';
      }
      chunk += line;
    }
    if (chunk) blocks.push(section(chunk.replace(/^\n/, '')));
  }
  const plain = `briefbot answers questions about the US–Iran nuclear talks with verbatim quotes. Topics: ${topics.map((t) => t.label).join(', ') || 'none yet'}.`;
  return { text: fitText(escapeMrkdwn(plain)), blocks: capBlocks(blocks) };
}

/** `/brief sources`: the documents, in the order given (the engine's: newest first), with outlet and date. */
export function renderSources(sources: SourceInfo[]): SlackMessage {
  const card = sourcesCard(sources);
  if (!card.items.length) return renderNotice(escapeMrkdwn(card.lead));
  const blocks: KnownBlock[] = [section(`*${fitMrkdwn(card.title ?? '', 200)}*`)];
  let chunk = '';
  let listed = 0;
  for (const item of card.items) {
    const line = `• *${fitMrkdwn(item.name, 200)}* — ${fitMrkdwn(item.detail, 200)}`;
    if (chunk && chunk.length + 1 + line.length > SECTION_MAX) {
      // Room stays for this section, the next and the count of documents left out.
      if (blocks.length + 3 > MAX_BLOCKS) break;
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
    listed += 1;
  }
  if (chunk) blocks.push(section(chunk));
  if (listed < card.items.length) blocks.push(context(OLDER_NOT_SHOWN(card.items.length - listed)));
  return { text: fitText(escapeMrkdwn(card.title ?? '')), blocks };
}

/** A short message of ours (errors, confirmations): already safe text, one section. */
export function renderNotice(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

function fitText(escaped: string): string {
  if (escaped.length <= TEXT_MAX) return escaped;
  // Cut outside an entity (&amp; ...) so Slack never sees half of one.
  return `${escaped.slice(0, TEXT_MAX - 1).replace(/&[a-z]{0,4}$/, '')}…`;
}

/** Keeps the buttons (last block) when a message would exceed Slack's block limit. */
function capBlocks(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= MAX_BLOCKS) return blocks;
  const last = blocks[blocks.length - 1];
  return last.type === 'actions' ? [...blocks.slice(0, MAX_BLOCKS - 1), last] : blocks.slice(0, MAX_BLOCKS);
}

/**
 * The same message with its answer buttons showing `votes`: a feedback click on a public message
 * updates only the buttons, keeping every other block exactly as posted.
 */
export function withVotes(blocks: KnownBlock[], answerId: string, votes: VoteCounts): KnownBlock[] {
  return blocks.map((b) => {
    if (b.type !== 'actions' || b.block_id !== ANSWER_ACTIONS_BLOCK) return b;
    const share = b.elements.some((e) => 'action_id' in e && e.action_id === ACTION_SHARE);
    return feedbackButtons(answerId, votes, share);
  });
}
