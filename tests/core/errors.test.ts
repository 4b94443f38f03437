// The one error type and the one describer: a code and a user-safe flag; log descriptions that
// never carry a token.
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/cli.js';
import { ConfigError } from '../../src/config.js';
import { CorpusError } from '../../src/corpus/load.js';
import { CodedError, describeError, isUserSafe } from '../../src/errors.js';

describe('CodedError', () => {
  test('the user’s own mistakes are coded and safe to show; anything else is not', () => {
    expect([new UsageError('u'), new ConfigError('c'), new CorpusError('k')].map((e) => [e.name, e.code, isUserSafe(e)])).toEqual([
      ['UsageError', 'usage', true],
      ['ConfigError', 'config', true],
      ['CorpusError', 'corpus', true],
    ]);
    expect(isUserSafe(new CodedError('platform_start', 'Slack auth.test failed'))).toBe(false);
    expect(isUserSafe(new Error('boom'))).toBe(false);
    expect(new CodedError('x', 'm', { cause: 'why' }).cause).toBe('why');
  });
});

describe('describeError', () => {
  test('a Slack Web API error: message, code, Slack’s error string, status', () => {
    const err = Object.assign(new Error('An API error occurred: not_in_channel'), { code: 'slack_webapi_platform_error', data: { ok: false, error: 'not_in_channel' } });
    expect(describeError(err)).toEqual({ name: 'Error', error: 'An API error occurred: not_in_channel', code: 'slack_webapi_platform_error', slackError: 'not_in_channel' });
    expect(describeError(Object.assign(new Error('HTTP 503'), { statusCode: 503 }))).toMatchObject({ status: 503 });
  });

  test('a Discord REST error: method and URL, with the interaction token cut out', () => {
    const url = 'http://127.0.0.1:1/api/v10/interactions/123456/aW50ZXJhY3Rpb246c2VjcmV0/callback';
    const err = Object.assign(new Error(`Internal Server Error at ${url}`), { name: 'HTTPError', status: 500, method: 'post', url });
    const d = describeError(err);
    expect(d).toMatchObject({ name: 'HTTPError', status: 500, method: 'POST', url: 'http://127.0.0.1:1/api/v10/interactions/123456/[token]/callback' });
    expect(JSON.stringify(d)).not.toContain('aW50ZXJhY3Rpb246c2VjcmV0');
    expect(d.stack).toBeUndefined();
  });

  test('tokens in a message are masked; a bug (no status, no code) keeps its trace; a thrown string is described too', () => {
    const d = describeError(new TypeError('bad header for xoxb-1234-5678-abcdefgh'));
    expect(d.error).toBe('bad header for [redacted]');
    expect(d.stack).toContain('TypeError');
    expect(d.stack).not.toContain('xoxb-');
    expect(describeError('sk-abcdefghijklmnop leaked')).toEqual({ name: 'NonError', error: '[redacted] leaked' });
  });
});
