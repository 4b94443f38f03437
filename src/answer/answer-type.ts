// The kind of fact a question asks for, found in a sentence: a figure for "how many", a date for
// "when", a place for "where", a name for "who", names beside the asked kind of thing for "which
// specific sites", a list for "what are the four challenges". Mostly regular expressions: this runs
// on every sentence scored for such a question.
import { stemWord, tokenize } from '../text/tokens.js';
import type { AnswerType, Intent } from './intent.js';

const NUMBER_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens';
const TIME_UNITS = 'second|minute|hour|day|week|fortnight|month|year|decade';
const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
// A number that counts something: not a year or date, not part of a name ("Khorramshahr-4",
// "F-35C"), not a span of time ("three-year", "72-hour").
const QUANTITY = new RegExp(String.raw`(?:(?<![\p{L}\d-])\d[\d,.]*(?![\p{L}\d]|-\p{L})|\b(?:${NUMBER_WORDS})\b)(?![\s-]*(?:${TIME_UNITS})s?\b)`, 'iu');
const YEAR_OR_DATE = new RegExp(String.raw`\b(?:${MONTHS})\s+\d{1,2}\b|\b(?:${MONTHS})\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d\b`, 'gi');
const DURATION = new RegExp(String.raw`(?:\d+|\b(?:${NUMBER_WORDS}|a|an|several|few|many))[\s-]*(?:${TIME_UNITS})s?\b|\b(?:${TIME_UNITS})s\b`, 'i');
const TIME_UNIT = new RegExp(String.raw`^(${TIME_UNITS})s?$`, 'i');
const countedBy = new Map<string, RegExp>();
/** So many of the unit asked for ("six hours", "72-hour" for "how many hours"), not merely named ("hours of talks"). */
function counted(unit: string): RegExp {
  let re = countedBy.get(unit);
  if (!re) countedBy.set(unit, (re = new RegExp(String.raw`(?:\d+|\b(?:${NUMBER_WORDS}|a|an|several|few))[\s-]*${unit}s?\b`, 'i')));
  return re;
}
// "62 years old", "aged 62", "(born 1963)".
const AGE = /\b\d{1,3}[\s-]*(?:years?|yrs?)[\s-]*old\b|\baged?\s+\d{1,3}\b|\b\d{1,3}-year-old\b|\bborn\b/i;
const DATE = new RegExp(String.raw`\b(?:${MONTHS})\b|\b(?:19|20)\d\d\b|\b(?:yesterday|today|last (?:week|month|year|summer|winter|spring|autumn|fall))\b`, 'i');

/** The detail `missing` names when the best quote lacks the kind of fact asked for. */
export const ANSWER_TYPE_DETAIL: Record<AnswerType, string> = {
  quantity: 'figure',
  duration: 'duration',
  age: 'age',
  date: 'date',
  place: 'place',
  person: 'name',
  names: 'names',
  list: 'list',
};

/** The detail `missing` names for what happened on a day after the newest source was published. */
export const OUTCOME_DETAIL = 'outcome';

/** Whether a quote holds the kind of fact asked for; `question` words never count as the answer. */
export function hasAnswerType(type: AnswerType, text: string, question: Set<string>, intent?: Pick<Intent, 'category' | 'count' | 'focus'>): boolean {
  switch (type) {
    case 'names':
      return intent?.category ? namesBeside(text, intent.category, question) : properNames(text, question).length > 0;
    case 'list':
      // "the four challenges: A, B, C and D" lists them; "the four key challenges facing X" only names them.
      return (text.match(/[,;:]|\band\b/g)?.length ?? 0) >= Math.max(1, (intent?.count ?? 2) - 1);
    case 'quantity': {
      // "How many hours...?" is answered by so many of them ("six hours"), which QUANTITY, made to
      // pass over spans of time, would miss; "hours of talks" does not count them.
      const unit = intent?.focus ? TIME_UNIT.exec(intent.focus)?.[1].toLowerCase() : undefined;
      if (unit) return counted(unit).test(text);
      if (!QUANTITY.test(text.replace(YEAR_OR_DATE, ' '))) return false;
      return intent?.focus ? countsFocus(text, intent.focus) : true;
    }
    case 'duration':
      return DURATION.test(text);
    case 'age':
      return AGE.test(text);
    case 'date':
      return DATE.test(text);
    case 'place':
      return namesAfter(text, /^(?:in|at|from|to|near|off|outside|inside|into|toward|towards|across)$/i, question);
    case 'person':
      return properNames(text, question).length > 0;
  }
}

/** How far before the counted word its number may stand: "14 shadow fleet vessels". */
const COUNT_REACH = 4;
const COUNT_WORD = new RegExp(String.raw`^(?:\d[\d,.]*|${NUMBER_WORDS})$`, 'i');

/**
 * For "how many senators...?": where the sentence names what is counted, a number stands just
 * before it ("nine more tankers", "over a thousand casualties"); "Senator Harlan Voss introduced
 * a bill" counts no senators. A sentence that never names it (another word for it, "vessels" for
 * "ships") may still hold the figure, so any number then does.
 */
function countsFocus(text: string, focus: string): boolean {
  const asked = new Set(focus.split(' / ').map((w) => stemWord(w.toLowerCase())));
  const tokens = tokenize(text);
  let named = false;
  for (let i = 0; i < tokens.length; i++) {
    if (!asked.has(tokens[i].stem)) continue;
    named = true;
    for (let j = Math.max(0, i - COUNT_REACH); j < i; j++) if (COUNT_WORD.test(tokens[j].norm)) return true;
  }
  return !named;
}

/** A name next to the asked kind of thing ("the Fordow and Natanz sites", "sites at Fordow"). */
function namesBeside(text: string, category: string, question: Set<string>): boolean {
  const tokens = tokenize(text);
  const stem = stemWord(category);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].stem !== stem) continue;
    for (let j = Math.max(0, i - 2); j <= Math.min(tokens.length - 1, i + 3); j++) {
      const t = tokens[j];
      if (j !== i && t.capitalized && !t.acronym && !question.has(t.stem) && !question.has(t.norm)) return true;
    }
  }
  return false;
}

/** Capitalised words not at a sentence start and not among the question's words. */
function properNames(text: string, question: Set<string>): string[] {
  const out: string[] = [];
  // A regular expression rather than the tokenizer: this runs on every sentence scored for a "who" question.
  for (const m of text.matchAll(/(?<=[\p{L}\d,;)’'"”]\s+)\p{Lu}\p{Ll}[\p{L}'’-]*/gu)) {
    const norm = m[0].toLowerCase().replace(/['’]s$/, '');
    if (!CALENDAR.test(norm) && !question.has(norm) && !question.has(stemWord(norm))) out.push(norm);
  }
  return out;
}
const CALENDAR = new RegExp(String.raw`^(?:${MONTHS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$`);

/** A capitalised word right after one of the prepositions (optionally after "the"). */
function namesAfter(text: string, prepositions: RegExp, question: Set<string>): boolean {
  const words = text.split(/\s+/);
  for (let i = 0; i + 1 < words.length; i++) {
    if (!prepositions.test(words[i])) continue;
    let j = i + 1;
    if (/^the$/i.test(words[j]) && j + 1 < words.length) j++;
    const w = words[j].replace(/[^\p{L}\d-]/gu, '');
    if (/^\p{Lu}/u.test(w) && !question.has(stemWord(w.toLowerCase())) && !question.has(w.toLowerCase())) return true;
  }
  return false;
}
