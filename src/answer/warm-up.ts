// Questions an engine asks itself before anyone waits on it. A fresh engine's first answers took
// 100-190 ms of scoring where the same questions took 5 ms a second later (bench/live-corpus.ts,
// answers in the first second after a re-index took over): V8 had not compiled the answer path
// yet, and one warm-up question did not get it there. A re-indexed corpus is answered by a fresh
// engine, so every reload charged that to the next people's answers. The questions are made from
// the corpus's own section headings, in the shapes people type (a plain question, "catch me up",
// one about time, one about who said what), so they take the paths the next real questions take.
import type { Document } from '../types.js';

/** Questions asked: each ~5-30 ms while the code is cold; enough for V8 to optimise the scorer. */
const QUESTIONS = 16;

const SHAPES: ((topic: string) => string)[] = [
  (t) => `What do the sources say about ${t}?`,
  (t) => `catch me up on ${t}`,
  (t) => `whats the latest on ${t} since last week`,
  (t) => `Who said what about ${t}, and when?`,
];

/** Questions about the corpus's distinct section headings, taking each shape in turn. */
export function warmUpQuestions(documents: readonly Document[]): string[] {
  const topics: string[] = [];
  const seen = new Set<string>();
  for (const d of documents) {
    for (const s of d.sections) {
      const topic = s.title.trim().toLowerCase();
      if (!topic || seen.has(topic)) continue;
      seen.add(topic);
      topics.push(topic);
      if (topics.length >= QUESTIONS) break;
    }
    if (topics.length >= QUESTIONS) break;
  }
  // A corpus of few headings asks about them again, in the other shapes.
  return Array.from({ length: topics.length ? QUESTIONS : 0 }, (_, i) => SHAPES[i % SHAPES.length](topics[i % topics.length]));
}
