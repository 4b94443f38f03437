// The composition root: the engine's CLI plus the commands that need a platform (start, chat,
// discord register, digest --post). Platform SDKs are imported only when their platform is
// configured, so `briefbot ask` never pays for loading Bolt or discord.js.
import { ENGINE_COMMANDS, UsageError, digestCommand, openBriefing, runCli, type Command } from '../src/cli.js';
import { TOPICS } from '../src/answer/topics.js';
import { openDatabase } from '../src/store/db.js';
import type { RunningAdapter } from './types.js';
import type { BriefingService } from '../src/service.js';
import type { Logger } from '../src/log.js';
import type { DigestPoster } from '../src/digest/poster.js';
import { DigestScheduler } from '../src/digest/scheduler.js';
import { runConsoleChat } from './console/chat.js';

const chat: Command = async (ctx) => {
  const b = await openBriefing(ctx, { warmUp: true });
  return runConsoleChat(b, { input: ctx.stdin, output: ctx.stdout, interactive: Boolean((ctx.stdin as NodeJS.ReadStream).isTTY) });
};

const start: Command = async (ctx) => {
  const { config, logger } = ctx;
  if (!config.slack && !config.discord) {
    logger.info('no Slack or Discord variables set: starting the console chat');
    return chat(ctx);
  }
  const briefing = await openBriefing(ctx, { warmUp: true });
  const db = openDatabase(config.dataDir);
  // Adapters need the scheduler for their subscribe commands and the scheduler needs the adapters'
  // posters: each configured platform gets a poster that forwards to its adapter once it runs.
  const late = new Map<string, DigestPoster>();
  const posters: DigestPoster[] = (['slack', 'discord'] as const)
    .filter((p) => config[p])
    .map((platform) => ({
      platform,
      post: (channelId, digest) => {
        const target = late.get(platform);
        if (!target) throw new Error(`${platform} is not running`);
        return target.post(channelId, digest);
      },
    }));
  const scheduler = new DigestScheduler({ db, producer: briefing, posters, logger, defaults: config.digest });
  const deps = { config, briefing, logger, db, scheduler };
  const running: RunningAdapter[] = [];
  try {
    if (config.slack) running.push(await (await import('./slack/index.js')).startSlack(deps));
    if (config.discord) running.push(await (await import('./discord/index.js')).startDiscord(deps));
  } catch (e) {
    await Promise.allSettled(running.map((r) => r.stop()));
    throw e;
  }
  for (const r of running) if (r.poster) late.set(r.platform, r.poster);
  await scheduler.start();
  void warmUp(briefing, logger);
  logger.info({ platforms: running.map((r) => r.platform), documents: briefing.sources().length }, 'briefbot is running');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  logger.info('shutting down');
  await scheduler.stop();
  await Promise.allSettled(running.map((r) => r.stop()));
  db.close();
  return 0;
};

/**
 * A long-running bot's first few dozen answers run before V8 has optimised the scorer (p99 50-80
 * ms instead of ~10, bench/). Asking the topics' descriptions once, an event-loop turn apart,
 * takes part of that cost before the first user does; `ask` skips it, where it would only add to start-up.
 */
async function warmUp(briefing: BriefingService, logger: Logger): Promise<void> {
  try {
    for (const t of briefing.topics()) {
      await new Promise((r) => setImmediate(r));
      await briefing.ask(t.description);
    }
  } catch (e) {
    logger.debug({ err: String(e) }, 'warm-up question failed');
  }
}

const discord: Command = async (ctx) => {
  const sub = ctx.args[0];
  if (sub !== 'register') throw new UsageError('usage: briefbot discord register [--guild ID]');
  if (!ctx.config.discord) throw new UsageError('discord register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  const guild = ctx.flags.get('guild');
  const { registerCommands, formatRegistration } = await import('./discord/index.js');
  const result = await registerCommands(ctx.config.discord, { guildId: typeof guild === 'string' ? guild : undefined, topics: TOPICS.map(({ id, label, description }) => ({ id, label, description })) });
  ctx.stdout(`${formatRegistration(result)}\n`);
  return 0;
};

export const COMMANDS: Record<string, Command> = {
  ...ENGINE_COMMANDS,
  chat,
  start,
  discord,
  // `digest --post`: each configured platform's poster over its HTTP API alone (no gateway login,
  // no socket), bound by the same once-a-day claim as a running `briefbot start`.
  digest: digestCommand(async ({ config, logger }) => {
    const posters: DigestPoster[] = [];
    if (config.discord) posters.push((await import('./discord/index.js')).createDiscordPoster(config.discord, logger));
    if (config.slack) posters.push((await import('./slack/index.js')).createSlackPoster(config.slack, logger));
    return { db: openDatabase(config.dataDir), posters };
  }),
};

export function main(argv = process.argv.slice(2)): void {
  runCli(argv, COMMANDS).then(
    (code) => {
      // Exit explicitly: a library timer (say, LangChain's retry back-off after a 429) must not
      // keep a finished command alive. Writes to a pipe or file are synchronous on Linux.
      process.exit(code);
    },
    (e) => {
      process.stderr.write(`briefbot: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
