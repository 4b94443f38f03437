// `briefbot digest [--date YYYY-MM-DD] [--json] [--post]`: prints a day's digest, or posts today's
// digest to every subscribed channel through the same claim the scheduler uses (never a second
// post for a channel's day). The CLI parses argv with `parseDigestArgs` and calls `runDigestCommand`.
// What a person reads is made at the edge: the composition root hands in a `DigestTextLayout`.
import { parseArgs } from 'node:util';
import type { Logger } from '../log.js';
import type { Stores } from '../store/stores.js';
import type { DeliveryResult, DigestProducer, Sleep } from './deliver.js';
import type { DigestPoster } from './poster.js';
import { isCalendarDate, localDate } from './schedule.js';
import { DigestScheduler } from './scheduler.js';
import type { Digest } from './types.js';

export interface DigestCommandOptions {
  date?: string;
  json?: boolean;
  post?: boolean;
}

/** A usage mistake: print the message alone and exit non-zero. */
export class DigestUsageError extends Error {
  override name = 'DigestUsageError';
}

/** Parses the arguments after `digest` (unknown flags and `--corpus` are the CLI's business if `strict` is false). */
export function parseDigestArgs(args: string[], strict = true): DigestCommandOptions {
  let values: { date?: string; json?: boolean; post?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      strict,
      allowPositionals: !strict,
      options: { date: { type: 'string' }, json: { type: 'boolean' }, post: { type: 'boolean' } },
    }) as { values: { date?: string; json?: boolean; post?: boolean } });
  } catch (err) {
    throw new DigestUsageError(`${(err as Error).message}. Usage: briefbot digest [--date YYYY-MM-DD] [--json] [--post]`);
  }
  // Non-strict parsing turns a bare trailing `--date` into `true`.
  if (values.date !== undefined && typeof values.date !== 'string') throw new DigestUsageError('--date needs a value: --date YYYY-MM-DD');
  return { date: values.date, json: values.json, post: values.post };
}

/** How the command's results read in a terminal (adapters/console/layout.ts). */
export interface DigestTextLayout {
  digest(digest: Digest): string;
  /** What `--post` did in each channel; [] when no channel is subscribed. */
  deliveries(results: DeliveryResult[]): string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Without an edge's layout (the engine's own CLI) the command prints the outcomes as they are. */
const JSON_LAYOUT: DigestTextLayout = { digest: json, deliveries: json };

export interface DigestCommandDeps {
  /** The engine (`Briefing`). */
  producer: DigestProducer;
  logger: Logger;
  /** Zone whose "today" a plain `briefbot digest` prints (DIGEST_TZ). Default UTC. */
  timeZone?: string;
  /** Default: JSON, as `--json` prints. */
  layout?: DigestTextLayout;
  /** For --post: the stores (openStores) and one poster per configured platform. */
  stores?: Pick<Stores, 'subscriptions' | 'digestSends'>;
  posters?: DigestPoster[];
  now?: () => Date;
  /** For tests of --post retries; default real timers. */
  sleep?: Sleep;
  retryDelaysMs?: readonly number[];
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** Runs the command; returns the exit code. User mistakes print one line to stderr, never a stack. */
export async function runDigestCommand(options: DigestCommandOptions, deps: DigestCommandDeps): Promise<number> {
  const out = deps.stdout ?? ((t: string) => process.stdout.write(t));
  const err = deps.stderr ?? ((t: string) => process.stderr.write(t));
  const now = deps.now ?? (() => new Date());
  const layout = options.json ? JSON_LAYOUT : (deps.layout ?? JSON_LAYOUT);

  if (options.date !== undefined && !isCalendarDate(options.date)) {
    err(`--date must be a real date written YYYY-MM-DD, got "${options.date}"\n`);
    return 2;
  }
  if (!options.post) {
    const date = options.date ?? localDate(now(), deps.timeZone ?? 'UTC');
    const digest = await deps.producer.digest({ date });
    out(layout.digest(digest));
    return 0;
  }

  if (options.date !== undefined) {
    err("--date cannot be combined with --post: a post is always today's digest, in each channel's own time zone\n");
    return 2;
  }
  if (!deps.stores || !deps.posters?.length) {
    err('--post needs Slack or Discord configured (SLACK_BOT_TOKEN..., DISCORD_TOKEN...): no platform to post to\n');
    return 1;
  }
  const scheduler = new DigestScheduler({
    stores: deps.stores,
    producer: deps.producer,
    posters: deps.posters,
    logger: deps.logger,
    now,
    sleep: deps.sleep,
    retryDelaysMs: deps.retryDelaysMs,
  });
  const results = await scheduler.postNow(now());
  out(layout.deliveries(results));
  return results.some((r) => ['failed', 'gone', 'unknown'].includes(r.outcome.status)) ? 1 : 0;
}
