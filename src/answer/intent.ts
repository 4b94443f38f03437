import { tokenize, type Token } from '../text/tokens.js';

// What a question asks for, read from its wording alone (no corpus): a briefing on a subject
// ("catch me up on Oman"), several questions in one ("what did X warn about, and which states..."),
// a yes/no question, or a fact of a particular kind (a figure, a date, a place, a person). The answer
// path uses this to choose between a topic briefing and quotes, to quote each part of a two-part
// question, and to notice when the quotes lack the kind of fact asked for.

/** The kind of fact a wh-question expects, when its wording says so. */
export type AnswerType = 'quantity' | 'duration' | 'age' | 'date' | 'place' | 'person' | 'names' | 'list';

export interface Intent {
  /** A request for a briefing rather than a fact; `subject` is what it is about ('' for the whole story). */
  briefing?: { subject: string };
  /** The question's parts: one for most questions, two or more for "X, and Y?" or "X? And Y?". */
  parts: string[];
  yesNo: boolean;
  /** It asks what happened ("what did the leaders agree?"), not what was planned or is to come. */
  past: boolean;
  answerType?: AnswerType;
  /**
   * The noun(s) the question asks for ("range" in "what's the range of the Khorramshahr-4?",
   * "troops" in "how many US troops..."), joined by " / " when it asks for two.
   */
  focus?: string;
  /** For a `list` question ("what are the four challenges?"): how many items it expects. */
  count?: number;
  /** The kind of thing a which/what question asks for ("sites" in "which specific sites..."). */
  category?: string;
}

// Briefing requests: the phrase that asks for a briefing, then (optionally) a subject. Ordinary
// English phrasings of "summarise this for me", not tied to any one topic.
const BRIEFING_OPENERS = [
  String.raw`catch (?:me|us|everyone|the team) up(?: on| with| about)?`,
  String.raw`fill (?:me|us) in(?: on| about)?`,
  String.raw`bring (?:me|us) up to speed(?: on| with)?`,
  String.raw`get (?:me|us) up to speed(?: on| with)?`,
  String.raw`(?:give (?:me|us) )?(?:the |a )?(?:tl;?dr|tldr|gist|rundown|lowdown|recap|summary|overview|synopsis|high[- ]level (?:view|picture|summary|overview)|quick (?:brief|briefing|summary|take|version|rundown)|short version|cliff'?s? ?notes)(?: (?:on|of|about|for|re|regarding))?`,
  String.raw`(?:what(?:'s| is) )?(?:the )?(?:big picture|state of play|bottom line|story|upshot|takeaway|key takeaways?|situation)(?: (?:on|of|about|with|for|re|regarding))?`,
  String.raw`(?:can (?:you|someone|anyone) )?(?:please )?(?:summari[sz]e|sum up|recap|brief (?:me|us)(?: on| about)?|walk (?:me|us) through|break down|explain)`,
  String.raw`high[- ]level`,
  String.raw`where do (?:things|we|matters) stand(?: on| with)?`,
  String.raw`where (?:are|is) (?:things|it|we) (?:at|now)(?: on| with)?`,
  String.raw`quick brief(?:ing)?(?: for [\w\s]+?)?`,
];
const BRIEFING = new RegExp(String.raw`^\W*(?:ok(?:ay)?|so|hey|hi|pls|please|quick(?:ly)?)?[\s,:]*(?:${BRIEFING_OPENERS.join('|')})\b[\s,:;.-]*`, 'i');
/** What a briefing request says after its subject that asks nothing more ("for the desk", "two lines max"). */
const BRIEFING_TAIL = /\b(?:for (?:the|my|our) (?:desk|team|floor|trading floor|boss|readers|newsletter|piece|meeting)|(?:in )?(?:two|2|three|3|a few|one|1) (?:lines|sentences|bullets)(?: max)?|pls|please|thanks|thx)\b[\s.!?]*/gi;
/**
 * A briefing phrase that leads into a question for one fact ("tl;dr: when did the strikes happen?")
 * is that question; "what ..." after a briefing phrase ("what signposts should we watch") still asks
 * for the briefing.
 */
const FACT_AFTER = /^(?:who|whom|whose|when|where|which|how|why|did|does|do|is|are|was|were|has|have|can|could|would|will|should)\b/i;

/** Past tense: "what did ... agree", "what was decided", "what happened". */
const PAST = /\b(?:did|was|were|happened|agreed|decided|concluded|came out of)\b/i;
/** ... unless it asks about the plan: "what was planned for", "when was it expected". */
const PLANNED = /\b(?:plann?ed|expected|scheduled|due|supposed|set to|going to|meant to|slated|announced|proposed)\b/i;

