// The platform-neutral card built from an outcome (an Answer, a topic briefing, the source list), and
// every sentence it says to a person: the core hands over coverage, reason codes and quotes, and the
// words are made here, once. Each platform supplies its `Dialect`, escapes the text and fits it.
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import { attribution, listedByline } from '../../src/text/attribution.js';
import { formatDay } from '../../src/text/dates.js';
import type { Answer, Coverage, Quote, SourceInfo, Topic, TopicBriefing } from '../../src/types.js';

/** How a person asks on one platform, for the examples and pointers in our sentences. */
export interface Dialect {
  /** A sample question as the person would type it: "“What did Oman propose?”", "`/ask question: …`". */
  example(question: string): string;
  /** Where the list of topics is: "`/brief help`". */
  topicsCommand: string;
}

export interface CardQuote {
  text: string;
  /** "Tidewater Gulf Monitor, 10 Mar 2026 · Section" */
  attribution: string;
  document: string;
}

/** One listed item without a quote (a source document): a name, a line under it, and more for roomier layouts. */
export interface CardItem {
  name: string;
  detail: string;
  extra?: string;
  /** A handle the reader types back into a command (a document's id), which platforms set as code. */
  id?: string;
}

/** `caveat`: quotes that answer part of it or may not; `none`: nothing quoted; `problem`: an unusable question. */
export type CardTone = 'answer' | 'caveat' | 'none' | 'problem';

export interface Card {
  tone: CardTone;
  /** The question, or what the card is ("Briefing: Oman's role"); platforms that title cards show it. */
  title?: string;
  lead: string;
  quotes: CardQuote[];
  /** True when the lead cites the quotes by number ([1], [2]: a model's synthesis). */
  numbered: boolean;
  items: CardItem[];
  /** Short lines under the quotes: how far they go, how the answer was made. */
  notes: string[];
  /** "Sources: A; B": each quoted document once. */
  sources?: string;
}

const empty = { quotes: [], numbered: false, items: [], notes: [] };

export function answerCard(answer: Answer, d: Dialect): Card {
  if (answer.error) return { ...empty, tone: 'problem', lead: answerLead(answer, d) };
  if (answer.abstained) return { ...empty, tone: 'none', title: answer.question, lead: answerLead(answer, d) };
  return {
    tone: answer.coverage === 'partial' || answer.coverage === 'related' ? 'caveat' : 'answer',
    title: answer.question,
    lead: answerLead(answer, d),
    quotes: answer.quotes.map((q) => ({ text: q.text, attribution: quoteAttribution(q, answer.titles), document: q.document })),
    numbered: answer.mode === 'llm',
    items: [],
    notes: answerNotes(answer),
    sources: sourcesFooter(answer.quotes, answer.titles),
  };
}

export function topicCard(briefing: TopicBriefing): Card {
  const { topic, quotes, titles } = briefing;
  return {
    ...empty,
    tone: quotes.length ? 'answer' : 'none',
    title: `Briefing: ${topic.label}`,
    lead: quotes.length ? sourcesLead(quotes, titles) : `The sources don't cover ${topic.label.toLowerCase()} yet.`,
    quotes: quotes.map((q) => ({ text: q.text, attribution: quoteAttribution(q, titles), document: q.document })),
    sources: sourcesFooter(quotes, titles),
  };
}

export function unknownTopicCard(id: string, topics: Topic[]): Card {
  return { ...empty, tone: 'problem', lead: `I have no briefing topic "${id}". Topics: ${topics.map((t) => t.label).join(', ') || 'none yet'}.` };
}

/**
 * The documents in the order given (the engine's: newest first), each with its outlet and date.
 * `removeCommand` (given to editors only): each document's id is shown, for that command to take.
 */
export function sourcesCard(sources: SourceInfo[], options: { removeCommand?: string } = {}): Card {
  if (!sources.length) return { ...empty, tone: 'none', lead: 'The corpus has no documents yet.' };
  const { removeCommand } = options;
  return {
    ...empty,
    tone: 'answer',
    title: `Sources (${counted(sources.length, 'document')}, newest first)`,
    lead: removeCommand ? `Each document’s id is shown with it; \`${removeCommand}\` removes that document.` : '',
    items: sources.map((s) => ({
      name: s.title,
      detail: listedByline(s.source, s.published),
      ...(s.sections.length ? { extra: `Sections: ${s.sections.join('; ')}` } : {}),
      ...(removeCommand ? { id: s.id } : {}),
    })),
  };
}

