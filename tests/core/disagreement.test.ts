// disagreement() on hand-made passages: which pairs of sentences count as sources disagreeing.
// Two opposed words are not enough: the sentences must share a word of the question besides them
// (a sentence on tankers "carried" does not contradict one where Washington "holds" evidence,
// for a question on where the next round will be held).
import { expect, test } from 'vitest';
import { Contradictions, disagreement, type DisagreementContext } from '../../src/answer/conflict.js';
import type { Retrieved } from '../../src/answer/retrieved.js';
import { DocumentDates } from '../../src/answer/scope.js';
import { stemWord } from '../../src/text/tokens.js';
import { WordNet } from '../../src/text/wordnet.js';
import type { Document } from '../../src/types.js';

function documentOf(id: string, published: string, text: string): Document {
  return { id, title: id, source: 'Test desk', published, text, sections: [], hash: id };
}

/** One passage holding the whole document as its one sentence, scored `score`. */
function passage(doc: Document, score: number): Retrieved {
  const span = { start: 0, end: doc.text.length };
  return { chunk: { document: doc.id, start: 0, end: doc.text.length, sentences: [span] } as unknown as Retrieved['chunk'], fused: score, docShare: 1, best: score, sentences: [{ span, score }] };
}

function ask(question: string, docs: Document[]): ReturnType<typeof disagreement> {
  const contradictions = new Contradictions(WordNet.open());
  const byId = new Map(docs.map((d) => [d.id, d]));
  const ctx: DisagreementContext = {
    byId,
    dates: new DocumentDates(docs),
    contradictions,
    pick: (ps) => ps.map((p) => ({ document: p.chunk.document, text: byId.get(p.chunk.document)!.text, start: 0, end: byId.get(p.chunk.document)!.text.length }) as never),
  };
  const asked = new Set(question.toLowerCase().match(/[a-z]+/g)!.map((w) => stemWord(w)));
  return disagreement(docs.map((d) => passage(d, 1)), 1, contradictions.lemmas(question), asked, false, ctx);
}

test('opposed words about what the question asks: the sources disagree, newest first', () => {
  const older = documentOf('april.md', '2026-04-02', 'Officials said fuel loading at the reactor had stopped after the accident.');
  const newer = documentOf('may.md', '2026-05-20', 'Inspectors reported that fuel loading at the reactor has resumed.');
  const quotes = ask('Has fuel loading at the reactor resumed?', [older, newer]);
  expect(quotes?.map((q) => q.document)).toEqual(['may.md', 'april.md']);
});

test('opposed words in sentences that share nothing the question asks about are no disagreement', () => {
  const older = documentOf('march.md', '2026-03-02', 'Washington holds evidence that the program is not dormant.');
  const newer = documentOf('may.md', '2026-05-20', 'The ministry designated nine more tankers that it says carried crude through transfers at sea.');
  expect(ask('Where will the next round be held?', [older, newer])).toBeUndefined();
});
