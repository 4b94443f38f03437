// Every sentence an answer, a topic briefing or a source list says to a person, for every platform.
// The core hands over outcomes (coverage levels, reason codes, quotes with their sources and dates);
// the words for them are made here, once. What differs by platform is only how a person asks
// (`Dialect`: Slack's `/brief help`, Discord's `/ask question:`), and each platform escapes the
// plain text it gets.
import { MAX_QUESTION_CHARS } from '../../src/service.js';
import { formatDay } from '../../src/text/dates.js';
import type { Answer, Coverage, Quote, SourceInfo } from '../../src/types.js';

/** How a person asks on one platform, for the examples and pointers in our sentences. */
export interface Dialect {
  /** A sample question as the person would type it: "“What did Oman propose?”", "`/ask question: …`". */
  example(question: string): string;
  /** Where the list of topics is: "`/brief help`". */
  topicsCommand: string;
}

/** Beyond this many missing details the note would stop being one short line. */
const MAX_MISSING_SHOWN = 4;

/** Each kind of fact a partial answer can lack, as words. */
const DETAIL_WORDS: Record<string, string> = {
  figure: 'a figure',
  date: 'a date',
  name: 'a name',
  names: 'the names',
  duration: 'how long it lasted',
  place: 'the exact place',
};

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

/** The reply to a question that could not be used at all. */
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
export function sourcesLead(quotes: readonly Quote[], titles: Record<string, string> | undefined): string {
  const byDoc = new Map<string, string[]>();
  for (const q of quotes) {
    const s = byDoc.get(q.document) ?? [];
    if (!s.includes(q.section)) s.push(q.section);
    byDoc.set(q.document, s);
  }
  const parts = [...byDoc].map(([doc, sections]) => `“${titles?.[doc] ?? doc}” (${sections.join('; ')})`);
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
export function coverageHint(answer: Pick<Answer, 'suggestions' | 'newestTitles'>): string {
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
  const who = newest.source || `“${titles?.[newest.document] ?? newest.document}”`;
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
  let lead = from;
  if (coverageOf(answer) === 'partial') lead = `The sources ${answer.subject ? `mention ${answer.subject}` : 'touch on this'} but ${describeMissing(answer.missing, answer.focus)}. ${from}`;
  else if (coverageOf(answer) === 'related') lead = `These are the closest passages; they may not answer the question exactly. ${from}`;
  if (answer.conflict) return `${disagreementLead(answer.quotes[0], answer.titles)} ${lead}`;
  if (answer.concurring > 0) return `${concurLead(answer.concurring)} ${lead}`;
  return lead;
}

/** The coverage level, for answers stored before they carried one. */
export function coverageOf(answer: Pick<Answer, 'abstained'> & Partial<Pick<Answer, 'coverage'>>): Coverage {
  return answer.coverage ?? (answer.abstained ? 'none' : 'answered');
}

/**
 * One line telling the reader how far the quotes go, or undefined when there is nothing to add:
 * a full answer needs no caveat, and an abstention already says the sources don't cover it.
 */
export function coverageNote(answer: Pick<Answer, 'abstained'> & Partial<Pick<Answer, 'coverage' | 'missing'>>): string | undefined {
  if (answer.abstained) return undefined;
  switch (coverageOf(answer)) {
    case 'partial': {
      const missing = distinct(answer.missing);
      const shown = missing.slice(0, MAX_MISSING_SHOWN);
      const list = missing.length > shown.length ? `${shown.join(', ')} and ${missing.length - shown.length} more` : naturalList(shown);
      // The missing details are the question's words, not noun phrases we could put an article
      // before, so they follow a colon rather than "the sources don't give the …".
      return missing.length ? `Partly covered. Not in the sources: ${list}.` : 'Partly covered: the sources answer only part of this.';
    }
    case 'related':
      return 'Closest passages: the sources may not answer this exactly.';
    default:
      return undefined;
  }
}

/** How the answer was made, under it. */
export function modeNote(answer: Pick<Answer, 'mode' | 'quotes' | 'droppedQuotes'>): string {
  return answer.mode === 'llm' ? 'Summary written by a language model; every quote checked against the sources.' : 'Quoted word for word from the sources.';
}

/** Quoted spans of a model's draft that were not in the sources, or undefined when there were none. */
export function droppedNote(dropped: number): string | undefined {
  if (dropped <= 0) return undefined;
  return `${dropped} quoted passage${dropped === 1 ? '' : 's'} in the model’s draft could not be found in the sources and ${dropped === 1 ? 'was' : 'were'} left out.`;
}

/** "412 ms · written by the model, 2 verified quote(s), 1 unverifiable dropped" */
export function answerStats(answer: Pick<Answer, 'ms' | 'mode' | 'quotes' | 'droppedQuotes'>): string {
  const mode = answer.mode === 'llm' ? ` · written by the model, ${answer.quotes.length} verified quote(s)${answer.droppedQuotes ? `, ${answer.droppedQuotes} unverifiable dropped` : ''}` : '';
  return `${Math.round(answer.ms)} ms${mode}`;
}

/** Quotes a platform had no room for. */
export function moreQuotesNote(more: number): string {
  return `${more} more matching passage${more === 1 ? '' : 's'} not shown.`;
}

/** "Source: Title" / "Sources: A; B" naming each quoted document once, in order of first use. */
export function sourcesFooter(quotes: readonly Quote[], titles: Record<string, string> | undefined): string | undefined {
  const names = [...new Set(quotes.map((q) => titles?.[q.document] ?? q.document))];
  if (!names.length) return undefined;
  return `${names.length === 1 ? 'Source' : 'Sources'}: ${names.join('; ')}`;
}

/** A topic briefing's lead, or why it has nothing. */
export function topicLead(label: string, quotes: readonly Quote[], titles: Record<string, string>): string {
  return quotes.length ? sourcesLead(quotes, titles) : `The sources don't cover ${label.toLowerCase()} yet.`;
}

export const TOPIC_TITLE = (label: string) => `Briefing: ${label}`;
export const UNKNOWN_TOPIC = (id: string, labels: string[]) => `I have no briefing topic "${id}". Topics: ${labels.join(', ') || 'none yet'}.`;
export const NO_SOURCES = 'The corpus has no documents yet.';
export const SOURCES_TITLE = (n: number) => `Sources (${n} document${n === 1 ? '' : 's'}, newest first)`;
export const OLDER_NOT_SHOWN = (n: number) => `${n} older document${n === 1 ? '' : 's'} not shown.`;
export const SECTIONS_LINE = (s: Pick<SourceInfo, 'sections'>) => (s.sections.length ? `Sections: ${s.sections.join('; ')}` : '');
