// Briefing requests ("catch me up on Oman", "tl;dr on the sanctions", "bottom line?"): answered
// from the section a heading or a briefing topic names, or with each document's opening and outlook
// when the subject is the story as a whole. A subject no heading or topic names is left to be
// answered as a question.
import type { CorpusIndex } from '../index/corpus-index.js';
import { terms } from '../text/tokens.js';
import type { Quote } from '../types.js';
import type { OfflineAnswerer } from './offline.js';
import { TOPICS, type SectionRef, type TopicIndex } from './topics.js';

/** Weight of a named section's best matching passage next to how much of the subject its heading names. */
const SECTION_PASSAGE_WEIGHT = 0.5;
/** Words that add nothing to "catch me up on the talks": the story as a whole. */
const GENERIC_SUBJECT = new Set(terms('talks negotiations story situation things everything all whole latest news state play where stand us iran'));

export class BriefingRequests {
  private titleStems?: Set<string>;

  constructor(
    private readonly index: CorpusIndex,
    private readonly answerer: OfflineAnswerer,
    private readonly topics: TopicIndex,
  ) {}

  /**
   * The quotes a briefing request gets: the overview for the story as a whole, else the section a
   * heading or a briefing topic names (by the subject's words or their paraphrases), the one whose
   * passages best match the subject when several do. Undefined when no heading or topic names the
   * subject: it is then answered as a question ("overview of the June 2025 strikes").
   */
  quotes(subject: string, history: string[]): Quote[] | undefined {
    if (this.namesTheWholeStory(subject)) return this.overviewQuotes();
    const query = this.answerer.query(subject, history);
    const stems = [...new Set([...query.stems, ...[...query.equivalents.values()].flatMap((e) => [...e.keys()])])];
    const named = new Map<string, SectionRef>();
    const keyOf = (r: { document: string; sectionIndex: number }) => `${r.document}\0${r.sectionIndex}`;
    for (const h of this.topics.matchHeadings(stems)) named.set(keyOf(h), { ...h, score: h.score / Math.max(1, query.stems.length) });
    for (const topic of TOPICS) {
      const words = new Set(terms(`${topic.headingWords} ${topic.query}`));
      const share = stems.filter((s) => words.has(s)).length / Math.max(1, query.stems.length);
      if (!share) continue;
      for (const h of this.topics.matchHeadings(terms(topic.headingWords))) {
        const k = keyOf(h);
        named.set(k, { ...h, score: Math.max(named.get(k)?.score ?? 0, share) });
      }
    }
    if (!named.size) return undefined;
    // Among the named sections, the one whose passages answer the subject best.
    const passages = this.answerer.rerank(query, this.answerer.retrieve(query));
    for (const p of passages.slice(0, 8)) {
      const ref = named.get(keyOf(p.chunk));
      if (ref) ref.score += SECTION_PASSAGE_WEIGHT * p.best;
    }
    const best = [...named.values()].sort((a, b) => b.score - a.score)[0];
    return this.topics.sectionQuotes([best]);
  }

  /** "Catch me up": each document's opening paragraph, then the points of its closing section. */
  private overviewQuotes(): Quote[] {
    const quotes: Quote[] = [];
    for (const d of [...this.index.documents].reverse()) {
      const first = d.sections[0];
      const last = d.sections[d.sections.length - 1];
      if (first) quotes.push(...this.topics.sectionQuotes([{ document: d.id, sectionIndex: first.index, title: first.title, score: 1 }], 1));
      if (last && last !== first) quotes.push(...this.topics.sectionQuotes([{ document: d.id, sectionIndex: last.index, title: last.title, score: 1 }], 2));
      if (quotes.length >= 3) break;
    }
    return quotes.slice(0, 3);
  }

  /** True when a subject says no more than the documents' titles ("the Muscat talks"). */
  private namesTheWholeStory(subject: string): boolean {
    // "the Muscat talks — what came out of them?": the part before a dash or colon names the subject.
    const stems = terms(subject.split(/\s[—–-]\s|:\s/)[0]);
    if (!stems.length) return true;
    const title = (this.titleStems ??= new Set(this.index.documents.flatMap((d) => terms(d.title))));
    return stems.every((s) => title.has(s) || GENERIC_SUBJECT.has(s));
  }
}
