// One corpus for several replicas (R2.6): with DATABASE_URL, CORPUS_DIR is imported into the
// documents table at start and each replica answers from its mirror of that table, a folder under
// DATA_DIR that only this module writes. A change made here (an editor's addition or removal, a
// feed's new article) is published to the table; a change announced by any replica is written into
// the mirror, and `onMirrorChanged` re-indexes it. Everything else (the Library, the watcher, the
// pool) works on the mirror exactly as on CORPUS_DIR with one process.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ALIASES_FILE } from '../corpus/aliases.js';
import type { Logger } from '../log.js';
import type { DocumentTable } from '../store/postgres/documents.js';

/** The mirror's folder under DATA_DIR. */
export const MIRROR_FOLDER = 'corpus-mirror';

export interface SharedCorpus {
  /** The folder to index and answer from: the mirror. */
  corpusDir: string;
  /** Publishes one document of the mirror, as it now is on disk, to every replica. */
  changed(id: string): Promise<void>;
  stop(): Promise<void>;
}

export async function openSharedCorpus(table: DocumentTable, options: { corpusDir: string; dataDir: string; by: string; logger?: Logger; onMirrorChanged: () => void }): Promise<SharedCorpus> {
  const mirror = path.join(options.dataDir, MIRROR_FOLDER);
  mkdirSync(mirror, { recursive: true });
  // The aliases file configures this replica's engine; it is not a document, so it is copied, not shared.
  const aliases = path.join(options.corpusDir, ALIASES_FILE);
  if (existsSync(aliases)) copyFileSync(aliases, path.join(mirror, ALIASES_FILE));
  const imported = existsSync(options.corpusDir) ? await table.importFolder(options.corpusDir) : 0;
  const first = await table.materialize(mirror);
  options.logger?.info({ imported, written: first.written, mirror }, 'corpus: documents table imported and mirrored');
  // Notifications arrive in bursts (an import of many files); one pass over the table serves them all.
  let syncing: Promise<void> | undefined;
  let again = false;
  const sync = (): void => {
    if (syncing) {
      again = true;
      return;
    }
    syncing = table
      .materialize(mirror)
      .then((r) => {
        if (r.written || r.removed) options.onMirrorChanged();
      })
      .catch((err) => options.logger?.error({ err: String(err) }, 'corpus: cannot mirror the documents table; answering from the last mirror'))
      .finally(() => {
        syncing = undefined;
        if (again) {
          again = false;
          sync();
        }
      });
  };
  const unlisten = await table.listen(sync);
  return {
    corpusDir: mirror,
    changed: (id) => table.publish(mirror, id, options.by),
    async stop() {
      await unlisten();
      await syncing;
    },
  };
}
