// One pino logger for the process. Secrets are redacted by path, and every token-looking value is
// masked by the serializer, so a token never reaches a log line even inside an error message.
import { pino, type Logger } from 'pino';

const TOKEN = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|sk-[A-Za-z0-9_-]{8,}|[MN][A-Za-z\d]{23,}\.[\w-]{6}\.[\w-]{27,})/g;

export function redactSecrets(text: string): string {
  return text.replace(TOKEN, '[redacted]');
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
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
    pino.destination(2),
  );
}

export type { Logger };
