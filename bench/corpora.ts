// The corpora the benchmark runs on, written into a temporary folder (never committed):
//  - shipped:  a copy of corpus/
//  - wikiqa:   corpus/ plus the WikiQA test documents as distractors (sentences grouped by
//              DocumentID, one .txt a document, titled by its DocumentTitle)
//  - synth-N:  corpus/ plus synthetic Markdown documents whose paragraphs are seeded draws of
//              WikiQA sentences, sized so the whole corpus has about N chunks.
// The synthetic paragraphs never reuse the shipped corpus' own sentences: a copy of an answer
// sentence in a distractor would count as a hit and flatter the hit rate at scale.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WikiDoc {
  id: string;
  title: string;
  sentences: string[];
}

/** WikiQA-test.tsv -> its documents, in file order; undefined when the file is absent. */
export function readWikiQA(file: string): WikiDoc[] | undefined {
  if (!existsSync(file)) return undefined;
  const docs = new Map<string, WikiDoc>();
  const seen = new Set<string>();
  const lines = readFileSync(file, 'utf8').split('\n');
  const head = lines[0].split('\t');
  const col = (name: string) => head.indexOf(name);
  const [di, ti, si, se] = [col('DocumentID'), col('DocumentTitle'), col('SentenceID'), col('Sentence')];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const f = line.split('\t');
    // A document's sentences repeat for every question asked about it: keep each sentence once.
    if (seen.has(f[si])) continue;
    seen.add(f[si]);
    let d = docs.get(f[di]);
    if (!d) docs.set(f[di], (d = { id: f[di], title: f[ti], sentences: [] }));
    d.sentences.push(f[se].trim());
  }
  return [...docs.values()];
}

/** Deterministic PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function copyShipped(corpusDir: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(corpusDir)) if (/\.(md|txt)$/i.test(f)) copyFileSync(path.join(corpusDir, f), path.join(to, f));
}

export function writeWikiQADocs(docs: WikiDoc[], to: string): number {
  mkdirSync(path.join(to, 'wikiqa'), { recursive: true });
  for (const d of docs) writeFileSync(path.join(to, 'wikiqa', `${d.id}.txt`), `${d.title}\n\n${d.sentences.join(' ')}\n`);
  return docs.length;
}

/** Paragraphs stay under the chunker's limit, so a synthetic paragraph is exactly one chunk. */
const MAX_PARAGRAPH_CHARS = 1000;
const PARAGRAPHS_PER_SECTION = 10;
const SECTIONS_PER_DOCUMENT = 5;

/** Writes `paragraphs` synthetic paragraphs as Markdown documents under `to/synthetic`. */
export function writeSynthetic(docs: WikiDoc[], paragraphs: number, to: string, seed = 20260209): number {
  const random = seeded(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const sentences = docs.flatMap((d) => d.sentences).filter((s) => s.length < MAX_PARAGRAPH_CHARS / 2);
  const dir = path.join(to, 'synthetic');
  mkdirSync(dir, { recursive: true });
  let written = 0;
  for (let n = 0; written < paragraphs; n++) {
    const parts = [`---\ntitle: "${pick(docs).title.replace(/"/g, "'")} (synthetic ${n})"\nsource: "benchmark, seed ${seed}"\npublished: 2026-01-01\n---\n`];
    for (let s = 0; s < SECTIONS_PER_DOCUMENT && written < paragraphs; s++) {
      parts.push(`## ${pick(docs).title}\n`);
      for (let p = 0; p < PARAGRAPHS_PER_SECTION && written < paragraphs; p++) {
        const want = 2 + Math.floor(random() * 4);
        const para: string[] = [];
        let len = 0;
        while (para.length < want) {
          const next = pick(sentences);
          if (len + next.length + 1 > MAX_PARAGRAPH_CHARS) break;
          para.push(next);
          len += next.length + 1;
        }
        parts.push(`${para.join(' ')}\n`);
        written++;
      }
    }
    writeFileSync(path.join(dir, `synthetic-${String(n).padStart(5, '0')}.md`), parts.join('\n'));
  }
  return written;
}
