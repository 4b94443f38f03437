// The steps every platform shares: reply at once when ready, else hold (placeholder or defer) and
// replace; a failure is told to the user in place of what was held.
import { describe, expect, test } from 'vitest';
import { replyWhenReady } from '../../adapters/shared/reply-flow.js';

function pending<T>() {
  let release!: (value: T) => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<T>((resolve, reject) => ((release = resolve), (fail = reject)));
  return { promise, release, fail };
}

function recorder() {
  const calls: unknown[][] = [];
  return {
    calls,
    hold: async () => (calls.push(['hold']), 'placeholder-ts'),
    send: async (reply: string, held: string | undefined) => void calls.push(['send', reply, held]),
    fail: async (err: unknown, held: string | undefined) => void calls.push(['fail', (err as Error).message, held]),
  };
}

/** A hold that, once the placeholder is up, lets the work settle (the answer arrives late). */
const holdThen = (r: ReturnType<typeof recorder>, settle: () => void) => async () => {
  const held = await r.hold();
  settle();
  return held;
};

describe('replyWhenReady', () => {
  test('an answer ready before the deadline is sent on its own: nothing held', async () => {
    const r = recorder();
    const done = await replyWhenReady(Promise.resolve('answer'), { deadlineMs: 60_000, hold: r.hold, send: r.send, fail: r.fail });
    expect(done).toEqual({ reply: 'answer', held: undefined });
    expect(r.calls).toEqual([['send', 'answer', undefined]]);
  });

  test('a late answer: hold first, then the answer replaces what was held', async () => {
    const r = recorder();
    const work = pending<string>();
    const done = await replyWhenReady(work.promise, { deadlineMs: 0, hold: holdThen(r, () => work.release('late answer')), send: r.send, fail: r.fail });
    expect(done).toEqual({ reply: 'late answer', held: 'placeholder-ts' });
    expect(r.calls).toEqual([['hold'], ['send', 'late answer', 'placeholder-ts']]);
  });

  test('hold showing nothing: the answer goes out on its own', async () => {
    const r = recorder();
    const work = pending<string>();
    const hold = async () => (work.release('answer'), undefined);
    await replyWhenReady(work.promise, { deadlineMs: 0, hold, send: r.send, fail: r.fail });
    expect(r.calls).toEqual([['send', 'answer', undefined]]);
  });

  test('work failing after the hold: `fail` gets the error and what was held; nothing is sent', async () => {
    const r = recorder();
    const work = pending<string>();
    const hold = holdThen(r, () => work.fail(new Error('engine down')));
    expect(await replyWhenReady(work.promise, { deadlineMs: 0, hold, send: r.send, fail: r.fail })).toBeUndefined();
    expect(r.calls).toEqual([['hold'], ['fail', 'engine down', 'placeholder-ts']]);
  });

  test('a failed send goes to `fail` as well', async () => {
    const r = recorder();
    const send = async () => {
      throw new Error('REST 500');
    };
    expect(await replyWhenReady(Promise.resolve('answer'), { deadlineMs: 60_000, hold: r.hold, send, fail: r.fail })).toBeUndefined();
    expect(r.calls).toEqual([['fail', 'REST 500', undefined]]);
  });
});
