// Briefing topics (what `/brief topic`, the overview and the digest are organised by) and topic
// questions ("explain the trust deficit"): both are answered from the section(s) whose heading
// matches, quoting the lead sentence of each paragraph, since an analysis states each paragraph's
// point first.
import { terms } from '../text/tokens.js';
import type { Quote, QuoteSpan, Topic } from '../types.js';
import type { OfflineAnswerer } from './offline.js';
import type { Query } from './query.js';
import { fillRoom } from './quotes.js';
import { verifyQuotes } from './verify.js';

export interface TopicDefinition extends Topic {
  /** Words that name the topic in a section heading; any one of them makes the heading match. */
  headingWords: string;
  /** Words that describe the topic, for passage retrieval when no heading names it. */
  query: string;
}

export const TOPICS: readonly TopicDefinition[] = [
  { id: 'trust', label: 'Trust deficit', description: 'Why Washington and Tehran distrust each other', headingWords: 'trust mistrust distrust deficit', query: 'trust deficit mistrust confidence' },
  { id: 'scope', label: 'Scope dispute', description: 'What the talks should cover: nuclear file only, or missiles and proxies too', headingWords: 'scope agenda agendas impasse', query: 'scope agenda impasse competing agendas' },
  { id: 'oman', label: "Oman's role", description: "Oman's mediation and the Gulf states' support", headingWords: 'Oman Omani mediation mediator', query: 'Oman mediation mediator facilitation' },
  { id: 'military', label: 'Military posture', description: 'Naval buildup, incidents and missile displays around the talks', headingWords: 'military posturing posture', query: 'military posturing naval buildup' },
  { id: 'sanctions', label: 'Sanctions', description: "Sanctions, tariffs and Washington's dual strategy", headingWords: 'sanctions tariffs', query: 'sanctions tariffs economic pressure' },
  { id: 'indicators', label: 'Indicators to watch', description: 'What will show where the talks are heading', headingWords: 'indicators watch signposts', query: 'indicators watch coming weeks' },
  { id: 'outlook', label: 'Outlook', description: 'Breakthrough, collapse or managed stalemate', headingWords: 'outlook breakthrough collapse scenarios', query: 'outlook breakthrough collapse stalemate trajectory' },
];

/** A question reads as a topic question when it has at most this many content words... */
export const TOPIC_QUESTION_MAX_TERMS = 4;
/** ...and at least this share of them match one section heading. */
export const TOPIC_QUESTION_HEADING_SHARE = 0.5;
/** Openings of a question asking for a fact rather than a briefing on a topic ("what is" / "what are" stay topical). */
const FACT_QUESTION = /^\s*(why|who|whom|whose|when|where|which|how|did|does|do|is|are|was|were|can|could|would|should|will|has|have|had)\b/i;
/** Paragraph lead sentences quoted for a topic, and the character budget. */
export const TOPIC_QUOTES = 3;
export const TOPIC_QUOTE_CHARS = 1200;
/** Lead sentences shorter than this are quoted with the sentence that follows. */
const SHORT_LEAD = 90;

export interface SectionRef {
  document: string;
  sectionIndex: number;
  title: string;
  score: number;
}

interface IndexedSection {
  document: string;
  sectionIndex: number;
  title: string;
  /** Stems of the heading, computed once. */
  heading: string[];
}

export class TopicIndex {
  private indexed?: IndexedSection[];

  constructor(private readonly answerer: OfflineAnswerer) {}

  private sections(): IndexedSection[] {
    if (!this.indexed) {
      const out = new Map<string, IndexedSection>();
      for (const c of this.answerer.index.chunks) {
        const key = `${c.document}\0${c.sectionIndex}`;
        if (!out.has(key)) out.set(key, { document: c.document, sectionIndex: c.sectionIndex, title: c.section, heading: terms(c.section) });
      }
      this.indexed = [...out.values()];
    }
    return this.indexed;
  }

