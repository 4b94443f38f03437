// The corpus of a running bot (R2.5): the folder watched, so whatever lands in it (a file a person
// copies in, an editor's addition, a feed's new article) is re-indexed in the background and
// answerable within seconds; the desk the chat adds and removes through; and the feed schedule.
import { hostname } from 'node:os';
import type { Config } from '../src/config.js';
import { watchCorpus } from '../src/corpus/watch.js';
import type { Logger } from '../src/log.js';
import { CorpusDesk } from '../src/sources/desk.js';
import { Library } from '../src/sources/library.js';
import { openSharedCorpus, type SharedCorpus } from '../src/sources/shared-corpus.js';
import { DocumentTable } from '../src/store/postgres/documents.js';
import type { Stores } from '../src/store/stores.js';
import type { PooledBriefing } from '../src/workers/answer-pool.js';

export interface LiveCorpus {
  desk: CorpusDesk;
  stop(): Promise<void>;
}

/**
 * PostgreSQL mode: CORPUS_DIR imported into the documents table and mirrored under DATA_DIR, the
 * folder this replica then indexes; undefined with SQLite, where CORPUS_DIR is the corpus. The
 * mirror's own writes are what the watcher below re-indexes.
 */
export async function openCorpus(config: Config, stores: Stores, logger: Logger): Promise<SharedCorpus | undefined> {
  if (!stores.pool) return undefined;
  const table = new DocumentTable(stores.pool, logger);
  return openSharedCorpus(table, { corpusDir: config.corpusDir, dataDir: config.dataDir, by: `replica:${hostname()}:${process.pid}`, logger, onMirrorChanged: () => undefined });
}

export async function startLiveCorpus(briefing: PooledBriefing, config: Config, stores: Stores, logger: Logger, shared?: SharedCorpus): Promise<LiveCorpus> {
  const log = logger.child({ part: 'corpus' });
  const reload = async () => {
    const r = await briefing.reload();
    if (r.changed) {
      log.info({ documents: r.documents, chunks: r.chunks, ms: Math.round(r.ms) }, 'corpus: re-indexed; answers now come from the folder as it is');
      for (const w of r.warnings) log.warn({ file: w.file }, `corpus file skipped: ${w.file}: ${w.reason}`);
    }
    return r;
  };
  const desk = new CorpusDesk({ library: new Library({ corpusDir: config.corpusDir, allowPrivate: config.allowPrivateUrls }), feeds: stores.feeds, allowPrivate: config.allowPrivateUrls, refresh: reload, changed: shared?.changed, logger: log });
  const watcher = watchCorpus(config.corpusDir, () => void reload().catch((err) => log.error({ err: String(err) }, 'corpus: the folder changed but could not be re-indexed; answers still come from the previous state')), { dataDir: config.dataDir, logger: log });
  await watcher.ready;
  const poller = desk.startPolling(config.feedSchedule, config.digest.tz);
  return {
    desk,
    async stop() {
      poller.stop();
      await watcher.close();
    },
  };
}
