// Answers, overviews and help as Block Kit messages. Every string that came from a source document,
// the engine or a user goes through fitMrkdwn/blockQuote (escaped, length-capped), and mrkdwn text
// objects are `verbatim` so Slack does not auto-link names or parse bare mentions in them
// (https://api.slack.com/reference/block-kit/composition-objects#text). Nothing we send can ping.
import type { types } from '@slack/bolt';
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import type { VoteCounts } from '../../src/store/feedback.js';
import type { Answer, Quote, SourceInfo, Topic, TopicBriefing } from '../../src/types.js';
import { quoteAttribution, sourceListByline } from '../shared/attribution.js';
import { coverageNote } from '../shared/coverage.js';
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

/** "— Tidewater Gulf Monitor, 10 Mar 2026 · Section" under a quote (adapters/shared/attribution.ts), escaped. */
export function sourceLine(quote: Quote, titles: Record<string, string> | undefined): string {
  return `— ${fitMrkdwn(quoteAttribution(quote, titles), CONTEXT_MAX - 2)}`;
}

/** What to tell a user whose question could not be used at all (`Answer.error`). */
export function inputErrorText(answer: Answer): string {
  switch (answer.error) {
    case 'empty':
      return 'Ask me a question about the US–Iran nuclear talks, for example “What is the dispute over enrichment?”. `/brief help` lists what I cover.';
    case 'too_long':
      // The engine knows the length it refused (Answer.question is cut short for too_long).
      if (answer.lead?.trim()) return fitMrkdwn(answer.lead.trim(), SECTION_MAX);
      return `That question is too long for me: I take up to ${MAX_QUESTION_CHARS.toLocaleString('en-US')} characters. Please ask just the part you want answered.`;
    case 'no_words':
      return 'I could not find any words to look up in that. Please ask in plain words, for example “What did Oman propose?”.';
    default:
      return 'I could not use that question. Please rephrase it.';
  }
}

function abstentionText(answer: Answer, fallback: string[] | undefined): string {
  // The engine's lead says it plainly and names what the sources do cover (and which of the
  // question's terms they never mention); ours is the fallback.
  if (answer.lead?.trim()) return `${fitMrkdwn(answer.lead.trim(), SECTION_MAX - 60)}\nTry \`/brief help\` for the full list of topics.`;
  const topics = (answer.suggestions?.length ? answer.suggestions : fallback ?? []).slice(0, 8);
  const lead = '*The sources I have don’t cover that.*';
  if (!topics.length) return `${lead} Try \`/brief help\` to see what they do cover.`;
  const list = topics.map((t) => fitMrkdwn(t, 120)).join(', ');
  return `${lead}\nThey do cover: ${list}. Ask me about one of those, or try \`/brief help\`.`;
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
  if (answer.error) {
    const text = inputErrorText(answer);
    return { text, blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [];
  const plain: string[] = [];
  if (answer.abstained) {
    const text = abstentionText(answer, options.fallbackSuggestions);
    blocks.push(section(text));
    plain.push(text);
  } else {
    // `lead` names the documents and sections (or is the LLM's synthesis); `answer` repeats the
    // quotes as terminal text, which the blocks below show properly.
    const lead = answer.lead?.trim() || 'Here is what the sources say:';
    blocks.push(section(fitMrkdwn(lead, SECTION_MAX)));
    plain.push(escapeMrkdwn(lead));
    const shown = answer.quotes.slice(0, MAX_QUOTES);
    for (const quote of shown) {
      const source = sourceLine(quote, answer.titles);
      blocks.push(section(blockQuote(quote.text, SECTION_MAX)), context(source));
      plain.push(`“${escapeMrkdwn(truncate(quote.text.replace(/\s+/g, ' '), 400))}” ${source}`);
    }
    const more = answer.quotes.length - shown.length;
    if (more > 0) blocks.push(context(`${more} more matching passage${more === 1 ? '' : 's'} not shown.`));
    if (answer.droppedQuotes > 0) {
      const n = answer.droppedQuotes;
      blocks.push(context(`${n} quoted passage${n === 1 ? '' : 's'} in the model’s draft could not be found in the sources and ${n === 1 ? 'was' : 'were'} left out.`));
    }
  }
  const footer: string[] = [];
  if (options.showQuestion && answer.question) footer.push(`Question: ${fitMrkdwn(answer.question, CONTEXT_MAX)}`);
  // The missing details are the asker's own words, so the note is escaped like any user text.
  const coverage = coverageNote(answer);
  if (coverage) footer.push(fitMrkdwn(coverage, CONTEXT_MAX));
  if (!answer.abstained) footer.push(answer.mode === 'llm' ? 'Summary written by a language model; every quote checked against the sources.' : 'Quoted word for word from the sources.');
  if (options.note) footer.push(fitMrkdwn(options.note, CONTEXT_MAX));
  if (footer.length) blocks.push(context(...footer));
  if (options.answerId) blocks.push(feedbackButtons(options.answerId, options.votes, options.share ?? false));
  return { text: fitText(plain.join('\n')), blocks: capBlocks(blocks) };
}

/** `/brief` alone: one short quote per topic the sources cover. */
export function renderOverview(items: TopicBriefing[]): SlackMessage {
  if (!items.length) {
    const text = 'The sources do not cover any briefing topics yet. Ask me a question anyway, or check back after the corpus is loaded.';
    return { text, blocks: [section(text)] };
  }
  const intro = '*What the sources cover*: one passage per topic. Ask me about any of them, or `/brief help` for more.';
  const blocks: KnownBlock[] = [section(intro)];
  const plain = ['What the sources cover:'];
  let shown = 0;
  for (const item of items) {
    if (blocks.length + 2 > MAX_BLOCKS - 1) break;
    const heading = `*${fitMrkdwn(item.topic.label, 150)}*: ${fitMrkdwn(item.topic.description, 400)}`;
    const quote = item.quotes[0];
    if (quote) {
      blocks.push(section(`${heading}\n${blockQuote(quote.text, SECTION_MAX - heading.length - 1)}`), context(sourceLine(quote, item.titles)));
    } else {
      blocks.push(section(heading));
    }
    plain.push(`• ${escapeMrkdwn(item.topic.label)}`);
    shown += 1;
  }
  const left = items.length - shown;
  if (left > 0) blocks.push(context(`${left} more topic${left === 1 ? '' : 's'}: see \`/brief help\`.`));
  return { text: fitText(plain.join('\n')), blocks };
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
  if (!sources.length) return renderNotice('The corpus has no documents yet.');
  const count = `${sources.length} document${sources.length === 1 ? '' : 's'}`;
  const blocks: KnownBlock[] = [section(`*Sources* (${count}, newest first)`)];
  let chunk = '';
  let listed = 0;
  for (const s of sources) {
    const line = `• *${fitMrkdwn(s.title, 200)}* — ${fitMrkdwn(sourceListByline(s), 200)}`;
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
  if (listed < sources.length) blocks.push(context(`${sources.length - listed} older document${sources.length - listed === 1 ? '' : 's'} not shown.`));
  return { text: fitText(escapeMrkdwn(`Sources: ${count}, newest first.`)), blocks };
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
