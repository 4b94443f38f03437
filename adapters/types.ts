// What every platform adapter is, receives and returns, so `briefbot start` runs any set of them alike.
import type { Command } from '../src/cli.js';
import type { Config } from '../src/config.js';
import type { DigestPoster } from '../src/digest/poster.js';
import type { DigestScheduler } from '../src/digest/scheduler.js';
import type { Logger } from '../src/log.js';
import type { BriefingService } from '../src/service.js';
import type { Stores } from '../src/store/stores.js';
import type { SourceDesk } from '../src/sources/types.js';

export interface AdapterDeps {
  config: Config;
  briefing: BriefingService;
  logger: Logger;
  /** Every store of the process (src/store/stores.ts): SQLite, or PostgreSQL shared with other replicas. */
  stores: Stores;
  /** The digest scheduler of this process, for subscribe / unsubscribe / status / now commands. */
  scheduler?: DigestScheduler;
  /** Adding and removing analyses and feeds (editors only: config.editors); absent where the corpus is read-only. */
  sources?: SourceDesk;
}

export interface RunningAdapter {
  platform: string;
  stop(): Promise<void>;
  poster: DigestPoster;
}

// One platform: its settings from the environment, and how to run it. `start` and `poster` load the
// platform's SDK on first use, so a command that needs no platform never pays for Bolt or discord.js.
export interface Platform<C = unknown> {
  /** Subscriptions, sent digests and feedback are stored under this name. */
  name: string;
  /** None of its variables set: undefined; only some: a ConfigError, so a typo never hides a platform. */
  fromEnv(env: NodeJS.ProcessEnv): C | undefined;
  /** Connects and answers until `stop()`; rejects when the platform refuses the credentials. */
  start(config: C, deps: AdapterDeps): Promise<RunningAdapter>;
  /** Posts digests over the platform's HTTP API alone (`briefbot digest --post`: no socket, no login). */
  poster(config: C, logger: Logger): Promise<DigestPoster>;
  /** `briefbot` commands of the platform's own, by name (`briefbot discord register`). */
  commands?: Record<string, Command>;
}
