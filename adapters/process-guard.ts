// A long-running bot logs what escapes every handler and keeps serving: one bad request (a signed
// body of `null` once threw inside Bolt's receiver, outside any listener) must not end the process
// for every channel. A crash mid-answer is survivable (src/store/deliveries.ts); a crash loop is not.
import { describeError } from '../src/errors.js';
import type { Logger } from '../src/log.js';

/** Installs the handlers; returns a function that removes them (tests, shutdown). */
export function guardProcess(logger: Logger): () => void {
  const onRejection = (reason: unknown) => logger.error(describeError(reason), 'unhandled promise rejection; still serving');
  const onException = (err: Error) => logger.error(describeError(err), 'uncaught exception; still serving');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