const YES_NO = /^(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would|should|shall|may|might|must)\b/i;

/** "Who were the two individuals...": its noun is the kind of thing the names must be beside. */
const WHO_THE_N = /^\W*who (?:are|were|was|is) the (?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|other) (\p{L}+)/iu;
/** "Can you name any of the 15 entities?", "list the vessels": names of that kind of thing (its noun). */
const NAME_THE = /\b(?:name|list|identify)\s+(?:(?:any|some|all|each|every|one)\s+(?:of\s+)?)?(?:the\s+)?(?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten|other|remaining)\s+)*(\p{L}+)/iu;
const ANSWER_TYPES: [RegExp, AnswerType][] = [
  [/\bhow old\b|\bwhat age\b|\bat what age\b/i, 'age'],
  [/\bhow long\b/i, 'duration'],
  [/\bhow (?:many|much|big|large|high|far|often|severe)\b|\bwhat (?:number|percentage|percent|share|proportion|amount|figure|toll|level|size)\b/i, 'quantity'],
  [/\bwhen\b|\bwhat (?:date|day|year|month|time)\b|\bon what (?:date|day)\b/i, 'date'],
  [/\bwhere\b|\bwhat (?:city|country|place|location|venue|base|site)\b/i, 'place'],
  // "Who were the two individuals sanctioned?": names of that kind of person (category below).
  [WHO_THE_N, 'names'],
  [/^\W*who(?:'s| is| was| were| are)?\b|\bwho (?:led|fronted|headed|wrote|said|attended)\b/i, 'person'],
  [/^\W*(?:which|what) (?:specific|exact|particular|individual)\b|\bwhat (?:are|were) the names\b/i, 'names'],
  [NAME_THE, 'names'],
];
/** "What are the four challenges...": a list of so many items. */
const LIST = /^\W*(?:what|which) (?:are|were) the (?:other |remaining )?(\d+|two|three|four|five|six|seven|eight|nine|ten) /i;
const COUNT_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** Words after "what's the" that do not name an attribute ("what's the deal", "what's the latest"). */
const NOT_FOCUS = new Set('deal thing story latest situation point idea plan reason difference kind type sort way status news issue problem matter big bottom state main key current overall general else picture gist takeaway upshot'.split(' '));

/**
 * Splits "What did X warn about, and which states would...?" or "What would kill it? And what would
 * show ...?" at the second question word; a plain "and" inside one question ("Egypt, Turkey and
 * Qatar") never splits.
 */
function splitParts(q: string): string[] {
  const byMark = q.split(/\?\s+(?=\S)/).map((s) => s.trim()).filter(Boolean);
  const parts: string[] = [];
  for (const piece of byMark) {
    const m = /^(.{12,}?)(?:,\s*|\s+)(?:and|but|also|plus)\s+(?=(?:who|whom|whose|when|where|which|how|why|what|did|does|do|is|are|was|were|has|have|can|could|would|will|should)\b)(.{8,})$/i.exec(piece);
    if (m) parts.push(m[1].trim(), m[2].trim());
    else parts.push(piece);
  }
  // "Two things: A, and B" reads as two parts too; the preamble is not one.
  return parts.map((p) => p.replace(/^(?:two|2|three|3|a couple of|couple of) (?:things|questions|qs)\s*[:\-–—]\s*/i, '')).filter((p) => /\w/.test(p));
}

export function readIntent(question: string): Intent {
  // One space for every run of whitespace first: the patterns below then never backtrack over a
  // long run of it (40,000 spaces took seconds).
  let q = question.replace(/\s+/g, ' ').trim();
  const m = BRIEFING.exec(q);
  let briefing: Intent['briefing'];
  if (m && m[0].trim()) {
    let subject = q.slice(m[0].length).replace(BRIEFING_TAIL, ' ').replace(/\s+/g, ' ').trim();
    // "quick brief for the trading floor: what signposts...": who it is for is no part of the subject.
    const colon = /^((?:for )?(?:the |my |our |a )?[\w ]{1,30}?)\s*:\s+(.+)$/i.exec(subject);
    if (colon && !/\b(?:what|which|who|why|how|when|where)\b/i.test(colon[1])) subject = colon[2];
    subject = trimTrailing(subject.replace(/^(?:on|of|about|re|regarding|with)\s+/i, ''), ' ?.!:;,-');
    if (FACT_AFTER.test(subject)) q = subject;
    else briefing = { subject };
  }
  const parts = splitParts(q);
  const first = parts[0] ?? q;
  const yesNo = YES_NO.test(first);
  const past = PAST.test(first) && !PLANNED.test(first);
  const answerType = ANSWER_TYPES.find(([re]) => re.test(first))?.[1];
  // One tokenisation of the question serves both readings.
  const tokens = tokenize(first);
  const focus = focusOf(first, tokens);
  const category = WHO_THE_N.exec(first)?.[1].toLowerCase() ?? namedCategory(first, tokens) ?? categoryOf(tokens);
  const list = LIST.exec(first);
  if (list) return { parts, yesNo, past, answerType: 'list', count: COUNT_WORDS[list[1].toLowerCase()] ?? Number(list[1]), focus, category, briefing };
  return { parts, yesNo, past, answerType, focus, category, briefing };
}

/** The first noun after "name" or "list" ("list all the sanctioned vessels" -> "vessels"). */
function namedCategory(question: string, tokens: Token[]): string | undefined {
  const m = NAME_THE.exec(question);
  if (!m) return undefined;
  const after = tokens.filter((t) => t.start > m.index);
  for (const t of after.slice(1, 8)) if (t.pos === 'NOUN') return t.norm;
  return undefined;
}

/** The first noun after an opening "which" or "what" ("which specific nuclear sites" -> "sites"). */
function categoryOf(tokens: Token[]): string | undefined {
  if (!tokens.length || !/^(?:which|what|name|list)$/.test(tokens[0].norm)) return undefined;
  // Only words that qualify the noun may come between: "what did Oman's foreign minister say"
  // asks what was said, not for a minister.
  for (const t of tokens.slice(1, 6)) {
    if (t.pos === 'NOUN') return t.norm;
    if (t.pos !== 'ADJ' && t.pos !== 'DET' && t.pos !== 'NUM' && t.pos !== 'ADV' && t.pos !== 'PROPN') return undefined;
  }
  return undefined;
}

/**
 * The noun a wh-question asks for: right after "what/which" ("what hardware..."), after "what's
 * the" ("what's the range of..."), or after "how many/much" ("how many US troops"), skipping
 * determiners, adjectives, numbers and names; two nouns joined by "/" or "or" are both asked for.
 * "What did Rubio say" asks for no noun: the wh-word is followed by an auxiliary, not a copula.
 */
function focusOf(question: string, tokens: Token[]): string | undefined {
  const words = question.toLowerCase();
  let i = tokens.findIndex((t) => t.norm === 'what' || t.norm === 'which' || t.norm === 'how');
  if (i < 0) return undefined;
  if (tokens[i].norm === 'how') {
    if (!['many', 'much'].includes(tokens[i + 1]?.norm ?? '')) return undefined;
    i += 2;
  } else {
    // "What hardware did they show?" and "which outlet reported...?" name the kind of answer, not
    // an attribute the sources might lack: only "what is the X (of ...)" asks for one.
    const after = question.slice(tokens[i].end);
    const be = /^(?:['’]s|\s+(?:is|are|was|were))\b/i.exec(after);
    if (!be) return undefined;
    const at = tokens[i].end + be[0].length;
    i = tokens.findIndex((t) => t.start >= at);
    if (i < 0) return undefined;
  }
  const found: string[] = [];
  for (; i < tokens.length && found.length < 2; i++) {
    const t = tokens[i];
    if (t.pos === 'DET' || t.pos === 'ADJ' || t.pos === 'NUM' || t.pos === 'PROPN' || (t.pos === 'ADV' && !found.length) || t.norm === 'of' && !found.length) continue;
    if (t.pos === 'NOUN' && !NOT_FOCUS.has(t.norm)) {
      found.push(question.slice(t.start, t.end));
      // "endurance / payload", "warships or carriers": a second noun asked alongside.
      const between = words.slice(t.end, tokens[i + 1]?.start ?? t.end);
      if (tokens[i + 1] && /^\s*(?:\/|or|and)\s*$/.test(between) && tokens[i + 1].pos === 'NOUN') continue;
      if (tokens[i + 1]?.pos === 'NOUN' && !/\s\S/.test(between)) continue;
      break;
    }
    break;
  }
  return found.length ? found.join(' / ') : undefined;
}

/** `text` without the trailing characters in `chars`, in linear time (a `[...]+$` pattern is quadratic on a long run). */
function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return text.slice(0, end);
}
