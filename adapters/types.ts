// What every platform adapter is, receives and returns, so `briefbot start` (adapters/main.ts) can
// run any set of them the same way. A new platform is a new folder with a `Platform` entry, listed
// in adapters/platforms.ts.
import type { Command } from '../src/cli.js';
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
  /** The platform's name, as in its `Platform` entry. */
  platform: string;
  stop(): Promise<void>;
  /** Posts digests to this platform's channels. */
  poster?: DigestPoster;
}

/**
 * One platform: its settings from the environment, and how to run it. `start` and `poster` load the
 * platform's SDK on first use, so a command that needs no platform never pays for Bolt or discord.js.
 */
export interface Platform<C = unknown> {
  /** Subscriptions, sent digests and feedback are stored under this name. */
  name: string;
  /**
   * The platform's settings, or undefined when none of its variables is set. Some but not all of
   * them set is a ConfigError naming what is missing: a typo never silently disables a platform.
   */
  fromEnv(env: NodeJS.ProcessEnv): C | undefined;
  /** Connects and answers until `stop()`; rejects when the platform refuses the credentials. */
  start(config: C, deps: AdapterDeps): Promise<RunningAdapter>;
  /** Posts digests over the platform's HTTP API alone (`briefbot digest --post`: no socket, no login). */
  poster(config: C, logger: Logger): Promise<DigestPoster>;
  /** `briefbot` commands of the platform's own, by name (`briefbot discord register`). */
  commands?: Record<string, Command>;
}
