// What every platform adapter receives and returns, so `briefbot start` (adapters/main.ts) can run
// any set of them the same way. A new platform is a new folder that exports a `start*` with this shape.
import type { Config } from '../src/config.js';
import type { DigestPoster } from '../src/digest/poster.js';
import type { DigestScheduler } from '../src/digest/scheduler.js';
import type { Logger } from '../src/log.js';
import type { BriefingService } from '../src/service.js';
import type { DB } from '../src/store/db.js';

export interface AdapterDeps {
  config: Config;
  briefing: BriefingService;
  logger: Logger;
  db: DB;
  /** The digest scheduler of this process, for subscribe / unsubscribe / status / now commands. */
  scheduler?: DigestScheduler;
}

export interface RunningAdapter {
  platform: 'slack' | 'discord';
  stop(): Promise<void>;
  /** Posts digests to this platform's channels. */
  poster?: DigestPoster;
}
