// Environment -> one typed, validated config object of the core settings (DESIGN.md
// "Configuration"). Each platform reads its own variables (adapters/*/config.ts) with the helpers
// here, so adding a platform never touches this file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CodedError } from './errors.js';

/** A user's configuration mistake, naming the variable: the CLI prints the message alone, no stack. */
export class ConfigError extends CodedError {
  override name = 'ConfigError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('config', message, { userSafe: true, ...options });
  }
}

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const VARIABLES = ['CORPUS_DIR', 'DATA_DIR', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL', 'OPENAI_EMBEDDING_MODEL', 'OPENAI_TIMEOUT_MS', 'DIGEST_TIME', 'DIGEST_TZ', 'LOG_LEVEL', 'BRIEFBOT_EDITORS', 'BRIEFBOT_ALLOW_PRIVATE_URLS', 'FEED_SCHEDULE', 'DATABASE_URL'] as const;

export interface OpenAIConfig {
  apiKey: string;
  baseURL?: string;
  model: string;
  embeddingModel?: string;
  timeoutMs: number;
}

export interface Config {
  corpusDir: string;
  dataDir: string;
  openai?: OpenAIConfig;
  digest: { time: string; tz: string };
  logLevel: string;
  /** Who may add and remove sources from the chat: Slack user ids, Discord user or role ids (BRIEFBOT_EDITORS). */
  editors: string[];
  /** BRIEFBOT_ALLOW_PRIVATE_URLS=true: `add` and feeds may fetch private and loopback addresses (tests only). */
  allowPrivateUrls: boolean;
  /** When feeds are polled: a cron pattern in the digest time zone (FEED_SCHEDULE, default every 30 minutes). */
  feedSchedule: string;
  /** DATABASE_URL: every store in this PostgreSQL database (shared by replicas); absent: SQLite in dataDir. */
  databaseUrl?: string;
}

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const DEFAULT_OPENAI_TIMEOUT_MS = 20_000;
export const DEFAULT_DIGEST_TIME = '08:00';
export const DEFAULT_DIGEST_TZ = 'UTC';
export const DEFAULT_FEED_SCHEDULE = '*/30 * * * *';

/** BRIEFBOT_EDITORS: ids separated by commas or spaces. */
export function editorIds(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(/[\s,]+/).filter(Boolean))];
}

function yesNo(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

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

/** The named variables of `env`, trimmed; an empty one (`NAME=` in .env) counts as unset. */
export function readVariables<K extends string>(env: NodeJS.ProcessEnv, names: readonly K[]): { [P in K]?: string } {
  return z.object(Object.fromEntries(names.map((name) => [name, optional]))).parse(env) as { [P in K]?: string };
}

export function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number, got "${value}"`);
  return n;
}

/** DATABASE_URL, checked for its scheme; the message never repeats the value, which may hold a password. */
function databaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//i.test(value)) {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0];
    throw new ConfigError(`DATABASE_URL must be a PostgreSQL URL starting postgres:// or postgresql:// (got ${scheme ? `a ${scheme} URL` : 'something else'}); unset it to keep state in SQLite under DATA_DIR`);
  }
  return value;
}

/** Builds the core config from an environment; a bad value is a ConfigError naming its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: { corpusDir?: string; dataDir?: string } = {}): Config {
  const e = readVariables(env, VARIABLES);
  const corpusDir = path.resolve(overrides.corpusDir ?? e.CORPUS_DIR ?? 'corpus');
  const dataDir = path.resolve(overrides.dataDir ?? e.DATA_DIR ?? 'data');

  let openai: OpenAIConfig | undefined;
  if (e.OPENAI_API_KEY) {
    openai = {
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL,
      embeddingModel: e.OPENAI_EMBEDDING_MODEL,
      timeoutMs: wholeNumber('OPENAI_TIMEOUT_MS', e.OPENAI_TIMEOUT_MS, DEFAULT_OPENAI_TIMEOUT_MS),
    };
  } else if (e.OPENAI_BASE_URL || e.OPENAI_EMBEDDING_MODEL || e.OPENAI_MODEL) {
    throw new ConfigError('OPENAI_API_KEY is missing (OPENAI_BASE_URL, OPENAI_MODEL or OPENAI_EMBEDDING_MODEL is set); local servers accept any non-empty key');
  }

  const time = e.DIGEST_TIME ?? DEFAULT_DIGEST_TIME;
  if (!isValidTime(time)) throw new ConfigError(`DIGEST_TIME must be HH:MM (24-hour), got "${time}"`);
  const tz = e.DIGEST_TZ ?? DEFAULT_DIGEST_TZ;
  if (!isValidTimeZone(tz)) throw new ConfigError(`DIGEST_TZ must be an IANA time zone such as Europe/London, got "${tz}"`);

  const feedSchedule = e.FEED_SCHEDULE ?? DEFAULT_FEED_SCHEDULE;
  if (feedSchedule.trim().split(/\s+/).length < 5) throw new ConfigError(`FEED_SCHEDULE must be a cron pattern such as "*/30 * * * *", got "${feedSchedule}"`);

  return {
    corpusDir,
    dataDir,
    openai,
    digest: { time, tz },
    logLevel: e.LOG_LEVEL ?? 'info',
    editors: editorIds(e.BRIEFBOT_EDITORS),
    allowPrivateUrls: yesNo('BRIEFBOT_ALLOW_PRIVATE_URLS', e.BRIEFBOT_ALLOW_PRIVATE_URLS),
    feedSchedule,
    databaseUrl: databaseUrl(e.DATABASE_URL),
  };
}
