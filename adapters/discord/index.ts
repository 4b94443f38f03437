// briefbot in Discord: one discord.js Client on the gateway answering slash commands (handler.ts);
// digests go out over REST alone (poster.ts), like `briefbot digest --post`: one code path for both.
import { Client, Events, GatewayIntentBits, RESTEvents } from 'discord.js';
import { withDeadline } from '../../src/deadline.js';
import { CodedError, describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import type { AdapterDeps, RunningAdapter } from '../types.js';
import { COMMANDS, type SlashCommand } from './commands.js';
import { PLATFORM, restOptions, type DiscordConfig } from './config.js';
import { createInteractionHandler, type HandlerOptions } from './handler.js';
import { createDiscordPoster, type DiscordPosterOptions } from './poster.js';

/** Discord drops an interaction not acknowledged within 3 s; this leaves room for the round trip. */
const REPLY_DEADLINE_MS = 2000;

export interface DiscordAdapterOptions extends Partial<HandlerOptions> {
  /** Options for the digest poster `startDiscord` returns (tests: a fake clock for its nonce window). */
  poster?: DiscordPosterOptions;
}

/** How long stop() lets answers in progress finish (an interaction token lives 15 minutes; we don't wait that long). */
const STOP_GRACE_MS = 10_000;

export type RunningDiscord = RunningAdapter & { client: Client };

/** Logs in and answers slash commands until `stop()`. Rejects when Discord refuses the login. */
export async function startDiscord(discord: DiscordConfig, deps: AdapterDeps, options: DiscordAdapterOptions = {}): Promise<RunningDiscord> {
  const logger = deps.logger.child({ platform: PLATFORM });
  const ctx = { ...deps, logger };
  const commands = options.commands ?? COMMANDS;
  const client = createDiscordClient(discord, logger);

  const handle = createInteractionHandler(ctx, { ...options, replyDeadlineMs: options.replyDeadlineMs ?? REPLY_DEADLINE_MS, commands });
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    const done = handle(interaction).finally(() => inFlight.delete(done));
    inFlight.add(done);
  });

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(discord.token);
    await ready;
  } catch (err) {
    await client.destroy();
    throw new CodedError('platform_start', `Discord login failed: ${describeError(err).error}`, { cause: err });
  }
  logger.info({ user: client.user?.tag, applicationId: discord.applicationId, guilds: client.guilds.cache.size }, 'discord connected');
  void warnIfUnregistered(client, discord.guildId, commands, logger);

  const poster = createDiscordPoster(discord, logger, options.poster);

  return {
    platform: PLATFORM,
    client,
    poster,
    async stop() {
      await withDeadline(Promise.allSettled([...inFlight]), STOP_GRACE_MS);
      // Closing the gateway fires these too; "reconnecting" in the log at shutdown would mislead.
      client.removeAllListeners(Events.ShardReconnecting).removeAllListeners(Events.ShardDisconnect);
      await client.destroy();
      poster.close();
      logger.info('discord stopped');
    },
  };
}

/** Slash commands only appear once registered; say so at start-up rather than leave users guessing. */
async function warnIfUnregistered(client: Client, guildId: string | undefined, commands: readonly SlashCommand[], logger: Logger): Promise<void> {
  try {
    const registered = await client.application!.commands.fetch(guildId ? { guildId } : {});
    const names = new Set(registered.map((c) => c.name));
    const missing = commands.map((c) => c.name).filter((n) => !names.has(n));
    if (missing.length) {
      logger.warn({ missing, scope: guildId ? `guild ${guildId}` : 'global' }, 'discord commands not registered; run `briefbot discord register`');
    }
  } catch (err) {
    logger.warn({ error: describeError(err) }, 'could not check the registered discord commands');
  }
}

/** Guilds intent only: slash commands need no message content. */
function createDiscordClient(config: DiscordConfig, logger: Logger): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // For every message this client sends (replies, edits, follow-ups): a quote or question pings no one.
    allowedMentions: { parse: [] },
    rest: restOptions(config),
  });
  // An 'error' event without a listener would throw and end the process.
  client.on(Events.Error, (err) => logger.error({ error: describeError(err) }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardError, (err, shardId) => logger.error({ error: describeError(err), shardId }, 'discord gateway error'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ code: event.code, shardId }, 'discord gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, 'discord gateway reconnecting'));
  // @discordjs/rest emits RateLimited only for limits it predicted (SequentialHandler), not for an unexpected
  // 429 (BurstHandler: interaction callbacks); Response sees both. `route` is the bucket route: no token.
  client.rest.on(RESTEvents.Response, (request, response) => {
    if (response.status === 429 || response.status >= 500) {
      logger.warn({ method: request.method.toUpperCase(), route: request.route, status: response.status, retries: request.retries }, 'discord REST error response (retried by @discordjs/rest up to its limit)');
    }
  });
  client.rest.on(RESTEvents.RateLimited, (info) =>
    logger.warn({ route: info.route, method: info.method, retryAfter: info.retryAfter, global: info.global, scope: info.scope }, 'discord rate limited; waiting'),
  );
  client.rest.on(RESTEvents.InvalidRequestWarning, (info) => logger.warn({ count: info.count, remainingTime: info.remainingTime }, 'discord invalid requests piling up'));
  return client;
}
