// What the corpus folder holds right now, as one string: every document's id, size and modification
// time, and the aliases file's. Two equal states are the same corpus, so a watcher's burst of events
// for a change already taken in (or for a file briefbot itself just wrote and indexed) costs a
// listing, not a rebuild. A missing or unreadable folder has a state too: "missing".
import { statSync } from 'node:fs';
import path from 'node:path';
import { ALIASES_FILE } from './aliases.js';
import { listCorpusFiles } from './load.js';

export function corpusState(dir: string): string {
  let files;
  try {
    files = listCorpusFiles(dir).files;
  } catch {
    return 'missing';
  }
  const parts = files.map((f) => `${f.id}\u0000${f.size}\u0000${f.mtimeMs}`);
  try {
    const aliases = statSync(path.join(dir, ALIASES_FILE));
    parts.push(`${ALIASES_FILE}\u0001${aliases.size}\u0000${aliases.mtimeMs}`);
  } catch {
    // No aliases file: nothing to add.
  }
  return parts.join('\n');
}
