// Racing work against a deadline, for callers that do something else when it is late (give up on
// it, defer a reply, show a placeholder) but cannot stop the work itself from outside: a promise
// has no cancel, so the caller that can (an AbortController) aborts it on `{ done: false }`.

export type DeadlineResult<T> = { done: true; value: T } | { done: false };

/**
 * `{ done: true, value }` when `work` fulfils within `ms`, `{ done: false }` when it has not
 * settled by then; a rejection within `ms` rejects with the same error. After the deadline the
 * race no longer watches `work` (a late rejection is not reported as unhandled); a caller that
 * still wants the result awaits `work` itself. The timer is cleared either way, so it never keeps
 * the process alive.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<DeadlineResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(resolve, ms, { done: false });
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
