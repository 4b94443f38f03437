// The `briefbot` command (DESIGN.md "The briefbot command"). Engine commands live here; commands
// that need a platform (start, discord register, digest --post) are handed in by the entry point
// (adapters/main.ts), so src/ never imports an adapter.
import { createInterface } from 'node:readline';
import path from 'node:path';
import { Briefing } from './briefing.js';
import { loadConfig, readDotEnv, type Config } from './config.js';
import { CodedError, isUserSafe } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { rankCandidates } from './answer/rank.js';
import type { DigestCommandDeps } from './digest/command.js';

/** A mistake by the user: printed as one line on stderr, exit status 2, no stack trace. */
export class UsageError extends CodedError {
  override name = 'UsageError';

  constructor(message: string) {
    super('usage', message, { userSafe: true });
  }
}

export interface CliContext {
  config: Config;
  logger: Logger;
  args: string[];
  flags: Map<string, string | true>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
}

export type Command = (ctx: CliContext) => Promise<number>;

const USAGE = `briefbot: briefs a team on the US–Iran nuclear talks, quoting its sources verbatim

usage: briefbot <command> [options]

  ask "QUESTION"      answer in the terminal (--json: one JSON Answer)
  ask --jsonl         answer {"id","question"} JSON lines from stdin, one Answer a line
  rank                score {"id","question","candidates"} lines from stdin: {"id","scores"}
  ingest              build or refresh the index; prints documents, chunks, time
  chat                interactive console chat (npm start runs it when no platform is configured)
  digest              print today's digest (--date YYYY-MM-DD, --json; --post posts it now)
  sources             list the documents, newest first: id, title, outlet, date (--json: the array)
  add URL|PATH        add an analysis (web page, PDF, Markdown, text) to the corpus, as Markdown
  remove ID           remove a document from the corpus (its id as \`sources\` lists it)
  feeds add|list|remove|poll   RSS/Atom feeds whose new articles are added (poll: check them now)
  start               run every configured adapter, the digest scheduler, the feed poller and
                      the corpus watcher (changes to the corpus are answerable within seconds)
  discord register    register the Discord slash commands (--guild ID for one server)

options: --corpus DIR (default CORPUS_DIR or ./corpus), --data DIR (default DATA_DIR or ./data)`;

/** Flags every command takes. */
const GLOBAL_FLAGS = new Set(['corpus', 'data', 'verbose']);
/** Flags that take a value; every other --flag is a switch. */
const VALUE_FLAGS = new Set(['corpus', 'data', 'date', 'guild']);

export function parseArgs(argv: string[]): { args: string[]; flags: Map<string, string | true> } {
  const args: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (VALUE_FLAGS.has(name)) {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        flags.set(name, v);
      } else flags.set(name, true);
    } else if (a === '-h') flags.set('help', true);
    else args.push(a);
  }
  return { args, flags };
}

export async function openBriefing(ctx: CliContext, opts: { rebuild?: boolean; logWarnings?: boolean; warmUp?: boolean } = {}): Promise<Briefing> {
  return Briefing.open({ corpusDir: ctx.config.corpusDir, dataDir: ctx.config.dataDir, logger: ctx.logger, openai: ctx.config.openai, ...opts });
}

/** The lines of a stream (stdin), as they arrive. */
export async function* lines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

const rank: Command = async (ctx) => {
  const items: { id: unknown; question: string; candidates: string[] }[] = [];
  for await (const line of lines(ctx.stdin)) {
    if (!line.trim()) continue;
    let item: { id?: unknown; question?: unknown; candidates?: unknown };
    try {
      item = JSON.parse(line) as typeof item;
    } catch {
      throw new UsageError(`rank: line ${items.length + 1} is not JSON`);
    }
    if (typeof item.question !== 'string' || !Array.isArray(item.candidates) || !item.candidates.every((c) => typeof c === 'string')) {
      throw new UsageError(`rank: line ${items.length + 1} needs "question" (string) and "candidates" (array of strings)`);
    }
    items.push({ id: item.id, question: item.question, candidates: item.candidates as string[] });
  }
  for (const r of rankCandidates(items, ctx.config.dataDir)) ctx.stdout(`${JSON.stringify(r)}\n`);
  return 0;
};

const ingest: Command = async (ctx) => {
  const t0 = performance.now();
  const b = await openBriefing(ctx, { rebuild: true, logWarnings: false });
  const s = b.index.stats;
  for (const w of b.warnings) ctx.stderr(`warning: skipped ${w.file}: ${w.reason}\n`);
  ctx.stdout(`${s.documents} document(s), ${s.chunks} chunks, ${Math.round(performance.now() - t0)} ms (index in ${path.relative(process.cwd(), ctx.config.dataDir) || '.'})\n`);
  return 0;
};

export function digestCommand(extra?: (ctx: CliContext) => Promise<Partial<DigestCommandDeps>>): Command {
  return async (ctx) => {
    const { DigestUsageError, parseDigestArgs, runDigestCommand } = await import('./digest/command.js');
    let options;
    try {
      // The digest's own options, from the flags the CLI already parsed (--corpus/--data are global).
      const own = [...ctx.flags].filter(([name]) => !GLOBAL_FLAGS.has(name)).flatMap(([name, v]) => (v === true ? [`--${name}`] : [`--${name}`, v]));
      options = parseDigestArgs([...own, ...ctx.args]);
    } catch (e) {
      if (e instanceof DigestUsageError) throw new UsageError(e.message);
      throw e;
    }
    const b = await openBriefing(ctx);
    const more = extra ? await extra(ctx) : {};
    return runDigestCommand(options, { producer: b, logger: ctx.logger, timeZone: ctx.config.digest.tz, stdout: ctx.stdout, stderr: ctx.stderr, ...more });
  };
}

/** The commands that print for machines or need no words of ours; those that print for people are the console's (adapters/console/commands.ts). */
export const ENGINE_COMMANDS: Record<string, Command> = { rank, ingest, digest: digestCommand() };

/** Runs the CLI; returns the exit status. Expected errors are one line on stderr. */
export async function runCli(argv: string[], commands: Record<string, Command> = ENGINE_COMMANDS, io: Partial<Pick<CliContext, 'stdout' | 'stderr' | 'stdin'>> = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  try {
    const { args, flags } = parseArgs(argv);
    const name = args.shift();
    if (!name || flags.has('help') || name === 'help') {
      stdout(`${USAGE}\n`);
      return name || flags.has('help') ? 0 : 2;
    }
    const command = commands[name];
    if (!command) throw new UsageError(`unknown command "${name}"; try briefbot --help`);
    readDotEnv(path.resolve('.env'));
    const corpus = flags.get('corpus');
    const data = flags.get('data');
    const config = loadConfig(process.env, { corpusDir: typeof corpus === 'string' ? corpus : undefined, dataDir: typeof data === 'string' ? data : undefined });
    const logger = createLogger(flags.has('verbose') ? 'debug' : config.logLevel);
    return await command({ config, logger, args, flags, stdout, stderr, stdin: io.stdin ?? process.stdin });
  } catch (e) {
    // The user's own mistake (usage, configuration, corpus): their message alone, exit status 2.
    if (isUserSafe(e)) {
      stderr(`briefbot: ${e.message}\n`);
      return 2;
    }
    stderr(`briefbot: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.LOG_LEVEL === 'debug' && e instanceof Error) stderr(`${e.stack}\n`);
    return 1;
  }
}
