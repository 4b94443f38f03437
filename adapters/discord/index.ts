// briefbot in Discord: slash commands over the gateway, answered through the Briefing service.
import { Events, type Client } from 'discord.js';
import { withDeadline } from '../../src/deadline.js';
import { CodedError, describeError } from '../../src/errors.js';
import type { AdapterDeps, RunningAdapter } from '../types.js';
import { createDiscordClient } from './client.js';
import { COMMANDS } from './commands.js';
import { PLATFORM, type DiscordConfig } from './config.js';
import { createInteractionHandler, type HandledInteraction } from './handler.js';
import { createDiscordPoster, type DiscordPosterOptions } from './poster.js';
import { DEFAULT_REPLY_DEADLINE_MS } from './respond.js';
import type { SlashCommand } from './slash-command.js';

export { COMMANDS, commandDefinitions } from './commands.js';
export type { SlashCommand, CommandContext, Reply, DefinitionContext } from './slash-command.js';
export { discordConfig, type DiscordConfig } from './config.js';
export { formatRegistration, registerCommands, type RegisterOptions, type RegistrationResult, type RegisteredCommand } from './register.js';
export { renderAnswer, renderSources, renderTopic } from './render.js';
export { cardToMessages, type Card, type DiscordMessage } from './card.js';
export type { HandledInteraction } from './handler.js';
export { createDiscordPoster, classifyPostError, digestNonce, type DiscordDigestPoster, type DiscordPosterOptions } from './poster.js';
export { renderDigest } from './digest-render.js';

export interface DiscordAdapterOptions {
  /** Reply directly if the answer is ready within this, else defer (default 2000 ms; Discord allows 3 s). */
  replyDeadlineMs?: number;
  commands?: readonly SlashCommand[];
  onHandled?: (result: HandledInteraction) => void;
  /** Options for the digest poster `startDiscord` returns (tests: a fake clock for its nonce window). */
  poster?: DiscordPosterOptions;
}

/** How long stop() lets answers in progress finish (an interaction token lives 15 minutes; we don't wait that long). */
export const STOP_GRACE_MS = 10_000;

export type RunningDiscord = RunningAdapter & { client: Client };

/** Logs in and answers slash commands until `stop()`. Rejects when Discord refuses the login. */
export async function startDiscord(discord: DiscordConfig, deps: AdapterDeps, options: DiscordAdapterOptions = {}): Promise<RunningDiscord> {
  const logger = deps.logger.child({ platform: PLATFORM });
  const ctx = { ...deps, logger };
  const commands = options.commands ?? COMMANDS;
  const client = createDiscordClient(discord, logger);

  const handle = createInteractionHandler(ctx, { replyDeadlineMs: options.replyDeadlineMs ?? DEFAULT_REPLY_DEADLINE_MS, commands, onHandled: options.onHandled });
  // Tracked so stop() lets answers in progress finish instead of cutting them off.
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

  // Digests go out over REST alone, like `briefbot digest --post`: one code path for both.
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
async function warnIfUnregistered(client: Client, guildId: string | undefined, commands: readonly SlashCommand[], logger: AdapterDeps['logger']): Promise<void> {
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