/** Beyond this many missing details the note would stop being one short line. */
const MAX_MISSING_SHOWN = 4;

const DETAIL_WORDS: Record<string, string> = {
  figure: 'a figure',
  date: 'a date',
  name: 'a name',
  names: 'the names',
  duration: 'how long it lasted',
  age: 'an age',
  outcome: 'how it turned out, which came after the newest of them was published',
  place: 'the exact place',
};

function documentTitle(document: string, titles: Record<string, string> | undefined): string {
  return titles?.[document] ?? document;
}

/** "Tidewater Gulf Monitor, 10 Mar 2026 · Section" (src/text/attribution.ts), titled from `titles`. */
export function quoteAttribution(quote: Quote, titles: Record<string, string> | undefined): string {
  return attribution(quote, documentTitle(quote.document, titles));
}

/** "1 passage", "3 passages". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "a", "a and b", "a, b or c". */
function naturalList(items: string[], conjunction = 'and'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** The question's own words: kept on one line, and each named once. */
function distinct(missing: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of missing ?? []) {
    const item = raw.replace(/\s+/g, ' ').trim();
    if (item && !seen.has(item.toLowerCase()) && seen.add(item.toLowerCase())) out.push(item);
  }
  return out;
}

export function questionProblemText(answer: Pick<Answer, 'error' | 'questionChars'>, d: Dialect): string {
  const limit = MAX_QUESTION_CHARS.toLocaleString('en-US');
  switch (answer.error) {
    case 'empty':
      return `Please ask a question about the US–Iran talks, for example: ${d.example('Why is Oman trusted as a mediator?')}`;
    case 'too_long': {
      const size = answer.questionChars ? `That question is ${answer.questionChars.toLocaleString('en-US')} characters long; ` : 'That question is too long; ';
      return `${size}please keep it under ${limit} characters and ask just the part you want answered.`;
    }
    case 'no_words':
      return `I could not find any words in that question. Please ask in plain words, for example: ${d.example('What sanctions were announced?')}`;
    default:
      return 'I could not use that question. Please rephrase it.';
  }
}

/** "From “Title” (Section; Section):" naming every document and section quoted, in order. */
function sourcesLead(quotes: readonly Quote[], titles: Record<string, string> | undefined): string {
  const sections = new Map<string, Set<string>>();
  for (const q of quotes) sections.set(q.document, (sections.get(q.document) ?? new Set<string>()).add(q.section));
  const parts = [...sections].map(([doc, names]) => `“${documentTitle(doc, titles)}” (${[...names].join('; ')})`);
  return `From ${parts.join(' and ')}:`;
}

/** What a partial answer lacks, as the rest of its sentence: "don't give its range", "say nothing about “Doha”". */
function describeMissing(missing: readonly string[], focus?: string): string {
  const asked = new Set((focus ?? '').toLowerCase().split(' / '));
  const given: string[] = [];
  const other: string[] = [];
  for (const m of missing) {
    if (DETAIL_WORDS[m]) given.push(DETAIL_WORDS[m]);
    else if (asked.has(m.toLowerCase())) given.push(`its ${m}`);
    else if (/^the .* themselves$/.test(m)) given.push(m);
    else other.push(`“${m}”`);
  }
  const parts = [given.length ? `don't give ${naturalList(given, 'or')}` : '', other.length ? `say nothing about ${naturalList(other, 'or')}` : ''].filter(Boolean);
  return parts.join(', and ') || "don't give that detail";
}

/** "They cover: Trust deficit, Oman's role." — what an abstention suggests instead. */
function coverageHint(answer: Pick<Answer, 'suggestions' | 'newestTitles'>): string {
  const list = answer.suggestions?.length ? answer.suggestions : (answer.newestTitles ?? []).map((t) => `“${t}”`);
  return list.length ? `They cover: ${list.join(', ')}.` : '';
}

/** The first line of an abstention: why nothing is quoted. */
function noneLead(answer: Answer): string {
  const never = distinct(answer.missing).map((m) => `“${m}”`);
  switch (answer.reason) {
    case 'other_language':
      return "The sources don't cover that. The sources are English analyses; please ask in English.";
    case 'unknown_names':
      return `The sources don't cover that.${never.length ? ` They never mention ${naturalList(never, 'or')}.` : ''}`;
    case 'outlet_silent':
      return `${answer.outlet ?? 'That source'} has nothing on that.`;
    case 'topic_unanswered':
      return `Nothing in the sources answers that question, though they discuss ${answer.nearTopic}.`;
    default:
      return "The sources don't cover that.";
  }
}

