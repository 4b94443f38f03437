// The PostgreSQL tests never pass in silence: without the server binaries they are skipped with a
// banner outside CI, and fail the run under CI.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postgresBinOrSkip } from './postgres-server.js';

describe('postgresBinOrSkip without the binaries', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('outside CI: skips, saying loudly what did not run and how to install the server', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(postgresBinOrSkip('the store tests', () => undefined)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/SKIPPED: .*the store tests did NOT run\. Install them with `apt-get install postgresql`/);
  });

  it('under CI: fails', () => {
    vi.stubEnv('CI', 'true');
    expect(() => postgresBinOrSkip('the store tests', () => undefined)).toThrow(/did NOT run.*CI must install them/);
  });

  it('with them: their folder, quietly', () => {
    const warn = vi.spyOn(console, 'warn');
    expect(postgresBinOrSkip('the store tests', () => '/usr/lib/postgresql/15/bin')).toBe('/usr/lib/postgresql/15/bin');
    expect(warn).not.toHaveBeenCalled();
  });
});
