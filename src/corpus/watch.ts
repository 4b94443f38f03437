// Watches the corpus folder of a running bot (R2.5): a document added, changed or removed there, by
// a person, an editor in the chat or a feed, is reported once the folder has been quiet for a
// moment, so an editor's save, a copy of ten files or a `git pull` is one reload, not twenty.
// chokidar rather than fs.watch: fs.watch's recursive mode on Linux only arrived in Node 20 and
// reports renames and editors' save-by-rename unevenly; chokidar 4 smooths that over (and admits
// Node 20, where chokidar 5 does not).
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../log.js';

/** How long the folder must stay quiet before a change is reported. */
export const QUIET_MS = 300;

export interface CorpusWatcher {
  /** Resolves once the initial scan is done and changes are being watched. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Hidden entries (editors' swap files, our own half-written `.tmp` files) and the data folder are not the corpus. */
function ignored(corpusDir: string, dataDir?: string): (file: string) => boolean {
  // A corpus inside the data folder (a replica's mirror of the documents table) is watched whole.
  const data = dataDir && !path.resolve(corpusDir).startsWith(path.resolve(dataDir) + path.sep) ? path.resolve(dataDir) : undefined;
  return (file) => {
    const rel = path.relative(corpusDir, file);
    if (data && (file === data || file.startsWith(data + path.sep))) return true;
    return rel.split(path.sep).some((part) => part.startsWith('.') && part !== '.' && part !== '..');
  };
}

export function watchCorpus(corpusDir: string, onChange: () => void, options: { dataDir?: string; logger?: Logger; quietMs?: number } = {}): CorpusWatcher {
  const dir = path.resolve(corpusDir);
  const quietMs = options.quietMs ?? QUIET_MS;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const changed = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, quietMs);
  };
  const watcher: FSWatcher = watch(dir, { ignoreInitial: true, ignored: ignored(dir, options.dataDir), followSymlinks: false, depth: 8 });
  for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) watcher.on(event, changed);
  watcher.on('error', (err) => options.logger?.warn({ err: String(err) }, 'corpus watcher error; changes may be picked up late'));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
