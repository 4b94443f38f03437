// The discord.js Client briefbot runs: Guilds intent only (slash commands need no message content),
// REST base overridable for loopback tests, and no mentions parsed in anything it sends.
import { Client, Events, GatewayIntentBits, RESTEvents } from 'discord.js';
import { describeError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import type { DiscordConfig } from './config.js';
import { NO_MENTIONS } from './respond.js';

/**
 * @discordjs/rest builds `${api}/v${version}${route}`, so `api` is the base without a version
 * (default https://discord.com/api). A DISCORD_API_URL given with `/v10` or a trailing slash still works.
 */
export function restApiBase(apiUrl: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  return apiUrl.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}

export function createDiscordClient(config: DiscordConfig, logger: Logger): Client {
  const api = restApiBase(config.apiUrl);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    rest: api ? { api } : {},
  });
  // An 'error' event without a listener would throw and end the process.
  client.on(Events.Error, (err) => logger.error({ error: describeError(err) }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardError, (err, shardId) => logger.error({ error: describeError(err), shardId }, 'discord gateway error'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ code: event.code, shardId }, 'discord gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, 'discord gateway reconnecting'));
  // @discordjs/rest retries 5xx and waits out 429s itself, but emits RateLimited only for limits it
  // predicted (SequentialHandler), not for an unexpected 429 (BurstHandler, used for interaction
  // callbacks); the Response event sees both. `route` is the bucket route, which holds no token.
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
