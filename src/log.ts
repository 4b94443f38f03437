// One pino logger for the process. Secrets are redacted by path, and every token-looking value is
// masked by the serializer, so a token never reaches a log line even inside an error message.
import { writeSync } from 'node:fs';
import { pino, type DestinationStream, type Logger } from 'pino';

const TOKEN = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|sk-[A-Za-z0-9_-]{8,}|[MN][A-Za-z\d]{23,}\.[\w-]{6}\.[\w-]{27,})/g;
// Discord interaction and webhook URLs embed a token that lets anyone post as the bot for 15
// minutes, and @discordjs/rest puts the whole URL in its error messages.
const TOKEN_IN_PATH = /\/(interactions\/\d+|webhooks\/\d+)\/[^/?\s"]+/g;

// A DATABASE_URL's password, between the user's colon and the last "@" before the host (never past
// a quote, a space or the path, so a JSON log line stays JSON), and a `password=` parameter.
const URL_PASSWORD = /\b(postgres(?:ql)?:\/\/[^\s"'/:@]*):[^\s"'/]*@/gi;
const PARAM_PASSWORD = /\b(postgres(?:ql)?:\/\/[^\s"']*[?&]password=)[^\s"'&]*/gi;

export function redactSecrets(text: string): string {
  return text
    .replace(TOKEN, '[redacted]')
    .replace(TOKEN_IN_PATH, '/$1/[token]')
    .replace(URL_PASSWORD, '$1:[redacted]@')
    .replace(PARAM_PASSWORD, '$1[redacted]');
}

export interface LoggerOptions {
  /**
   * Terse lines ("12:00:01 WARN message key=value") instead of JSON. Defaults to whether stderr is
   * a terminal: a person reads those, while a service's stderr goes to a log collector.
   */
  readable?: boolean;
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', options: LoggerOptions = {}): Logger {
  const readable = options.readable ?? Boolean(process.stderr.isTTY);
  return pino(
    {
      level,
      redact: {
        paths: ['token', 'botToken', 'appToken', 'signingSecret', 'apiKey', '*.token', '*.botToken', '*.appToken', '*.signingSecret', '*.apiKey', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
      formatters: { log: (obj) => JSON.parse(redactSecrets(JSON.stringify(obj))) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    // Logs go to stderr so `briefbot ask --json` keeps stdout clean.
    readable ? readableLines() : pino.destination(2),
  );
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every pino line carries that a person at a terminal does not need. */
const PLUMBING = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** Formats each (already redacted) JSON line pino writes; written synchronously, like pino.destination(2). */
function readableLines(): DestinationStream {
  return {
    write(json: string) {
      const entry = JSON.parse(json) as Record<string, unknown>;
      const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
      const fields = Object.entries(entry)
        .filter(([key]) => !PLUMBING.has(key))
        .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`);
      writeSync(2, `${[time, LEVELS[entry.level as number] ?? 'LOG', entry.msg ?? '', ...fields].filter(Boolean).join(' ')}\n`);
    },
  };
}

export type { Logger };
