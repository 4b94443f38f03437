// `briefbot rank`: the sentence scorer over arbitrary candidates (the WikiQA benchmark's protocol).
// IDF comes from every candidate of the whole input, never from their order.
import { LocalWordVectorEmbeddings } from '../index/embedder-local.js';
import { SentenceScorer, TermStats } from './scorer.js';

export interface RankItem {
  id: unknown;
  question: string;
  candidates: string[];
}

export function rankCandidates(items: RankItem[], dataDir: string): { id: unknown; scores: number[] }[] {
  const embedder = LocalWordVectorEmbeddings.load(dataDir);
  const scorer = new SentenceScorer(embedder.vectorsRef, embedder);
  const stats = new TermStats();
  const prepared = items.map((item) =>
    item.candidates.map((c) => {
      const p = scorer.prepare(c);
      stats.add(p.stems, p.stems.length);
      return p;
    }),
  );
  return items.map((item, i) => {
    const q = scorer.prepare(item.question);
    // Rounded so equal-looking scores are equal; ties then count against us, as they should.
    return { id: item.id, scores: prepared[i].map((s) => Math.round(scorer.score(q, s, stats) * 1e6) / 1e6) };
  });
}
