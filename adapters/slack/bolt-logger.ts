// Bolt, @slack/web-api and @slack/socket-mode log through this, so their lines land in our pino
// stream with its secret redaction instead of on stdout through Bolt's ConsoleLogger.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

export function boltLogger(logger: Logger): BoltLogger {
  let log = logger.child({ component: 'slack' });
  const line = (args: unknown[]) => args.map(show).join(' ');
  // web-api logs every request and response body at debug: formatted only when that level is on, as
  // stringifying them for nothing cost the event loop on every API call.
  return {
    debug: (...args: unknown[]) => log.isLevelEnabled('debug') && log.debug(line(args)),
    info: (...args: unknown[]) => log.isLevelEnabled('info') && log.info(line(args)),
    warn: (...args: unknown[]) => log.warn(line(args)),
    error: (...args: unknown[]) => log.error(line(args)),
    // Bolt calls setLevel(INFO) on any logger it is given (App constructor); LOG_LEVEL stays in charge.
    setLevel: () => {},
    getLevel: () => {
      const level = log.level;
      if (level === 'error' || level === 'fatal' || level === 'silent') return LogLevel.ERROR;
      if (level === 'warn') return LogLevel.WARN;
      if (level === 'info') return LogLevel.INFO;
      return LogLevel.DEBUG;
    },
    setName: (name: string) => {
      log = logger.child({ component: 'slack', name });
    },
  };
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
