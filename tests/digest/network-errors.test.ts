// A request that got no answer from the platform: certainly not sent (retry) or maybe sent (never
// retried, so a channel cannot get the same digest twice), the same for every poster.
import { describe, expect, it } from 'vitest';
import { networkCode, transportError } from '../../adapters/shared/network-errors.js';

const failure = (over: Partial<Parameters<typeof transportError>[0]>) => transportError({ platform: 'Chat', timedOut: false, detail: 'socket hang up', cause: undefined, ...over });

describe('networkCode', () => {
  it('finds the system code a few causes down, passing over a library’s own', () => {
    const wrapped = { code: 'lib_request_error', cause: new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }) };
    expect(networkCode(wrapped, (c) => c.startsWith('lib_'))).toBe('ECONNREFUSED');
    expect(networkCode(wrapped)).toBe('lib_request_error');
    expect(networkCode(new Error('no code'))).toBeUndefined();
  });
});

describe('transportError', () => {
  it('never left this machine: certainly not sent, so retried', () => {
    expect(failure({ code: 'ENOTFOUND' })).toMatchObject({ message: 'could not reach Chat (ENOTFOUND)', outcomeUnknown: false, permanent: false });
  });

  it('timed out or failed after sending: may have been sent, never retried', () => {
    expect(failure({ timedOut: true })).toMatchObject({ message: 'no answer from Chat before the timeout', outcomeUnknown: true });
    expect(failure({ code: 'ECONNRESET' })).toMatchObject({ message: 'the request failed after it may have been sent: socket hang up', outcomeUnknown: true });
  });
});
