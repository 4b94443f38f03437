// `briefbot digest [--date YYYY-MM-DD] [--json] [--post]`: prints a day's digest, or posts today's
// digest to every subscribed channel through the same claim the scheduler uses (never a second
// post for a channel's day). The CLI parses argv with `parseDigestArgs` and calls `runDigestCommand`.
import { parseArgs } from 'node:util';
import type { Logger } from '../log.js';
import type { DB } from '../store/db.js';
import { attribution, byline } from '../text/attribution.js';
import type { Quote } from '../types.js';
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

export interface DigestCommandDeps {
  /** The engine (`Briefing`). */
  producer: DigestProducer;
  logger: Logger;
  /** Zone whose "today" a plain `briefbot digest` prints (DIGEST_TZ). Default UTC. */
  timeZone?: string;
  /** For --post: the state database and one poster per configured platform. */
  db?: DB;
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

  if (options.date !== undefined && !isCalendarDate(options.date)) {
    err(`--date must be a real date written YYYY-MM-DD, got "${options.date}"\n`);
    return 2;
  }
  if (!options.post) {
    const date = options.date ?? localDate(now(), deps.timeZone ?? 'UTC');
    const digest = await deps.producer.digest({ date });
    out(options.json ? `${JSON.stringify(digest, null, 2)}\n` : renderDigestText(digest));
    return 0;
  }

  if (options.date !== undefined) {
    err("--date cannot be combined with --post: a post is always today's digest, in each channel's own time zone\n");
    return 2;
  }
  if (!deps.db || !deps.posters?.length) {
    err('--post needs Slack or Discord configured (SLACK_BOT_TOKEN..., DISCORD_TOKEN...): no platform to post to\n');
    return 1;
  }
  const scheduler = new DigestScheduler({
    db: deps.db,
    producer: deps.producer,
    posters: deps.posters,
    logger: deps.logger,
    now,
    sleep: deps.sleep,
    retryDelaysMs: deps.retryDelaysMs,
  });
  const results = await scheduler.postNow(now());
  if (options.json) out(`${JSON.stringify(results, null, 2)}\n`);
  else if (results.length === 0) out('No channel is subscribed to the daily digest.\n');
  else out(results.map(renderDelivery).join('\n') + '\n');
  return results.some((r) => ['failed', 'gone', 'unknown'].includes(r.outcome.status)) ? 1 : 0;
}

export function renderDelivery(r: DeliveryResult): string {
  const where = `${r.platform} ${r.channelId} (${r.localDate})`;
  const o = r.outcome;
  switch (o.status) {
    case 'sent':
      return `${where}: posted, message ${o.messageId}${o.attempts > 1 ? ` after ${o.attempts} attempts` : ''}`;
    case 'already':
      return `${where}: not posted, today's digest is already ${o.existing.state}${o.existing.messageId ? ` (message ${o.existing.messageId})` : ''}`;
    case 'failed':
      return `${where}: FAILED, ${o.reason}`;
    case 'unknown':
      return `${where}: UNKNOWN, ${o.reason}`;
    case 'gone':
      return `${where}: FAILED, ${o.reason}; unsubscribed`;
    case 'no-poster':
      return `${where}: not posted, ${r.platform} is not configured in this environment`;
  }
}

function quoteLines(q: Quote, titles: Record<string, string>, indent: string, bullet = ''): string[] {
  return [`${indent}${bullet}“${q.text.trim()}”`, `${indent}${' '.repeat(bullet.length)}  — ${attribution(q, titles[q.document] ?? q.document)}`];
}

/** The digest as terminal text. */
export function renderDigestText(d: Digest): string {
  const lines: string[] = [d.title, '='.repeat(Math.min(d.title.length, 72)), ''];
  if (d.overview) lines.push(d.overview, '');
  if (d.newSince.length) {
    lines.push('New since the last briefing', '');
    for (const n of d.newSince) {
      const meta = byline(n.document.source, n.document.published);
      lines.push(`* ${n.document.title}${meta ? ` — ${meta}` : ''}`);
      for (const q of n.quotes) lines.push(...quoteLines(q, d.titles, '    '));
      lines.push('');
    }
  }
  if (d.points.length) {
    lines.push('Key points', '');
    d.points.forEach((p, i) => {
      lines.push(`${i + 1}. ${p.topic.label}`, ...quoteLines(p.quote, d.titles, '   '), '');
    });
  }
  if (d.indicators.length) {
    lines.push('Indicators to watch', '');
    for (const q of d.indicators) lines.push(...quoteLines(q, d.titles, '  ', '- '), '');
  }
  if (!d.newSince.length && !d.points.length && !d.indicators.length) lines.push('The sources have nothing to brief on for this date.', '');
  return lines.join('\n');
}
