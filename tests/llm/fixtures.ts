// Real corpus text for the LLM tests: the Muscat talks analysis from the project's corpus/ folder,
// split into paragraph passages the way retrieval would hand them to the answerer.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { Passage } from '../../src/types.js';

export const CORPUS_DIR = path.resolve(import.meta.dirname, '../../corpus');

export interface FixtureDoc {
  id: string;
  title: string;
  text: string;
}

/** The corpus document about the Muscat talks (found by content, so a rename doesn't break tests). */
export function muscatDocument(): FixtureDoc {
  for (const name of readdirSync(CORPUS_DIR).sort()) {
    if (!/\.(md|txt)$/.test(name)) continue;
    const text = readFileSync(path.join(CORPUS_DIR, name), 'utf8');
    if (text.includes('massive armada') && text.includes('Cooper’s attendance')) {
      const title = /^title:\s*"?(.*?)"?\s*$/m.exec(text)?.[1] ?? name;
      return { id: name, title, text };
    }
  }
  throw new Error(`no corpus document about the Muscat talks in ${CORPUS_DIR}`);
}

/** One passage per paragraph, with the section from the nearest "## " heading above it. */
export function paragraphPassages(doc: FixtureDoc): Passage[] {
  const out: Passage[] = [];
  let section = doc.title;
  let sectionIndex = 0;
  const re = /[^\n]+/g;
  let m: RegExpExecArray | null;
  let inFrontMatter = doc.text.startsWith('---');
  let fences = 0;
  while ((m = re.exec(doc.text))) {
    const line = m[0];
    if (inFrontMatter) {
      if (line.trim() === '---' && ++fences === 2) inFrontMatter = false;
      continue;
    }
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      sectionIndex++;
      continue;
    }
    out.push({ id: `${doc.id}#${out.length}`, document: doc.id, section, sectionIndex, start: m.index, end: m.index + line.length, text: line });
  }
  return out;
}

export function passageWith(passages: Passage[], needle: string): Passage {
  const p = passages.find((x) => x.text.includes(needle));
  if (!p) throw new Error(`no passage contains ${JSON.stringify(needle)}`);
  return p;
}

/** A pino logger whose lines the test can read. */
export function captureLogger(): { logger: Logger; entries: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  const raw = () => chunks.join('');
  return {
    logger,
    raw,
    entries: () =>
      raw()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
