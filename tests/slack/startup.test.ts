// Start-up failures are one clear line naming what to fix, and nothing is left running.
import { afterEach, expect, test } from 'vitest';
import { ConfigError } from '../../src/config.js';
import type { BriefingService } from '../../src/service.js';
import { FakeSlack } from './fake-slack.js';
import { startHarness } from './harness.js';

/** Never asked anything: start-up fails before the first event. */
const briefing = {} as BriefingService;

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

test('a bot token Slack rejects stops start-up with a ConfigError naming SLACK_BOT_TOKEN', async () => {
  fake = await FakeSlack.start();
  fake.handle('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
  const failure = startHarness(briefing, { fake });
  await expect(failure).rejects.toThrow(ConfigError);
  await expect(failure).rejects.toThrow('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
});

test('an app token Slack rejects (Socket Mode) names SLACK_APP_TOKEN', async () => {
  fake = await FakeSlack.start();
  fake.handle('apps.connections.open', () => ({ ok: false, error: 'invalid_auth' }));
  await expect(startHarness(briefing, { fake, mode: 'socket' })).rejects.toThrow('Slack rejected SLACK_APP_TOKEN (invalid_auth)');
});

test('an unreachable SLACK_API_URL is reported with the URL, not as a token problem', async () => {
  fake = await FakeSlack.start();
  fake.handle('auth.test', () => ({ status: 503, body: 'maintenance' }));
  const failure = startHarness(briefing, { fake });
  await expect(failure).rejects.toThrow(`Slack auth.test failed at ${fake.apiUrl}`);
  await expect(failure).rejects.not.toThrow(ConfigError);
});