/** "The sources disagree; the most recent is Tidewater Gulf Monitor (10 Mar 2026), quoted first." */
function disagreementLead(newest: Quote, titles: Record<string, string> | undefined): string {
  const who = newest.source || `“${documentTitle(newest.document, titles)}”`;
  return `The sources disagree; the most recent is ${who}${newest.published ? ` (${formatDay(newest.published)})` : ''}, quoted first.`;
}

/** "The newest source is quoted first; 2 others say the same." */
function concurLead(others: number): string {
  return `The newest source is quoted first; ${others === 1 ? 'another says' : `${others} others say`} the same.`;
}

/** The lead above an answer's quotes: what they are, and how far they go. */
export function answerLead(answer: Answer, d: Dialect): string {
  if (answer.error) return questionProblemText(answer, d);
  if (answer.abstained || !answer.quotes.length) return [noneLead(answer), coverageHint(answer), `${d.topicsCommand} lists the topics.`].filter(Boolean).join(' ');
  if (answer.synthesis?.trim()) return answer.synthesis.trim();
  const from = sourcesLead(answer.quotes, answer.titles);
  const coverage = coverageOf(answer);
  let lead = from;
  if (coverage === 'partial') lead = `The sources ${answer.subject ? `mention ${answer.subject}` : 'touch on this'} but ${describeMissing(answer.missing, answer.focus)}. ${from}`;
  else if (coverage === 'related') lead = `These are the closest passages; they may not answer the question exactly. ${from}`;
  if (answer.conflict) return `${disagreementLead(answer.quotes[0], answer.titles)} ${lead}`;
  if (answer.concurring > 0) return `${concurLead(answer.concurring)} ${lead}`;
  return lead;
}

/** The coverage level, for answers stored before they carried one. */
export function coverageOf(answer: Pick<Answer, 'abstained'> & Partial<Pick<Answer, 'coverage'>>): Coverage {
  return answer.coverage ?? (answer.abstained ? 'none' : 'answered');
}

/** How far the quotes go, in one line; none for a full answer or an abstention, which says it already. */
export function coverageNote(answer: Pick<Answer, 'abstained'> & Partial<Pick<Answer, 'coverage' | 'missing'>>): string | undefined {
  if (answer.abstained) return undefined;
  switch (coverageOf(answer)) {
    case 'partial': {
      const missing = distinct(answer.missing);
      const shown = missing.slice(0, MAX_MISSING_SHOWN);
      const list = missing.length > shown.length ? `${shown.join(', ')} and ${missing.length - shown.length} more` : naturalList(shown);
      // The question's own words take no article, so they follow a colon, not "don't give the …".
      return missing.length ? `Partly covered. Not in the sources: ${list}.` : 'Partly covered: the sources answer only part of this.';
    }
    case 'related':
      return 'Closest passages: the sources may not answer this exactly.';
    default:
      return undefined;
  }
}

/** The lines under an answer's quotes: how far they go, how it was made, what of a model's draft was left out. */
export function answerNotes(answer: Answer): string[] {
  const notes = [coverageNote(answer), answer.mode === 'llm' ? 'Summary written by a language model; every quote checked against the sources.' : 'Quoted word for word from the sources.'];
  const dropped = answer.droppedQuotes;
  if (dropped > 0) notes.push(`${counted(dropped, 'quoted passage')} in the model’s draft could not be found in the sources and ${dropped === 1 ? 'was' : 'were'} left out.`);
  return notes.filter((n): n is string => !!n);
}

export function moreQuotesNote(more: number): string {
  return `${counted(more, 'more matching passage')} not shown.`;
}

/** "Source: Title" / "Sources: A; B" naming each quoted document once, in order of first use. */
export function sourcesFooter(quotes: readonly Quote[], titles: Record<string, string> | undefined): string | undefined {
  const names = [...new Set(quotes.map((q) => documentTitle(q.document, titles)))];
  if (!names.length) return undefined;
  return `${names.length === 1 ? 'Source' : 'Sources'}: ${names.join('; ')}`;
}

export const OLDER_NOT_SHOWN = (n: number) => `${counted(n, 'older document')} not shown.`;
