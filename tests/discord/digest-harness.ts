// Digests end to end on Discord: the REAL Briefing on a temp copy of corpus/, a temp DATA_DIR, the
// real discord.js Client logged in to the loopback fake Discord, and a DigestScheduler on a fake
// clock wired the way `briefbot start` wires it (the adapter's poster bound after it starts).
// Tests drive it with slash commands and `scheduler.tick(now)`: nothing waits on real time.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PermissionFlagsBits } from 'discord.js';
import type { HandledInteraction } from '../../adapters/discord/handler.js';
import { startDiscord, type RunningDiscord } from '../../adapters/discord/index.js';
import { Briefing } from '../../src/briefing.js';
import { discordConfig } from '../../adapters/discord/config.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DigestPoster } from '../../src/digest/poster.js';
import { DigestScheduler } from '../../src/digest/scheduler.js';
import { openStores, type Stores } from '../../src/store/stores.js';
import { FakeClock, fakeSleep } from '../digest/helpers.js';
import { FakeDiscord, type CommandOption, type RecordedRequest } from './fake-discord.js';
import { BOT_TOKEN, captureLogger, type CapturedLogger } from './helpers.js';

export const CORPUS = fileURLToPath(new URL('../../corpus', import.meta.url));
/** What a real guild grants a bot invited with the README's permissions. */
export const POST_PERMISSIONS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks;

export interface DigestHarness {
  fake: FakeDiscord;
  clock: FakeClock;
  log: CapturedLogger;
  config: Config;
  stores: Stores;
  corpusDir: string;
  readonly briefing: Briefing;
  readonly scheduler: DigestScheduler;
  readonly running: RunningDiscord;
  /** `app_permissions` the fake sends with interactions (the bot's permissions in the channel). */
  appPermissions: bigint;
  /** Dispatches `/digest <sub> ...` (or another command when `sub` is undefined) in `channelId`. */
  command(name: string, sub: string | undefined, options: CommandOption[], channelId: string): { id: string; done: Promise<HandledInteraction>; requests(): RecordedRequest[] };
  /** Dispatches an autocomplete interaction and resolves with its callback request. */
  autocomplete(name: string, sub: string, focused: CommandOption, channelId: string): Promise<RecordedRequest>;
  /** Channel posts (POST /channels/:id/messages) the fake has received, answered or not. */
  channelPosts(channelId?: string): RecordedRequest[];
  /** Stops the bot and starts it again on the same data: a fresh Briefing on the (maybe changed) corpus, a fresh scheduler and client. */
  restart(): Promise<void>;
  /** The corpus file a quote's `document` id names, as read. */
  documentText(id: string): string;
  stop(): Promise<void>;
}

export const option = (name: string, type: number, value: string | number | boolean): CommandOption => ({ name, type, value });
export const text = (name: string, value: string): CommandOption => option(name, 3, value);

export async function startDigestHarness(startIso: string): Promise<DigestHarness> {
  const root = mkdtempSync(path.join(tmpdir(), 'briefbot-discord-digest-'));
  const corpusDir = path.join(root, 'corpus');
  const dataDir = path.join(root, 'data');
  cpSync(CORPUS, corpusDir, { recursive: true });
  const fake = await FakeDiscord.start();
  const clock = new FakeClock(startIso);
  const log = captureLogger();
  const env = {
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DATA_DIR: dataDir,
    CORPUS_DIR: corpusDir,
    DIGEST_TIME: '07:30',
    DIGEST_TZ: 'Europe/London',
  };
  const config = loadConfig(env);
  const discord = discordConfig(env)!;
  const stores = await openStores(config, { subscriptions: { defaults: config.digest, now: clock.now } });
  const waiting = new Map<string, (r: HandledInteraction) => void>();

  let briefing: Briefing;
  let scheduler: DigestScheduler;
  let running: RunningDiscord;

  async function boot(): Promise<void> {
    briefing = await Briefing.open({ corpusDir, dataDir });
    // As in adapters/main.ts: the scheduler exists before the adapter, the poster after it.
    let target: DigestPoster | undefined;
    const late: DigestPoster = {
      platform: 'discord',
      post: (channelId, digest) => {
        if (!target) throw new Error('discord is not running');
        return target.post(channelId, digest);
      },
    };
    scheduler = new DigestScheduler({ stores, producer: briefing, posters: [late], logger: log.logger, now: clock.now, sleep: fakeSleep(clock) });
    running = await startDiscord(
      discord,
      { config, briefing, logger: log.logger, stores, scheduler },
      { replyDeadlineMs: 60_000, poster: { now: clock.now }, onHandled: (r) => waiting.get(r.interactionId)?.(r) },
    );
    target = running.poster;
  }
  await boot();

  const h: DigestHarness = {
    fake,
    clock,
    log,
    config,
    stores,
    corpusDir,
    get briefing() {
      return briefing;
    },
    get scheduler() {
      return scheduler;
    },
    get running() {
      return running;
    },
    appPermissions: POST_PERMISSIONS,
    command(name, sub, options, channelId) {
      const id = fake.snowflake();
      const done = new Promise<HandledInteraction>((resolve) => waiting.set(id, resolve));
      const data = fake.slashCommand(name, sub ? [{ name: sub, type: 1, options }] : options);
      const sent = dispatchWithPermissions(() => fake.dispatchInteraction({ id, channelId, data }));
      return { id, done, requests: () => fake.requestsFor(sent) };
    },
    autocomplete(name, sub, focused, channelId) {
      const data = fake.slashCommand(name, [{ name: sub, type: 1, options: [{ ...focused, focused: true }] }]);
      const sent = dispatchWithPermissions(() => fake.dispatchInteraction({ type: 4, channelId, data }));
      return fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${sent.id}/`));
    },
    channelPosts(channelId) {
      return fake.requests.filter((r) => r.method === 'POST' && /^\/api\/v10\/channels\/\d+\/messages$/.test(r.path) && (!channelId || r.path.includes(`/channels/${channelId}/`)));
    },
    async restart() {
      await scheduler.stop();
      await running.stop();
      await boot();
    },
    documentText: (id) => readFileSync(path.join(corpusDir, id), 'utf8'),
    async stop() {
      await scheduler.stop();
      await running.stop();
      await fake.stop();
      await stores.close();
      rmSync(root, { recursive: true, force: true });
    },
  };

  // The fake sends app_permissions "0"; a real guild sends the bot's permissions in the channel.
  function dispatchWithPermissions<T>(send: () => T): T {
    const original = fake.dispatch;
    fake.dispatch = (t, d) => original.call(fake, t, t === 'INTERACTION_CREATE' ? { ...(d as object), app_permissions: h.appPermissions.toString() } : d);
    try {
      return send();
    } finally {
      fake.dispatch = original;
    }
  }
  return h;
}

/** Text of a quote field: the block quote without its "> " markers. */
export const unquote = (value: string) => value.replace(/^> /gm, '');

/** Every field of every embed of a posted message. */
export function fieldsOf(body: any): { name: string; value: string }[] {
  return (body.embeds ?? []).flatMap((e: any) => e.fields ?? []);
}