  /**
   * Sections by how many of the given stems their heading shares (the same stem, or one word
   * family: "Oman" / "Omani"), best first; sections sharing none are left out.
   */
  matchHeadings(stems: string[]): SectionRef[] {
    const out: SectionRef[] = [];
    for (const s of this.sections()) {
      const score = stems.filter((q) => s.heading.some((h) => sameFamily(q, h))).length;
      if (score > 0) out.push({ document: s.document, sectionIndex: s.sectionIndex, title: s.title, score });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /** The sections a topic question is about, or [] when the question asks for a fact. */
  topicQuestionSections(q: Query): SectionRef[] {
    if (q.stems.length === 0 || q.stems.length > TOPIC_QUESTION_MAX_TERMS) return [];
    // "Why is Oman trusted?" asks for a fact, even though its words name a section.
    if (FACT_QUESTION.test(q.text)) return [];
    const matches = this.matchHeadings(q.stems);
    if (!matches.length || matches[0].score / q.stems.length < TOPIC_QUESTION_HEADING_SHARE) return [];
    return matches.filter((m) => m.score === matches[0].score);
  }

  /**
   * The briefing topic a short question asks for by the topic's own words, when no heading names
   * it: "what signs should we be watching?" is the indicators topic, whose section is headed "Five
   * Indicators That Will Define the Coming Weeks". Not for a question naming anything (a name
   * leaves the question about that name) or asking for a fact.
   */
  topicAsked(q: Query): TopicDefinition | undefined {
    if (q.stems.length === 0 || q.stems.length > TOPIC_QUESTION_MAX_TERMS || FACT_QUESTION.test(q.text)) return undefined;
    if (q.tokens.some((t) => t.capitalized || t.acronym)) return undefined;
    let best: { def: TopicDefinition; score: number } | undefined;
    for (const def of TOPICS) {
      const words = terms(def.headingWords);
      const score = q.stems.filter((st) => words.some((w) => sameFamily(st, w))).length;
      if (score / q.stems.length >= TOPIC_QUESTION_HEADING_SHARE && score > (best?.score ?? 0)) best = { def, score };
    }
    return best?.def;
  }

  /** Lead-sentence quotes of the given sections, in reading order, within the quote budget. */
  sectionQuotes(sections: SectionRef[], maxQuotes = TOPIC_QUOTES, maxChars = TOPIC_QUOTE_CHARS): Quote[] {
    const byId = this.answerer.index.byId;
    const quotes: QuoteSpan[] = [];
    let used = 0;
    for (const ref of sections) {
      const doc = byId.get(ref.document);
      const section = doc?.sections.find((s) => s.index === ref.sectionIndex);
      if (!doc || !section) continue;
      for (const p of section.paragraphs) {
        if (quotes.length >= maxQuotes) break;
        // The credit line ("Original analysis inspired by ...") states the source, not a point.
        if (doc.source && doc.text.slice(p.start, p.end).includes(doc.source)) continue;
        const [first, second] = p.sentences;
        if (!first) continue;
        let end = first.end;
        if (second && first.end - first.start < SHORT_LEAD && second.end - first.start <= maxChars - used) end = second.end;
        if (used + (end - first.start) > maxChars) continue;
        quotes.push({ text: doc.text.slice(first.start, end), document: doc.id, section: section.title, start: first.start, end });
        used += end - first.start;
      }
    }
    return fillRoom(verifyQuotes(quotes, byId), byId, maxQuotes, maxChars);
  }

  /** A briefing topic's quotes, strongest section first; [] when no section or passage covers it. */
  topicQuotes(topic: TopicDefinition, maxQuotes = TOPIC_QUOTES): Quote[] {
    const sections = this.matchHeadings(this.answerer.query(topic.headingWords).stems);
    if (sections.length) return this.sectionQuotes(sections, maxQuotes);
    // No heading names the topic: fall back to the best passages, if they are relevant enough.
    const result = this.answerer.answer(topic.query);
    return result.abstained ? [] : result.quotes.slice(0, maxQuotes);
  }
}

/** Same stem, or one a prefix of the other with at least 4 letters ("oman" / "omani"). */
function sameFamily(a: string, b: string): boolean {
  return a === b || (a.length >= 4 && b.length >= 4 && (a.startsWith(b) || b.startsWith(a)));
}
