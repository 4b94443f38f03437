// `briefbot rank`: the answerer's sentence ranking over arbitrary candidates (the WikiQA benchmark's
// protocol): the sentence scorer, plus the reward OfflineAnswerer.rerank gives a sentence holding
// the kind of fact the question asks for (a date for "when", a figure for "how many", a name for
// "who": intent.ts, answer-type.ts hasAnswerType).
//
// IDF comes from each question's own candidates, never from their order: as inside the answerer,
// where a sentence is scored with its own document's IDF (OfflineAnswerer.documentStats), which
// words are telling depends on the text the sentence comes from. A question's candidates are one
// article's sentences, so the article's subject, in most of them, says little about which one
// answers, though it is rare across the whole benchmark. (WikiQA MAP 0.634 with one IDF over every
// question's candidates, 0.654 per question; mixing the two, 0.649-0.651.)
import { LocalWordVectorEmbeddings } from '../index/embedder-local.js';
import { tokenize } from '../text/tokens.js';
import { hasAnswerType } from './answer-type.js';
import { readIntent } from './intent.js';
import { ANSWER_TYPE_BONUS } from './offline.js';
import { TermStats } from '../index/term-stats.js';
import { SentenceScorer } from './scorer.js';

export interface RankItem {
  id: unknown;
  question: string;
  candidates: string[];
}

export function rankCandidates(items: RankItem[], dataDir: string): { id: unknown; scores: number[] }[] {
  const embedder = LocalWordVectorEmbeddings.load(dataDir);
  const scorer = new SentenceScorer(embedder.vectorsRef, embedder);
  return items.map((item) => {
    const stats = new TermStats();
    const prepared = item.candidates.map((c) => {
      const p = scorer.prepare(c);
      stats.add(p.stems, p.stems.length);
      return p;
    });
    const q = scorer.prepare(item.question);
    const intent = readIntent(item.question);
    const type = intent.parts.length === 1 ? intent.answerType : undefined;
    // The question's own words never count as the answer (as in OfflineAnswerer.rerank).
    const asked = new Set<string>();
    if (type) for (const t of tokenize(item.question)) if (!t.stop) asked.add(t.stem).add(t.norm);
    return {
      id: item.id,
      scores: prepared.map((s, k) => {
        const typed = type && hasAnswerType(type, item.candidates[k], asked) ? ANSWER_TYPE_BONUS : 0;
        // Rounded so equal-looking scores are equal; ties then count against us, as they should.
        return Math.round((scorer.score(q, s, stats) + typed) * 1e6) / 1e6;
      }),
    };
  });
}
