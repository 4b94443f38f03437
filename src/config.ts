// Environment -> one typed, validated config object (DESIGN.md "Configuration").
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Raised for a user's configuration mistake: the CLI prints the message alone, no stack. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const schema = z.object({
  CORPUS_DIR: optional,
  DATA_DIR: optional,
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  OPENAI_MODEL: optional,
  OPENAI_EMBEDDING_MODEL: optional,
  OPENAI_TIMEOUT_MS: optional,
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_PORT: optional,
  SLACK_API_URL: optional,
  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional,
  DISCORD_GUILD_ID: optional,
  DISCORD_API_URL: optional,
  DIGEST_TIME: optional,
  DIGEST_TZ: optional,
  LOG_LEVEL: optional,
});

export interface OpenAIConfig {
  apiKey: string;
  baseURL?: string;
  model: string;
  embeddingModel?: string;
  timeoutMs: number;
}

export interface SlackConfig {
  botToken: string;
  /** HTTP (Events API) mode when set. */
  signingSecret?: string;
  /** Socket Mode when set (takes precedence over HTTP when both are set). */
  appToken?: string;
  port: number;
  apiUrl?: string;
}

export interface DiscordConfig {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
}

export interface Config {
  corpusDir: string;
  dataDir: string;
  openai?: OpenAIConfig;
  slack?: SlackConfig;
  discord?: DiscordConfig;
  digest: { time: string; tz: string };
  logLevel: string;
}

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const DEFAULT_OPENAI_TIMEOUT_MS = 20_000;
export const DEFAULT_SLACK_PORT = 3000;
export const DEFAULT_DIGEST_TIME = '08:00';
export const DEFAULT_DIGEST_TZ = 'UTC';

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function isValidTime(hhmm: string): boolean {
  return HHMM.test(hhmm);
}

/** Reads KEY=VALUE lines of a `.env` file without overriding variables already set. */
export function readDotEnv(file: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(file)) return;
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).replace(/^export\s+/, '').trim();
    let value = line.slice(eq + 1).trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1);
    }
    if (env[key] === undefined) env[key] = value;
  }
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number, got "${value}"`);
  return n;
}

/**
 * Builds the config from an environment. A platform whose variables are half-set is an error
 * naming what is missing, so a typo never silently disables Slack or Discord.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: { corpusDir?: string; dataDir?: string } = {}): Config {
  const e = schema.parse(env);
  const corpusDir = path.resolve(overrides.corpusDir ?? e.CORPUS_DIR ?? 'corpus');
  const dataDir = path.resolve(overrides.dataDir ?? e.DATA_DIR ?? 'data');

  let openai: OpenAIConfig | undefined;
  if (e.OPENAI_API_KEY) {
    openai = {
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL,
      embeddingModel: e.OPENAI_EMBEDDING_MODEL,
      timeoutMs: positiveInt('OPENAI_TIMEOUT_MS', e.OPENAI_TIMEOUT_MS, DEFAULT_OPENAI_TIMEOUT_MS),
    };
  } else if (e.OPENAI_BASE_URL || e.OPENAI_EMBEDDING_MODEL || e.OPENAI_MODEL) {
    throw new ConfigError('OPENAI_API_KEY is missing (OPENAI_BASE_URL, OPENAI_MODEL or OPENAI_EMBEDDING_MODEL is set); local servers accept any non-empty key');
  }

  let slack: SlackConfig | undefined;
  if (e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    if (!e.SLACK_BOT_TOKEN) throw new ConfigError('SLACK_BOT_TOKEN is missing (SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set)');
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
      throw new ConfigError('Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) besides SLACK_BOT_TOKEN');
    }
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      port: positiveInt('SLACK_PORT', e.SLACK_PORT, DEFAULT_SLACK_PORT),
      apiUrl: e.SLACK_API_URL,
    };
  }

  let discord: DiscordConfig | undefined;
  if (e.DISCORD_TOKEN || e.DISCORD_APPLICATION_ID || e.DISCORD_GUILD_ID) {
    const missing = [!e.DISCORD_TOKEN && 'DISCORD_TOKEN', !e.DISCORD_APPLICATION_ID && 'DISCORD_APPLICATION_ID'].filter(Boolean);
    if (missing.length) throw new ConfigError(`Discord is half-configured: ${missing.join(' and ')} missing`);
    discord = { token: e.DISCORD_TOKEN!, applicationId: e.DISCORD_APPLICATION_ID!, guildId: e.DISCORD_GUILD_ID, apiUrl: e.DISCORD_API_URL };
  }

  const time = e.DIGEST_TIME ?? DEFAULT_DIGEST_TIME;
  if (!isValidTime(time)) throw new ConfigError(`DIGEST_TIME must be HH:MM (24-hour), got "${time}"`);
  const tz = e.DIGEST_TZ ?? DEFAULT_DIGEST_TZ;
  if (!isValidTimeZone(tz)) throw new ConfigError(`DIGEST_TZ must be an IANA time zone such as Europe/London, got "${tz}"`);

  return { corpusDir, dataDir, openai, slack, discord, digest: { time, tz }, logLevel: e.LOG_LEVEL ?? 'info' };
}
