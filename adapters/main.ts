// The composition root: the engine's CLI plus the commands that need a platform (start, chat,
// digest --post, and each platform's own, such as discord register). Platform SDKs are imported
// only when their platform is configured, so `briefbot ask` never pays for loading Bolt or discord.js.
import { ENGINE_COMMANDS, digestCommand, openBriefing, runCli, type Command } from '../src/cli.js';
import { openDatabase } from '../src/store/db.js';
import type { RunningAdapter } from './types.js';
import type { DigestPoster } from '../src/digest/poster.js';
import { configuredPlatforms, configuredPosters, platformCommands, PLATFORMS } from './platforms.js';
import { DigestScheduler } from '../src/digest/scheduler.js';
import { runConsoleChat } from './console/chat.js';
import { CONSOLE_COMMANDS } from './console/commands.js';

const chat: Command = async (ctx) => {
  const b = await openBriefing(ctx, { warmUp: true });
  return runConsoleChat(b, { input: ctx.stdin, output: ctx.stdout, interactive: Boolean((ctx.stdin as NodeJS.ReadStream).isTTY) });
};

const start: Command = async (ctx) => {
  const { config, logger } = ctx;
  const configured = configuredPlatforms(process.env);
  if (!configured.length) {
    logger.info(`no ${PLATFORMS.map((p) => p.name).join(' or ')} variables set: starting the console chat`);
    return chat(ctx);
  }
  const briefing = await openBriefing(ctx, { warmUp: true });
  const db = openDatabase(config.dataDir);
  // Adapters need the scheduler for their subscribe commands and the scheduler needs the adapters'
  // posters: each configured platform gets a poster that forwards to its adapter once it runs.
  const late = new Map<string, DigestPoster>();
  const posters: DigestPoster[] = configured.map(({ platform: { name } }) => ({
    platform: name,
    post: (channelId, digest) => {
      const target = late.get(name);
      if (!target) throw new Error(`${name} is not running`);
      return target.post(channelId, digest);
    },
  }));
  const scheduler = new DigestScheduler({ db, producer: briefing, posters, logger, defaults: config.digest });
  const deps = { config, briefing, logger, db, scheduler };
  const running: RunningAdapter[] = [];
  try {
    for (const { platform, config: settings } of configured) running.push(await platform.start(settings, deps));
  } catch (e) {
    await Promise.allSettled(running.map((r) => r.stop()));
    throw e;
  }
  for (const r of running) if (r.poster) late.set(r.platform, r.poster);
  await scheduler.start();
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

export const COMMANDS: Record<string, Command> = {
  ...ENGINE_COMMANDS,
  ...CONSOLE_COMMANDS,
  ...platformCommands(),
  chat,
  start,
  // `digest` reads through the terminal layout; `--post` goes out through each configured platform's
  // poster over its HTTP API alone (no gateway login, no socket), bound by the same once-a-day
  // claim as a running `briefbot start`.
  digest: digestCommand(async ({ config, logger, flags }) => {
    const { TERMINAL_DIGEST: layout } = await import('./shared/digest-text.js');
    if (!flags.has('post')) return { layout };
    return { layout, db: openDatabase(config.dataDir), posters: await configuredPosters(logger) };
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
