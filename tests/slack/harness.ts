// The real Slack adapter (real Bolt, real @slack/web-api) wired to a FakeSlack on 127.0.0.1, with
// a captured logger and a signed-request client. Tests and bench/slack-ack.ts both start here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { slackConfig } from '../../adapters/slack/config.js';
import { startSlack, type RunningSlack, type StartSlackOptions } from '../../adapters/slack/index.js';
import { loadConfig } from '../../src/config.js';
import type { BriefingService } from '../../src/service.js';
import type { SourceDesk } from '../../src/sources/types.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { openStores, type Stores } from '../../src/store/stores.js';
import { FakeSlack, SlackRequester } from './fake-slack.js';

export const BOT_TOKEN = 'xoxb-0000-fake-bot-token';
export const APP_TOKEN = 'xapp-1-fake-app-token';
export const SIGNING_SECRET = 'fake-signing-secret-0123456789';

export interface CapturedLog {
  logger: Logger;
  lines: Array<Record<string, any>>;
  text(): string;
  /** Resolves once `n` lines match `where` (no timer: the test timeout is the limit). */
  waitFor(where: (line: Record<string, any>) => boolean, n?: number): Promise<Array<Record<string, any>>>;
}

export function captureLogger(level = 'debug'): CapturedLog {
  const lines: Array<Record<string, any>> = [];
  const waiters = new Set<() => void>();
  const logger = pino({ level }, {
    write(s: string) {
      lines.push(JSON.parse(s));
      for (const w of [...waiters]) w();
    },
  });
  return {
    logger,
    lines,
    text: () => lines.map((l) => JSON.stringify(l)).join('\n'),
    waitFor(where, n = 1) {
      return new Promise((resolve) => {
        const check = () => {
          const hits = lines.filter(where);
          if (hits.length < n) return;
          waiters.delete(check);
          resolve(hits);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export interface HarnessOptions extends StartSlackOptions {
  mode?: 'http' | 'socket';
  /** Reuse state (seen events, feedback) across a simulated restart. */
  dataDir?: string;
  /** Reuse a running fake (a restart keeps talking to the same "Slack"). */
  fake?: FakeSlack;
  logLevel?: string;
  /** More of the core config's environment (BRIEFBOT_EDITORS, BRIEFBOT_ALLOW_PRIVATE_URLS, ...). */
  env?: Record<string, string>;
  /** The process's SourceDesk: with one, the adapter offers adding and removing sources. */
  sources?: SourceDesk;
}

export interface Harness {
  fake: FakeSlack;
  slack: RunningSlack;
  log: CapturedLog;
  /** A connection of the test's own to the state file, to look at or break what the adapter wrote. */
  db: DB;
  stores: Stores;
  dataDir: string;
  /** Signed requests to the app (HTTP mode). */
  requester: SlackRequester;
  /** Stops the adapter; the fake too unless it was passed in. */
  stop(): Promise<void>;
}

export async function startHarness(briefing: BriefingService, options: HarnessOptions = {}): Promise<Harness> {
  const fake = options.fake ?? (await FakeSlack.start());
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'briefbot-slack-'));
  const log = captureLogger(options.logLevel);
  const env: Record<string, string> = { ...options.env, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl, SLACK_PORT: '0', DATA_DIR: dataDir };
  if (options.mode === 'socket') env.SLACK_APP_TOKEN = APP_TOKEN;
  else env.SLACK_SIGNING_SECRET = SIGNING_SECRET;
  const config = loadConfig(env);
  const db = openDatabase(dataDir);
  const stores = await openStores(config);
  const slack = await startSlack(slackConfig(env)!, { config, briefing, logger: log.logger, stores, ...(options.sources ? { sources: options.sources } : {}) }, options);
  const requester = new SlackRequester(`http://127.0.0.1:${slack.port ?? 0}/slack/events`, SIGNING_SECRET);
  return {
    fake,
    slack,
    log,
    db,
    stores,
    dataDir,
    requester,
    async stop() {
      await slack.stop();
      await stores.close();
      db.close();
      if (!options.fake) await fake.close();
    },
  };
}
