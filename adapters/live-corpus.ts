// The corpus of a running bot (R2.5): the folder watched, so whatever lands in it (a file a person
// copies in, an editor's addition, a feed's new article) is re-indexed in the background and
// answerable within seconds; the desk the chat adds and removes through; and the feed schedule.
import type { Config } from '../src/config.js';
import { watchCorpus } from '../src/corpus/watch.js';
import type { Logger } from '../src/log.js';
import { CorpusDesk } from '../src/sources/desk.js';
import { Library } from '../src/sources/library.js';
import type { Stores } from '../src/store/stores.js';
import type { PooledBriefing } from '../src/workers/answer-pool.js';

export interface LiveCorpus {
  desk: CorpusDesk;
  stop(): Promise<void>;
}

export async function startLiveCorpus(briefing: PooledBriefing, config: Config, stores: Stores, logger: Logger): Promise<LiveCorpus> {
  const log = logger.child({ part: 'corpus' });
  const reload = async () => {
    const r = await briefing.reload();
    if (r.changed) {
      log.info({ documents: r.documents, chunks: r.chunks, ms: Math.round(r.ms) }, 'corpus: re-indexed; answers now come from the folder as it is');
      for (const w of r.warnings) log.warn({ file: w.file }, `corpus file skipped: ${w.file}: ${w.reason}`);
    }
    return r;
  };
  const desk = new CorpusDesk({ library: new Library({ corpusDir: config.corpusDir, allowPrivate: config.allowPrivateUrls }), feeds: stores.feeds, allowPrivate: config.allowPrivateUrls, refresh: reload, logger: log });
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
