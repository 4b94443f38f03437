import { expect } from 'vitest';
import type { SynthesisInput, Synthesis } from '../../src/answer/llm.js';
import type { Passage } from '../../src/types.js';
import { muscatDocument, paragraphPassages, passageWith, type FixtureDoc } from './fixtures.js';

export const API_KEY = 'sk-test-0123456789abcdefSECRET';

export function baseInput(doc: FixtureDoc = muscatDocument(), question = 'How did the military build-up shape the Muscat talks?'): SynthesisInput {
  const all = paragraphPassages(doc);
  const passages: Passage[] = [
    passageWith(all, 'massive armada'), // [1]
    passageWith(all, 'Cooper’s attendance'), // [2]
    passageWith(all, 'marks a fragile turning point'), // [3]
  ];
  return { question, passages, documents: new Map([[doc.id, { text: doc.text, title: doc.title }]]) };
}

/**
 * Checks, independently of the code under test, that nothing unverified is quoted: every listed
 * quote is the exact file text at its offsets, every double-quoted span of the answer occurs
 * verbatim in a document, and no quotation mark is left over outside such spans.
 */
export function expectNothingUnverified(result: Synthesis, input: SynthesisInput): void {
  const texts = [...input.documents.values()].map((d) => d.text);
  for (const q of result.quotes) {
    expect(input.documents.get(q.document)!.text.slice(q.start, q.end)).toBe(q.text);
  }
  let rest = result.answer;
  for (const re of [/"([^"\n]*)"/g, /“([^“”\n]*)”/g, /«([^«»\n]*)»/g]) {
    rest = rest.replace(re, (_, inner: string) => {
      expect(texts.some((t) => t.includes(inner)), `quoted span not in any source: ${inner}`).toBe(true);
      return '';
    });
  }
  expect(rest).not.toMatch(/["“”«»„‟＂「」『』]/);
}
