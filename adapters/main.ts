// The composition root: the engine's CLI plus the commands that need a platform (start, chat,
// digest --post, and each platform's own, such as discord register).
import { ENGINE_COMMANDS, digestCommand, runCli, type Command } from '../src/cli.js';
import type { DigestPoster } from '../src/digest/poster.js';
import { DigestScheduler } from '../src/digest/scheduler.js';
import { openStores } from '../src/store/stores.js';
import { PooledBriefing } from '../src/workers/answer-pool.js';
import { chat, CONSOLE_COMMANDS } from './console/commands.js';
import { SOURCE_COMMANDS } from './console/source-commands.js';
import { TERMINAL_DIGEST } from './console/layout.js';
import { configuredPlatforms, PLATFORM_COMMANDS, PLATFORMS } from './platforms.js';
import { openCorpus, startLiveCorpus } from './live-corpus.js';
import { guardProcess } from './process-guard.js';
import type { RunningAdapter } from './types.js';

const start: Command = async (ctx) => {
  const { config, logger } = ctx;
  const configured = configuredPlatforms();
  if (!configured.length) {
    logger.info(`no ${PLATFORMS.map((p) => p.name).join(' or ')} variables set: starting the console chat`);
    return chat(ctx);
  }
  guardProcess(logger);
  const stores = await openStores(config, { subscriptions: { defaults: config.digest }, logger });
  // With PostgreSQL the documents table is the corpus, and this replica answers from its mirror of it.
  const shared = await openCorpus(config, stores, logger);
  const corpusDir = shared?.corpusDir ?? config.corpusDir;
  // Answers come from worker threads so acks, pings and heartbeats never wait behind scoring; this thread serves the rest.
  const briefing = await PooledBriefing.start({ corpusDir, dataDir: config.dataDir, openai: config.openai }, config.logLevel);
  for (const w of briefing.snapshot.warnings) logger.warn({ file: w.file }, `corpus file skipped: ${w.file}: ${w.reason}`);
  const corpus = await startLiveCorpus(briefing, { ...config, corpusDir }, stores, logger, shared);
  // The adapters need the scheduler and it needs their posters: each poster forwards once its adapter runs.
  const running: RunningAdapter[] = [];
  const posters: DigestPoster[] = configured.map(({ platform: { name } }) => ({
    platform: name,
    post: (channelId, digest) => {
      const target = running.find((r) => r.platform === name)?.poster;
      if (!target) throw new Error(`${name} is not running`);
      return target.post(channelId, digest);
    },
  }));
  const scheduler = new DigestScheduler({ stores, producer: briefing, posters, logger });
  try {
    for (const { platform, config: settings } of configured) running.push(await platform.start(settings, { config, briefing, logger, stores, scheduler, sources: corpus.desk }));
  } catch (e) {
    await Promise.allSettled(running.map((r) => r.stop()));
    await corpus.stop();
    await shared?.stop();
    await briefing.close();
    await stores.close();
    throw e;
  }
  await scheduler.start();
  logger.info({ platforms: running.map((r) => r.platform), documents: briefing.sources().length }, 'briefbot is running');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  logger.info('shutting down');
  await scheduler.stop();
  await corpus.stop();
  await shared?.stop();
  await Promise.allSettled(running.map((r) => r.stop()));
  await briefing.close();
  await stores.close();
  return 0;
};

export const COMMANDS: Record<string, Command> = {
  ...ENGINE_COMMANDS,
  ...CONSOLE_COMMANDS,
  ...SOURCE_COMMANDS,
  ...PLATFORM_COMMANDS,
  start,
  // `--post` goes out through each configured platform's HTTP API alone (no gateway, no socket),
  // bound by the same once-a-day claim as a running `briefbot start`.
  digest: digestCommand(async ({ config, logger, flags }) => {
    if (!flags.has('post')) return { layout: TERMINAL_DIGEST };
    const posters = await Promise.all(configuredPlatforms().map(({ platform, config: settings }) => platform.poster(settings, logger)));
    return { layout: TERMINAL_DIGEST, stores: await openStores(config, { logger }), posters };
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
